/** The client's status as its users see it: the counts, and the listeners told of every change. */
import type { EventStreamCounts } from "./events";
import type { ClientLogger, ClientStatus, ConnectionState } from "./options";

export type StatusCounts = Omit<ClientStatus, "state">;

export class StatusBoard {
  #counts: StatusCounts = {
    attempts: 0,
    lastError: null,
    queueDepth: 0,
    dropped: 0,
    invalid: 0,
    gaps: 0,
    paged: 0,
    unfilled: 0,
  };
  readonly #listeners = new Set<(status: ClientStatus) => void>();

  /** `state` is read, not tracked, whenever the status is. */
  constructor(
    private readonly state: () => ConnectionState,
    private readonly logger: ClientLogger,
  ) {}

  get counts(): Readonly<StatusCounts> {
    return this.#counts;
  }

  current(): ClientStatus {
    return { ...this.#counts, state: this.state() };
  }

  /** Applies `change` and tells every listener; an empty change tells them the state moved. */
  update(change: Partial<StatusCounts>): void {
    this.#counts = { ...this.#counts, ...change };
    for (const listener of this.#listeners) {
      try {
        listener(this.current());
      } catch (err) {
        this.logger.warn("status listener failed", err);
      }
    }
  }

  count(increment: Partial<EventStreamCounts>): void {
    this.update({
      gaps: this.#counts.gaps + (increment.gaps ?? 0),
      paged: this.#counts.paged + (increment.paged ?? 0),
      unfilled: this.#counts.unfilled + (increment.unfilled ?? 0),
    });
  }

  /** Calls `listener` with every status change; returns the function that stops it. */
  listen(listener: (status: ClientStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#listeners.clear();
  }
}
