/**
 * Why the pipeline refused events: the database refused them for their content, too many are
 * pending, or the hub is stopping. Ingest turns each into its `AppError`.
 */
/** The database refused a window for its content (not for being away): `reason` says why. */
export class StoreRefusedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the database refused the event: ${reason}`, options);
    this.name = "StoreRefusedError";
  }
}

export class BackpressureError extends Error {
  constructor(
    readonly pending: number,
    readonly limit: number,
    readonly unit: "events" | "bytes" = "events",
  ) {
    super(`the hub has ${pending} ${unit} of events waiting (limit ${limit}); retry shortly`);
    this.name = "BackpressureError";
  }
}

export class StoppedError extends Error {
  constructor() {
    super("the hub is shutting down");
    this.name = "StoppedError";
  }
}

/**
 * A window was not written because the one before it was refused: its events are numbered again
 * and written after what is left of that one. Never reaches a producer.
 */
export class SupersededError extends Error {
  constructor() {
    super("the window before this one was refused; this one is written again");
    this.name = "SupersededError";
  }
}
