/**
 * The link to the hub, through `@landale/client` with the worker token. Every transcription goes
 * out as `submit_transcription` on `transcription:live`, in order and one at a time, and stays
 * queued until the hub answers ok: the hub answers a re-sent id without pushing it to captions
 * again, so sending once more after a lost answer is safe. A push whose connection dropped (the
 * hub restarted) is sent again as soon as the link is back, one left unanswered after its timeout
 * too. The queue is bounded: past it the oldest waiting transcription is dropped, counted and
 * reported in `/health`. The link also reads recent chatters for the whisper prompt (`./chatters`).
 */
import { backoff, createClient, PushError } from "@landale/client";
import type { Logger } from "@landale/logger";
import { TRANSCRIPTION_LIVE, type TranscriptionInput } from "@landale/shared";
import { z } from "zod";
import { fetchRecentChatters } from "./chatters";
import { createCloser } from "./closer";
import { daySessionId, toTranscriptionInput } from "./link-input";
import type { Transcription } from "./transcriber";

/** Refusals that sending again cannot change: the transcription is dropped (counted). */
const PERMANENT_REFUSALS = new Set([
  "invalid_transcription",
  "invalid_payload",
  "forbidden",
  "unhandled_event",
]);

const StoredReply = z.object({ id: z.string(), stored: z.boolean() });
const ErrorReply = z.object({ code: z.string(), message: z.string().optional() });

export interface LinkOptions {
  /** The hub's HTTP origin (LANDALE_HUB_URL). */
  url: string;
  /** The worker token; null against a hub without tokens. */
  token: string | null;
  /** Transcriptions waiting for the hub's answer, at most. */
  queue: number;
  /** One session for everything, or null for the day's (`stream_YYYY_MM_DD`). */
  sessionId: string | null;
  /** The engine's name, stored in each transcription's `meta`. */
  engine: string;
  logger: Logger;
  /** How long a sent push waits for its answer before it is sent again. */
  pushTimeoutMs?: number;
  now?: () => number;
}

export interface LinkHealth {
  connected: boolean;
  state: string;
  hub: string;
  session_id: string;
  queue: { depth: number; capacity: number; dropped: number };
  /** Stored by the hub, and answered as already stored (a re-send after a lost answer). */
  stored: number;
  duplicates: number;
  /** Refused by the hub for good, or never sendable: dropped, each logged. */
  refused: number;
  retries: number;
  last_error: string | null;
  last_ack_age_ms: number | null;
  [key: string]: unknown;
}

export interface HubLink {
  /** Queues one transcription for the hub. */
  submit(transcription: Transcription): void;
  /** Names of recent chatters, one per message, the latest first (for the whisper prompt). */
  recentChatters(): Promise<string[]>;
  health(): LinkHealth;
  /** Waits up to `drainMs` for the queue to empty (when connected), then closes the link. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

type Outcome = "done" | "again" | "retry" | "closed";

export function startLink(options: LinkOptions): HubLink {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const client = createClient({
    url: `${options.url.replace(/^http/, "ws")}/socket`,
    params: options.token === null ? {} : { token: options.token },
    apiUrl: options.url,
    pushTimeoutMs: options.pushTimeoutMs,
    logger: { warn: (message, context) => logger.warn({ context }, message) },
  });
  const retryDelay = backoff();
  const waiting: TranscriptionInput[] = [];
  let inFlight: TranscriptionInput | null = null;
  const counts = { stored: 0, duplicates: 0, refused: 0, dropped: 0, retries: 0 };
  let lastAckAt: number | null = null;
  let lastProblem: string | null = null;
  let accepting = true;
  let wake: (() => void) | null = null;
  let drained: (() => void) | null = null;
  const reads = new AbortController();

  // Every wait below ends when the link closes.
  const { orClosed, close } = createCloser();

  // A push whose connection dropped gets no answer: it is sent again once the link is back.
  const onLost = new Set<() => void>();
  let open = false;
  let opened: (() => void) | null = null;
  const offStatus = client.onStatus((status) => {
    const isOpen = status.state === "open";
    if (isOpen === open) return;
    open = isOpen;
    if (isOpen) {
      logger.info("linked to the hub");
      opened?.();
    } else {
      logger.warn({ state: status.state, error: status.lastError }, "the link to the hub is down");
      for (const lost of [...onLost]) lost();
    }
  });

  function submit(transcription: Transcription): void {
    if (!accepting) return;
    const input = toTranscriptionInput(transcription, options);
    if (input === null) {
      counts.refused++;
      logger.error({ transcription: transcription.id }, "a transcription the hub cannot take");
      return;
    }
    waiting.push(input);
    trim();
    wake?.();
  }

  /** Past the bound the oldest waiting transcription goes, counted. */
  function trim(): void {
    while (waiting.length > options.queue) {
      const dropped = waiting.shift();
      counts.dropped++;
      logger.warn(
        { transcription: dropped?.id, dropped: counts.dropped },
        "the hub's queue is full: dropped the oldest transcription",
      );
    }
  }

