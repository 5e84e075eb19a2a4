/**
 * The client's pushes: those waiting for their topic to be joined, in one bounded queue (past it
 * the oldest is dropped and its promise rejected), and those sent and not yet answered, with the
 * reply timers the official client keeps for them. `close()` fails every one and clears every
 * timer, a leave's included, so nothing outlives the client.
 */
import type { Channel, Push } from "phoenix";
import { BoundedQueue } from "./queue";

export interface Reply {
  status: "ok" | "error";
  response: unknown;
}

export class PushError extends Error {
  constructor(
    readonly reason: "timeout" | "dropped" | "closed",
    message: string,
  ) {
    super(message);
    this.name = "PushError";
  }
}

export interface QueuedPush {
  topic: string;
  event: string;
  payload: object;
  resolve: (reply: Reply) => void;
  reject: (err: PushError) => void;
}

/**
 * What the official client keeps private about a push: the timer that fails it when no reply
 * comes. Leaving a channel or closing the socket does not clear it, so a push still unanswered
 * when the client closes would keep its process alive until the push timed out.
 */
interface TimedPush {
  cancelTimeout(): void;
}

const cancelTimer = (push: Push) => (push as unknown as TimedPush).cancelTimeout();

export class Pushes {
  readonly #queue: BoundedQueue<QueuedPush>;
  readonly #timeoutMs: number;
  /** Pushes sent and not yet answered, with how to fail each when the client closes. */
  readonly #unanswered = new Map<Push, QueuedPush>();
  /** Leaves sent and not yet answered. */
  readonly #leaving = new Set<Push>();

  constructor(queueMax: number, timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#queue = new BoundedQueue<QueuedPush>(queueMax, (dropped) => {
      dropped.reject(
        new PushError(
          "dropped",
          `push ${dropped.event} on ${dropped.topic} dropped: the queue is full`,
        ),
      );
    });
  }

  /** Pushes waiting for their topic to be joined. */
  get waiting(): number {
    return this.#queue.size;
  }

  /** Pushes the full queue dropped (oldest first). */
  get dropped(): number {
    return this.#queue.dropped;
  }

  /** Keeps `queued` until its topic is joined (`takeFor`). */
  wait(queued: QueuedPush): void {
    this.#queue.push(queued);
  }

  /** The pushes waiting for `topic`, oldest first, taken out of the queue. */
  takeFor(topic: string): QueuedPush[] {
    return this.#queue.takeWhere((queued) => queued.topic === topic);
  }

  /** Sends `queued` on `channel`; its promise settles with the reply, or fails on the timeout. */
  send(channel: Channel, queued: QueuedPush): void {
    const push = channel
      .push(queued.event, queued.payload, this.#timeoutMs)
      .receive("ok", (response: unknown) => {
        this.#unanswered.delete(push);
        queued.resolve({ status: "ok", response });
      })
      .receive("error", (response: unknown) => {
        this.#unanswered.delete(push);
        queued.resolve({ status: "error", response });
      })
      .receive("timeout", () => {
        this.#unanswered.delete(push);
        queued.reject(
          new PushError("timeout", `push ${queued.event} on ${queued.topic} got no reply`),
        );
      });
    this.#unanswered.set(push, queued);
  }

  /** Leaves `channel`; the leave's timer is cleared on `close()` if no reply came by then. */
  leave(channel: Channel): void {
    const leaving = channel.leave();
    this.#leaving.add(leaving);
    const left = () => this.#leaving.delete(leaving);
    leaving.receive("ok", left).receive("timeout", left);
  }

  /** Fails every push waiting or unanswered with `PushError("closed")` and clears every timer. */
  close(): void {
    for (const queued of this.#queue.takeWhere(() => true)) {
      queued.reject(new PushError("closed", "the client was closed before the push was sent"));
    }
    for (const [push, queued] of this.#unanswered) {
      cancelTimer(push);
      queued.reject(
        new PushError("closed", `the client was closed before ${queued.event} was answered`),
      );
    }
    this.#unanswered.clear();
    for (const push of this.#leaving) cancelTimer(push);
    this.#leaving.clear();
  }
}
