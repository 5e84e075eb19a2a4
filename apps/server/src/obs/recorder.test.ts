import { describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import { ManualScheduler, settle } from "../../test/support/scheduler";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";
import { createObsRecorder, MAX_QUEUED_EVENTS } from "./recorder";
import type { ObsCatalogueEvent } from "./status";

const logger = createLogger({ name: "test", level: "silent" });
const scene = (n: number): ObsCatalogueEvent => ({
  type: "obs.scene.changed",
  data: { scene_name: `Scene ${n}` },
});

/** An ingest that takes what it is given, one call at a time, when the test lets it. */
function gatedIngest() {
  const taken: unknown[] = [];
  const waiting: { raw: unknown; answer: (err?: AppError) => void }[] = [];
  const ingest: Ingest = (raw) =>
    new Promise((resolve, reject) => {
      waiting.push({
        raw,
        answer: (err) => {
          if (err) return reject(err);
          taken.push(raw);
          resolve([]);
        },
      });
    });
  const next = async (err?: AppError) => {
    while (waiting.length === 0) await settle();
    waiting.shift()?.answer(err);
    await settle();
  };
  return { ingest, taken, next, waiting };
}

describe("the OBS recorder", () => {
  it("stores one event at a time, in order, as source obs", async () => {
    const gate = gatedIngest();
    const recorder = createObsRecorder({ ...gate, logger, scheduler: new ManualScheduler() });
    recorder.record([scene(1), scene(2)]);
    recorder.record([scene(3)]);
    expect(gate.waiting).toHaveLength(1);
    for (let i = 0; i < 3; i++) await gate.next();
    expect(gate.taken).toEqual([1, 2, 3].map((n) => ({ ...scene(n), source: "obs" })));
  });

  it("waits out back-pressure and tries the same event again", async () => {
    const gate = gatedIngest();
    const scheduler = new ManualScheduler();
    const recorder = createObsRecorder({ ...gate, logger, scheduler });
    recorder.record([scene(1), scene(2)]);
    await gate.next(new AppError(503, "backpressure", "too many pending"));
    expect(gate.waiting).toHaveLength(0);
    await scheduler.advance(250);
    await gate.next();
    await gate.next();
    expect(gate.taken).toEqual([1, 2].map((n) => ({ ...scene(n), source: "obs" })));
    expect(scheduler.pendingTimers).toBe(0);
  });

  it(`keeps at most ${MAX_QUEUED_EVENTS} waiting and drops the rest`, async () => {
    const gate = gatedIngest();
    const recorder = createObsRecorder({ ...gate, logger, scheduler: new ManualScheduler() });
    recorder.record(Array.from({ length: MAX_QUEUED_EVENTS + 10 }, (_, n) => scene(n)));
    const stopping = recorder.stop();
    for (let i = 0; i < MAX_QUEUED_EVENTS; i++) await gate.next();
    await stopping;
    expect(gate.taken).toHaveLength(MAX_QUEUED_EVENTS);
    expect(gate.waiting).toHaveLength(0);
  });

  it("stops without waiting out a refusal: one more try, then it gives up", async () => {
    const gate = gatedIngest();
    const scheduler = new ManualScheduler();
    const recorder = createObsRecorder({ ...gate, logger, scheduler });
    recorder.record([scene(1)]);
    const busy = () => new AppError(503, "backpressure", "too many pending");
    await gate.next(busy());
    const stopping = recorder.stop();
    await gate.next(busy());
    await stopping;
    expect(scheduler.pendingTimers).toBe(0);
    expect(gate.taken).toEqual([]);
  });
});
