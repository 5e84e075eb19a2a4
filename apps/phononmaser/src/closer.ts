/**
 * Waits that end when their owner closes. Each wait registers only while it waits: racing one
 * long-lived "closed" promise again and again would keep a reaction per wait until the end.
 */
export interface Closer {
  /** `promise`'s outcome, or "closed" once `close()` is called (at once if it was). */
  orClosed<T>(promise: Promise<T>): Promise<T | "closed">;
  close(): void;
}

export function createCloser(): Closer {
  const waiting = new Set<() => void>();
  let closed = false;
  return {
    orClosed<T>(promise: Promise<T>): Promise<T | "closed"> {
      if (closed) return Promise.resolve("closed");
      return new Promise((resolve, reject) => {
        const close = () => resolve("closed");
        waiting.add(close);
        promise.then(
          (value) => {
            waiting.delete(close);
            resolve(value);
          },
          (err: unknown) => {
            waiting.delete(close);
            reject(err);
          },
        );
      });
    },
    close() {
      closed = true;
      for (const close of waiting) close();
      waiting.clear();
    },
  };
}