  /** Resolves once the link is open (or the link closes). */
  async function linked(): Promise<"open" | "closed"> {
    if (open) return "open";
    const ready = new Promise<"open">((resolve) => {
      opened = () => resolve("open");
    });
    const result = await orClosed(ready);
    opened = null;
    return result;
  }

  async function attempt(input: TranscriptionInput): Promise<Outcome> {
    let lost = () => {};
    const dropped = new Promise<"again">((resolve) => {
      lost = () => resolve("again");
    });
    onLost.add(lost);
    const push = client.push(TRANSCRIPTION_LIVE, "submit_transcription", input);
    // Once abandoned, its late rejection (timeout, close) is nobody's concern.
    push.catch(() => {});
    try {
      const result = await orClosed(Promise.race([push, dropped]));
      if (result === "again" || result === "closed") return result;
      if (result.status === "ok") {
        const reply = StoredReply.safeParse(result.response);
        if (reply.success && !reply.data.stored) counts.duplicates++;
        else counts.stored++;
        lastAckAt = now();
        lastProblem = null;
        return "done";
      }
      const refusal = ErrorReply.safeParse(result.response);
      const code = refusal.success ? refusal.data.code : "unknown";
      lastProblem = `${code}: ${refusal.success ? (refusal.data.message ?? "") : "no reason"}`;
      if (!PERMANENT_REFUSALS.has(code)) return "retry";
      counts.refused++;
      logger.error({ transcription: input.id, code }, "the hub refused a transcription");
      return "done";
    } catch (err) {
      if (err instanceof PushError && err.reason === "closed") return "closed";
      lastProblem = err instanceof Error ? err.message : String(err);
      return "again";
    } finally {
      onLost.delete(lost);
    }
  }

  async function pause(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await orClosed(
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    );
    clearTimeout(timer);
  }

  async function run(): Promise<void> {
    let failures = 0;
    for (;;) {
      if (waiting.length === 0) {
        drained?.();
        const idle = new Promise<void>((resolve) => {
          wake = resolve;
        });
        if ((await orClosed(idle)) === "closed") return;
        wake = null;
        continue;
      }
      // Nothing is handed to the client while the hub is away, so the bound above is the only
      // one: no push waits unseen in the client's own queue.
      if ((await linked()) === "closed") return;
      const input = waiting.shift();
      if (input === undefined) continue;
      inFlight = input;
      const outcome = await attempt(input);
      inFlight = null;
      if (outcome === "closed") {
        waiting.unshift(input);
        return;
      }
      if (outcome === "done") {
        failures = 0;
        continue;
      }
      // Back to the front, to go again first (or to be the oldest dropped while it waits).
      waiting.unshift(input);
      trim();
      counts.retries++;
      // A lost connection or an unanswered push goes again once the link is up; a hub that
      // answered with a failure is given time.
      if (outcome === "retry") await pause(retryDelay(++failures));
    }
  }
  const loop = run();

  const recentChatters = () =>
    fetchRecentChatters({
      url: options.url,
      token: options.token,
      signal: reads.signal,
      now: now(),
    });

  function health(): LinkHealth {
    const status = client.status();
    return {
      connected: status.state === "open",
      state: status.state,
      hub: options.url,
      session_id: options.sessionId ?? daySessionId(now()),
      queue: {
        depth: waiting.length + (inFlight === null ? 0 : 1),
        capacity: options.queue,
        dropped: counts.dropped,
      },
      stored: counts.stored,
      duplicates: counts.duplicates,
      refused: counts.refused,
      retries: counts.retries,
      last_error: lastProblem ?? status.lastError,
      last_ack_age_ms: lastAckAt === null ? null : Math.max(0, now() - lastAckAt),
    };
  }

  async function stop(stopOptions: { drainMs?: number } = {}): Promise<void> {
    if (!accepting) return loop;
    accepting = false;
    const drainMs = stopOptions.drainMs ?? 0;
    if (drainMs > 0 && open && (inFlight !== null || waiting.length > 0)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          drained = resolve;
        }),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drainMs);
        }),
      ]);
      clearTimeout(timer);
      drained = null;
    }
    close();
    reads.abort();
    offStatus();
    client.close();
    await loop;
    const left = waiting.length + (inFlight === null ? 0 : 1);
    if (left > 0) logger.warn({ left }, "stopped before the hub confirmed every transcription");
  }

  return { submit, recentChatters, health, stop };
}
