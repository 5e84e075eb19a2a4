/** What the engine tests share: real speech, process inspection through /proc, waiting on a condition. */
import { readdir, readFile } from "node:fs/promises";
import { createLogger, type Logger } from "@landale/logger";
import type { Segment } from "../src/pipeline/segment";

/** A sentence Debian's PocketSphinx recognises reliably when espeak-ng's default voice says it. */
export const SENTENCE = "the quick brown fox jumps over the lazy dog";

export function quietLogger(): Logger {
  return createLogger({ name: "phononmaser-test", level: "silent" });
}

/** Polls `check` until it holds, or fails naming `what`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

export function segmentOf(pcm: Int16Array, id = crypto.randomUUID()): Segment {
  return {
    id,
    sourceId: "mic",
    sourceName: "Mic/Aux",
    startedAt: Date.now(),
    durationMs: (pcm.length / 16_000) * 1000,
    pcm,
  };
}

/** `text` spoken by espeak-ng, converted by sox to 16 kHz mono int16 as the pipeline delivers. */
export async function speechSegment(text = SENTENCE): Promise<Segment> {
  const speak = Bun.spawn(["espeak-ng", "-v", "en", "--stdout", text], { stdout: "pipe" });
  const convert = Bun.spawn(
    [
      // -R: sox's dither seeded the same every run, so the words pocketsphinx hears never vary.
      "sox",
      "-R",
      "-t",
      "wav",
      "-",
      "-t",
      "raw",
      "-r",
      "16000",
      "-c",
      "1",
      "-b",
      "16",
      "-e",
      "signed-integer",
      "-L",
      "-",
    ],
    { stdin: speak.stdout, stdout: "pipe" },
  );
  const bytes = new Uint8Array(await new Response(convert.stdout).arrayBuffer());
  if ((await convert.exited) !== 0 || (await speak.exited) !== 0)
    throw new Error("espeak-ng or sox failed");
  const pcm = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16(i * 2, true);
  return segmentOf(pcm);
}

export function silentSegment(ms = 1_000): Segment {
  return segmentOf(new Int16Array((16_000 * ms) / 1000));
}

interface ProcessInfo {
  pid: number;
  state: string;
  group: number;
}

async function processInfo(pid: number): Promise<ProcessInfo | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, state: fields[0]!, group: Number(fields[2]) };
  } catch {
    return null;
  }
}

/** Whether `pid` runs; a zombie no init reaps counts as gone (it runs nothing). */
export async function isRunning(pid: number): Promise<boolean> {
  const info = await processInfo(pid);
  return info !== null && info.state !== "Z" && info.state !== "X";
}

/** The running members of a process group. */
export async function groupMembers(group: number): Promise<number[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
  const infos = await Promise.all(pids.map(processInfo));
  return infos
    .filter((info): info is ProcessInfo => info !== null && info.group === group)
    .filter((info) => info.state !== "Z" && info.state !== "X")
    .map((info) => info.pid);
}
