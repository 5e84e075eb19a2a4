/** The reducer's invariants over random inputs, and the data shapes of the hub's own content. */
import { describe, expect, it } from "bun:test";
import { SubTrainData, TICKER_DATA, TimelineData } from "@landale/shared";
import fc from "fast-check";
import {
  engineConfig,
  PROPERTY_RUNS,
  play,
  start,
  steps,
} from "../../test/support/reducer-properties";
import { SECOND, StreamDriver } from "../../test/support/stream";
import { DEFAULT_ENGINE_CONFIG, TICKER_ITEMS } from "./config";
import { copyState, initialEngineState, viewOf } from "./core";
import { reduce } from "./reducer";

describe("invariants over random inputs", () => {
  it("keeps every state valid, versioned, sorted, bounded and free of expired content", () => {
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        play(config, at, script);
      }),
      PROPERTY_RUNS,
    );
  });

  it("gives the same results for the same inputs at the same times", () => {
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        const run = play(config, at, script);
        let core = initialEngineState(run.start, run.config.defaultShow);
        core = reduce(core, { kind: "tick" }, run.start, run.config).core;
        for (const [index, { input, now }] of run.inputs.entries()) {
          const result = reduce(core, input, now, run.config);
          expect(result).toStrictEqual(run.results[index]!);
          core = result.core;
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it("leaves the state it was given as it was", () => {
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        const run = play(config, at, script);
        let core = initialEngineState(run.start, run.config.defaultShow);
        for (const { input, now } of run.inputs) {
          const before = JSON.stringify(core);
          const next = reduce(core, input, now, run.config).core;
          expect(JSON.stringify(core)).toBe(before);
          core = next;
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it("copies a state whole: equal, and no object of it shared", () => {
    /** Every object and array inside `value`. */
    const objectsOf = (value: unknown, found = new Set<object>()): Set<object> => {
      if (typeof value !== "object" || value === null) return found;
      found.add(value);
      for (const inner of Object.values(value)) objectsOf(inner, found);
      return found;
    };
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        const run = play(config, at, script);
        const core =
          run.results.at(-1)?.core ?? initialEngineState(run.start, run.config.defaultShow);
        const copy = copyState(core);
        expect(copy).toStrictEqual(core);
        const original = objectsOf(core);
        for (const inner of objectsOf(copy)) expect(original.has(inner)).toBe(false);
      }),
      PROPERTY_RUNS,
    );
  });

  it("shows the same whether or not a tick ran just before an input at the same instant", () => {
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        const run = play(config, at, script);
        let core = initialEngineState(run.start, run.config.defaultShow);
        core = reduce(core, { kind: "tick" }, run.start, run.config).core;
        for (const { input, now } of run.inputs) {
          const direct = reduce(core, input, now, run.config);
          const ticked = reduce(
            reduce(core, { kind: "tick" }, now, run.config).core,
            input,
            now,
            run.config,
          );
          expect(ticked.error?.code).toBe(direct.error?.code);
          if (direct.error === undefined) {
            expect(viewOf(ticked.core, run.config)).toEqual(viewOf(direct.core, run.config));
          }
          core = direct.core;
        }
      }),
      PROPERTY_RUNS,
    );
  });
});

describe("the hub's own content", () => {
  it("carries the data shapes the contract defines for trains, timelines and every ticker item", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscribe", { user_name: "early" });
    expect(SubTrainData.safeParse(stream.midground?.data).success).toBe(true);
    const quiet = new StreamDriver();
    quiet.event("channel.follow", { user_name: "fan" });
    expect(TimelineData.safeParse(quiet.midground?.data).success).toBe(true);
    const seen = new Set<string>();
    for (let turn = 0; turn < DEFAULT_ENGINE_CONFIG.shows.variety!.length; turn++) {
      quiet.at(turn * 15 * SECOND).tick();
      const item = quiet.background;
      const schema = TICKER_DATA[item?.type as keyof typeof TICKER_DATA];
      expect(schema.safeParse(item?.data).success).toBe(true);
      seen.add(item?.type ?? "");
    }
    // The ironmon and now-playing items: reducer.shows.test.ts.
    expect([...seen].sort()).toEqual(TICKER_ITEMS.map((item) => `ticker.${item}`).sort());
  });
});
