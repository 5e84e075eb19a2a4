import { describe, expect, it } from "bun:test";
import { retrying } from "./retry";

const never = () => {
  throw new Error("not told");
};

describe("retrying", () => {
  it("tries again after a failure and answers with the first success", async () => {
    let tries = 0;
    const retried: number[] = [];
    const value = await retrying(
      async () => {
        tries++;
        if (tries === 1) throw new Error("database away");
        return "read";
      },
      {
        signal: new AbortController().signal,
        withinMs: 60_000,
        delay: () => 0,
        onRetry: (_err, n) => retried.push(n),
      },
    );
    expect(value).toBe("read");
    expect(retried).toEqual([1]);
  });

  it("gives up at once on an error it is told is final", async () => {
    const refused = new Error("403");
    const tried = retrying(() => Promise.reject(refused), {
      signal: new AbortController().signal,
      withinMs: 60_000,
      isFinal: (err) => err === refused,
      onRetry: never,
    });
    await expect(tried).rejects.toBe(refused);
  });

  it("gives up when the next try would start past the window", async () => {
    const away = new Error("database away");
    const tried = retrying(() => Promise.reject(away), {
      signal: new AbortController().signal,
      withinMs: 100,
      delay: () => 101,
      onRetry: never,
    });
    await expect(tried).rejects.toBe(away);
  });

  it("stops waiting when aborted", async () => {
    const controller = new AbortController();
    const tried = retrying(() => Promise.reject(new Error("database away")), {
      signal: controller.signal,
      withinMs: 600_000,
      delay: () => 300_000,
      // Aborted while it waits five minutes for the next try.
      onRetry: () => setTimeout(() => controller.abort(new Error("closed")), 10),
    });
    await expect(tried).rejects.toThrow("closed");
  });
});
