import { describe, expect, test } from "bun:test";
import { createLogger } from "@landale/logger";
import { createDeliveryQueue, type EventSubNotification } from "./eventsub-delivery";

const logger = createLogger({ name: "test", level: "silent" });

const notification = (n: number): EventSubNotification => ({
  messageId: `m-${n}`,
  type: "channel.follow",
  version: "2",
  subscriptionId: "sub-1",
  timestamp: "2024-01-01T00:00:00.000000000Z",
  event: { n },
});

/** A delivery the test settles by hand. */
function gate() {
  const calls: { id: string; resolve: () => void; reject: (err: unknown) => void }[] = [];
  const deliver = (n: EventSubNotification) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ id: n.messageId, resolve, reject });
    });
  return { calls, deliver };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("EventSub delivery line", () => {
  test("calls deliver in arrival order, at most maxInFlight at once", async () => {
    const { calls, deliver } = gate();
    const queue = createDeliveryQueue({ deliver, logger, maxInFlight: 2 });
    for (let n = 1; n <= 5; n++) expect(queue.push(notification(n))).toBe(true);
    expect(calls.map((call) => call.id)).toEqual(["m-1", "m-2"]);
    expect(queue.counts()).toMatchObject({ inFlight: 2, queued: 3 });
    calls[1]?.resolve();
    await settle();
    expect(calls.map((call) => call.id)).toEqual(["m-1", "m-2", "m-3"]);
    for (const call of calls) call.resolve();
    await settle();
    for (const call of calls) call.resolve();
    await settle();
    expect(calls.map((call) => call.id)).toEqual(["m-1", "m-2", "m-3", "m-4", "m-5"]);
    expect(queue.counts()).toMatchObject({ delivered: 5, failed: 0, queued: 0, inFlight: 0 });
  });

  test("retries a failed delivery, and gives up after the last retry", async () => {
    let attempts = 0;
    const queue = createDeliveryQueue({
      logger,
      retryDelaysMs: [1, 1],
      deliver: async (n) => {
        attempts += 1;
        if (n.messageId === "m-1" && attempts < 3) throw new Error("database unavailable");
        if (n.messageId === "m-2") throw new Error("still unavailable");
      },
    });
    queue.push(notification(1));
    while (queue.counts().delivered < 1) await Bun.sleep(1);
    expect(attempts).toBe(3);
    attempts = 0;
    queue.push(notification(2));
    while (queue.counts().failed < 1) await Bun.sleep(1);
    expect(attempts).toBe(3);
    expect(queue.counts()).toMatchObject({ delivered: 1, failed: 1 });
  });

  test("a refusal of the event itself (4xx) is not retried, and counted as refused", async () => {
    let attempts = 0;
    const queue = createDeliveryQueue({
      logger,
      retryDelaysMs: [1, 1],
      deliver: async () => {
        attempts += 1;
        throw Object.assign(new Error("not in the catalogue"), { status: 422 });
      },
    });
    queue.push(notification(1));
    await settle();
    expect(queue.counts()).toMatchObject({ delivered: 0, refused: 1, failed: 0 });
    expect(attempts).toBe(1);
  });

  test("past the bound a notification is refused and counted", () => {
    const { deliver } = gate();
    const queue = createDeliveryQueue({ deliver, logger, maxInFlight: 1, maxQueued: 2 });
    expect([1, 2, 3, 4].map((n) => queue.push(notification(n)))).toEqual([true, true, true, false]);
    expect(queue.counts()).toMatchObject({ overflowed: 1, queued: 2, inFlight: 1 });
  });

  test("stop() drops what has not started, ends retry waits and waits for deliveries under way", async () => {
    const { calls, deliver } = gate();
    const queue = createDeliveryQueue({ deliver, logger, maxInFlight: 2, retryDelaysMs: [60_000] });
    for (let n = 1; n <= 4; n++) queue.push(notification(n));
    calls[0]?.reject(new Error("database unavailable"));
    await settle();
    let stopped = false;
    const stopping = queue.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    calls[1]?.resolve();
    await stopping;
    expect(queue.counts()).toMatchObject({ delivered: 1, failed: 3, queued: 0, inFlight: 0 });
    expect(queue.push(notification(5))).toBe(false);
  });
});
