/**
 * Contexts on their way to the hub: sent one at a time, oldest first, and sent again (after a
 * backoff) until the hub acknowledges them — a lost link, a push timeout or a failed store all
 * resend; a context the hub refuses as invalid is dropped and counted, since resending cannot fix
 * it. A resent context keeps its id, so the hub stores it once. Bounded: past `capacity` the oldest
 * waiting context is dropped and counted.
 */
import type { Reply } from "@landale/client";
import type { Logger } from "@landale/logger";
import type { StreamContext } from "@landale/shared";

export interface OutboxOptions {
  send: (context: StreamContext) => Promise<Reply>;
  capacity: number;
  /** The wait before resend number `tries` (1 for the first). */
  retryDelay: (tries: number) => number;
  logger: Logger;
}

export interface OutboxStats {
  depth: number;
  capacity: number;
  /** Dropped while waiting because the outbox was full. */
  dropped: number;
  acked: number;
  /** Refused by the hub as invalid (not resent). */
  refused: number;
  resends: number;
}

/** Error codes no resend can fix: the context itself, or the worker's scope, is wrong. */
function permanent(code: unknown): boolean {
  return typeof code === "string" && (code.startsWith("invalid") || code === "forbidden");
}

export class Outbox {
  readonly #options: OutboxOptions;
  readonly #waiting: StreamContext[] = [];
  #sending = false;
  #tries = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #stats = { dropped: 0, acked: 0, refused: 0, resends: 0 };
  #idle: Array<() => void> = [];

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  add(context: StreamContext): void {
    if (this.#stopped) return;
    // The head may be on the wire: drop the oldest behind it.
    if (this.#waiting.length >= this.#options.capacity) {
      const at = this.#sending && this.#waiting.length > 1 ? 1 : 0;
      const [dropped] = this.#waiting.splice(at, 1);
      this.#stats.dropped++;
      this.#options.logger.warn({ id: dropped?.id }, "context dropped: the outbox is full");
    }
    this.#waiting.push(context);
    this.#pump();
  }

  /** Resolves once every context added so far is acknowledged or dropped. */
  drained(): Promise<void> {
    if (this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  stats(): OutboxStats {
    return { depth: this.#waiting.length, capacity: this.#options.capacity, ...this.#stats };
  }

  /** Stops sending; what still waits is given up. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#waiting.length = 0;
    this.#settle();
  }

  #pump(): void {
    if (this.#stopped || this.#sending || this.#timer !== null) return;
    const head = this.#waiting[0];
    if (head === undefined) {
      this.#settle();
      return;
    }
    this.#sending = true;
    this.#options.send(head).then(
      (reply) => this.#answered(head, reply),
      (err: unknown) => this.#retry(head, err instanceof Error ? err.message : String(err)),
    );
  }

  #answered(context: StreamContext, reply: Reply): void {
    if (reply.status === "ok") {
      this.#stats.acked++;
      this.#done(context);
      return;
    }
    const code = (reply.response as { code?: unknown } | null)?.code;
    if (permanent(code)) {
      this.#stats.refused++;
      this.#options.logger.error({ id: context.id, reply: reply.response }, "context refused");
      this.#done(context);
      return;
    }
    this.#retry(context, `the hub answered ${String(code ?? "an error")}`);
  }

  #done(context: StreamContext): void {
    this.#sending = false;
    this.#tries = 0;
    if (this.#waiting[0] === context) this.#waiting.shift();
    this.#pump();
  }

  #retry(context: StreamContext, problem: string): void {
    this.#sending = false;
    if (this.#stopped) return;
    this.#tries++;
    this.#stats.resends++;
    const wait = this.#options.retryDelay(this.#tries);
    this.#options.logger.warn({ id: context.id, problem, wait_ms: wait }, "context not stored yet");
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, wait);
  }

  #settle(): void {
    if (this.#waiting.length > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
