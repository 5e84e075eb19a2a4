import { describe, expect, it } from "bun:test";
import { EventFanout, type Subscriber } from "./events";

class FakeSubscriber implements Subscriber {
  sent: unknown[] = [];
  buffered = 0;
  send(data: string): number {
    this.sent.push(JSON.parse(data));
    return data.length;
  }
  getBufferedAmount(): number {
    return this.buffered;
  }
}

function fanout(now: () => number) {
  return new EventFanout({
    maxSubscribers: 2,
    maxBufferedBytes: 1000,
    chunkIntervalMs: 100,
    maxSources: 2,
    now,
  });
}

const chunk = (sourceId: string, timestampUs = 1) => ({
  timestampUs,
  sourceId,
  sourceName: sourceId.toUpperCase(),
  size: 4096,
});

describe("EventFanout", () => {
  it("sends at most one audio:chunk per source per interval, in the older shape", () => {
    let now = 0;
    const events = fanout(() => now);
    const subscriber = new FakeSubscriber();
    events.add(subscriber);
    events.chunk(chunk("mic", 10));
    now = 50;
    events.chunk(chunk("mic", 20));
    events.chunk(chunk("desk", 30));
    now = 100;
    events.chunk(chunk("mic", 40));
    expect(subscriber.sent).toEqual([
      { type: "audio:chunk", timestamp: 10, source_id: "mic", source_name: "MIC", size: 4096 },
      { type: "audio:chunk", timestamp: 30, source_id: "desk", source_name: "DESK", size: 4096 },
      { type: "audio:chunk", timestamp: 40, source_id: "mic", source_name: "MIC", size: 4096 },
    ]);
  });

  it("sends audio:transcription in the older shape", () => {
    const events = fanout(() => 0);
    const subscriber = new FakeSubscriber();
    events.add(subscriber);
    events.transcription({ timestampUs: 1_700_000_000_000_000, durationSeconds: 2.5, text: "hi" });
    expect(subscriber.sent).toEqual([
      { type: "audio:transcription", timestamp: 1_700_000_000_000_000, duration: 2.5, text: "hi" },
    ]);
  });

  it("drops and counts messages for a subscriber that is behind, and refuses one too many", () => {
    const events = fanout(() => 0);
    const slow = new FakeSubscriber();
    const fast = new FakeSubscriber();
    slow.buffered = 5000;
    expect(events.add(slow)).toBe(true);
    expect(events.add(fast)).toBe(true);
    expect(events.add(new FakeSubscriber())).toBe(false);
    events.transcription({ timestampUs: 1, durationSeconds: 1, text: "a" });
    events.transcription({ timestampUs: 2, durationSeconds: 1, text: "b" });
    expect(slow.sent).toEqual([]);
    expect(fast.sent.length).toBe(2);
    expect(events.dropped).toBe(2);
  });

  it("keeps the rate limiter's map within its bound", () => {
    const events = fanout(() => 0);
    const subscriber = new FakeSubscriber();
    events.add(subscriber);
    events.chunk(chunk("a"));
    events.chunk(chunk("b"));
    events.chunk(chunk("c"));
    // "a" was forgotten to make room for "c": its next chunk is not limited.
    events.chunk(chunk("a"));
    events.chunk(chunk("c"));
    expect(subscriber.sent.map((event) => (event as { source_id: string }).source_id)).toEqual([
      "a",
      "b",
      "c",
      "a",
    ]);
  });
});
