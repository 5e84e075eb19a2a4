/** What the child-process helpers (`spawnHub`, `spawnAudioWorker`) share: output and waiting. */

/** How much of each of stdout and stderr is kept for assertions and failure messages. */
const OUTPUT_LIMIT_CHARS = 256 * 1024;

/**
 * Reads a stream to its end (so a chatty child never blocks on a full pipe), keeping its tail;
 * `ended` settles once all of it is read.
 */
export function capture(stream: ReadableStream<Uint8Array>): {
  text(): string;
  ended: Promise<void>;
} {
  let kept = "";
  let dropped = 0;
  const ended = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      kept += decoder.decode(chunk, { stream: true });
      if (kept.length > OUTPUT_LIMIT_CHARS) {
        dropped += kept.length - OUTPUT_LIMIT_CHARS;
        kept = kept.slice(-OUTPUT_LIMIT_CHARS);
      }
    }
  })().catch(() => {});
  return { text: () => (dropped === 0 ? kept : `[${dropped} chars dropped]\n${kept}`), ended };
}

const POLL_MS = 50;

/** Polls `probe` until it holds; fails naming `what` if `failed` settles or the time runs out. */
export async function until(
  what: string,
  probe: () => boolean | Promise<boolean>,
  failed: Promise<never>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  let failure: unknown = null;
  failed.catch((err: unknown) => {
    failure = err;
  });
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (failure !== null) throw failure;
    if (performance.now() > deadline) {
      throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}:\n${output()}`);
    }
    await Bun.sleep(POLL_MS);
  }
}
