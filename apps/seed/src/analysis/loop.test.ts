import { describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import { StreamContext } from "@landale/shared";
import { chatEvent, transcription } from "../../test/support/inputs";
import { Inputs } from "../inputs/inputs";
import { type EpochMs, epochMsOf, isoOf, shift } from "../time";
import { createAnalyzer } from "./analyze";
import { AnalysisLoop } from "./loop";

const logger = createLogger({ name: "seed-test", level: "silent" });
const CADENCE = {
  analysisIntervalMs: 30_000,
  analysisWindowMs: 120_000,
  contextIntervalMs: 120_000,
  reactionMs: 10_000,
};

function setup(startIso = "2025-06-01T12:00:00.000Z") {
  const clock = { now: epochMsOf(startIso)! };
  const inputs = new Inputs();
  const contexts: StreamContext[] = [];
  const loop = new AnalysisLoop({
    inputs,
    cadence: CADENCE,
    analyze: createAnalyzer(null, logger),
    submit: (context) => contexts.push(context),
    nativeEmotes: () => null,
    clock: () => clock.now,
    logger,
  });
  const advance = (ms: number) => {
    clock.now = shift(clock.now, ms);
  };
  return { clock, inputs, contexts, loop, advance };
}

describe("AnalysisLoop", () => {
  // The older worker stamped chat in milliseconds, speech in microseconds and compared both with
  // a clock in seconds, so chat was pruned as "old" before any analysis saw it. The same inputs,
  // as they reach this worker: every ts is an ISO instant, whatever unit its producer counted in.
  it("keeps chat inside the window until it is analysed, whatever units its producers used", async () => {
    const { clock, inputs, contexts, loop, advance } = setup();
    advance(CADENCE.contextIntervalMs);
    const now = clock.now;
    // phononmaser measured the segment's start in microseconds; the older worker wrote LA time
    const startedUs = (now - 30_000) * 1000;
    const said = new Date(startedUs / 1000).toISOString().replace("Z", "000Z");
    inputs.takeTranscription(transcription(said, "did you see that jump", { durationMs: 2000 }));
    const laTime = new Date(now - 20_000 - 7 * 3_600_000).toISOString().replace("Z", "-07:00");
    inputs.takeTranscription(transcription(laTime, "again, watch", { durationMs: 1000 }));
    // Twitch's chat in milliseconds, and a data field in seconds that must not be read
    for (const [offsetMs, user] of [
      [-27_500, "ana"],
      [-26_000, "bo"],
      [-18_000, "cy"],
    ] as const) {
      const event = chatEvent(isoOf(shift(now, offsetMs)), { user, text: "WOW that jump!" });
      inputs.takeChat({
        ...event,
        data: { ...(event.data as object), sent_at: (now + offsetMs) / 1000 },
      });
    }

    await loop.tick();

    expect(contexts).toHaveLength(1);
    const [context] = contexts;
    expect(StreamContext.parse(context)).toEqual(context!);
    expect(context!.chat).toEqual({
      messages: 3,
      velocity: 1.5,
      participants: 3,
      reaction_share: 1,
    });
    expect(context!.transcript).toBe("did you see that jump again, watch");
    expect(inputs.stats().chat).toMatchObject({ size: 3, pruned: 0 });
    // What made the old bug possible no longer compiles: an instant is only ever epoch ms.
    const seconds = Math.floor(now / 1000);
    // @ts-expect-error a bare number of seconds is not an instant
    expect(inputs.between(seconds - 120, seconds).chat).toEqual([]);
  });

  it("prunes only after analysing, and only what no later window covers", async () => {
    const { clock, inputs, loop, advance } = setup();
    const start = clock.now;
    inputs.takeChat(chatEvent(isoOf(shift(start, 1000)), { user: "early", text: "first" }));
    advance(100_000);
    inputs.takeChat(chatEvent(isoOf(clock.now), { user: "late", text: "second" }));
    advance(30_000);
    await loop.tick();
    // the window is [10 s, 130 s): "early" (1 s) can never be in a window again
    expect(loop.last()?.summary.chat.map((line) => line.user)).toEqual(["late"]);
    expect(inputs.stats().chat).toMatchObject({ size: 1, pruned: 1 });
  });

  it("analyses every tick and stores a context once per context interval", async () => {
    const { inputs, contexts, loop, advance, clock } = setup();
    for (let tick = 1; tick <= 8; tick++) {
      advance(CADENCE.analysisIntervalMs);
      inputs.takeChat(
        chatEvent(isoOf(shift(clock.now, -1000)), { user: "a", text: `tick ${tick}` }),
      );
      await loop.tick();
    }
    expect(loop.stats()).toMatchObject({ analyses: 8, contexts: 2, fallbacks: { no_model: 8 } });
    expect(contexts.map((context) => context.source)).toEqual([
      { kind: "fallback", detail: "no_model" },
      { kind: "fallback", detail: "no_model" },
    ]);
    const [first, second] = contexts;
    expect(Date.parse(second!.ended_at) - Date.parse(first!.ended_at)).toBe(120_000);
    expect(Date.parse(first!.ended_at) - Date.parse(first!.started_at)).toBe(120_000);
  });

  it("passes quiet windows without an analysis", async () => {
    const { contexts, loop, advance } = setup();
    advance(CADENCE.contextIntervalMs);
    await loop.tick();
    expect(loop.stats()).toMatchObject({ analyses: 0, quiet: 1 });
    expect(contexts).toEqual([]);
  });

  it("names the day's session when nobody spoke", async () => {
    const { inputs, contexts, loop, advance, clock } = setup("2025-06-01T23:59:00.000Z");
    advance(CADENCE.contextIntervalMs);
    inputs.takeChat(chatEvent(isoOf(shift(clock.now, -1000)), { user: "a", text: "hi" }));
    await loop.tick();
    expect(contexts[0]?.session_id).toBe("stream_2025_06_02");
  });

  it("skips a tick while the previous one still runs", async () => {
    const { inputs, loop, advance, clock } = setup();
    advance(CADENCE.analysisIntervalMs);
    inputs.takeChat(chatEvent(isoOf(shift(clock.now, -1000)), { user: "a", text: "hi" }));
    const first = loop.tick();
    const second = loop.tick();
    await Promise.all([first, second]);
    expect(loop.stats()).toMatchObject({ analyses: 1, skipped: 1 });
  });
});

// An instant's type is only made by the clock or from ISO text (see `time.ts`).
it("reads ISO instants with any fraction and offset as epoch milliseconds", () => {
  const ms = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
  expect(epochMsOf("2025-06-01T12:00:00.123456Z")).toBe(ms as EpochMs);
  expect(epochMsOf("2025-06-01T05:00:00.123-07:00")).toBe(ms as EpochMs);
  expect(epochMsOf("not a date")).toBeNull();
});
