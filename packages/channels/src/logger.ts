/** The logging interface the channel server needs: a subset of pino's, so a pino logger fits. */
export interface Logger {
  debug(context: object, message: string): void;
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * Warn lines that a flood would otherwise repeat once per frame: per key, the first is logged at
 * once, and then at most one line per `intervalMs` says how many more there were (`count`), with
 * the context of the latest. `close()` logs what is still counted and releases the timers.
 */
export class ThrottledWarn {
  readonly #open = new Map<
    string,
    { count: number; context: object; message: string; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  warn(key: string, context: object, message: string): void {
    const window = this.#open.get(key);
    if (window !== undefined) {
      window.count++;
      window.context = context;
      return;
    }
    this.logger.warn({ ...context, count: 1 }, message);
    this.#start(key, message);
  }

  close(): void {
    for (const window of this.#open.values()) {
      clearTimeout(window.timer);
      this.#report(window);
    }
    this.#open.clear();
  }

  #start(key: string, message: string): void {
    const timer = setTimeout(() => {
      const window = this.#open.get(key);
      this.#open.delete(key);
      if (window === undefined || window.count === 0) return;
      this.#report(window);
      // The flood may go on: keep counting for another interval.
      this.#start(key, message);
    }, this.intervalMs);
    // A pending summary must not keep a process alive.
    (timer as { unref?: () => void }).unref?.();
    this.#open.set(key, { count: 0, context: {}, message, timer });
  }

  #report({ count, context, message }: { count: number; context: object; message: string }): void {
    if (count > 0) this.logger.warn({ ...context, count, interval_ms: this.intervalMs }, message);
  }
}
