import { describe, expect, it } from "bun:test";
import type { z } from "zod";
import { EVENT_DATA_SCHEMAS, EVENT_TYPES, type KnownEventType } from "./catalogue";
import { MAX_EVENT_BYTES, MAX_EVENTS_PER_INPUT } from "./envelope";
import { FREE_FORM_SAMPLES, HUB_SAMPLES } from "./hub.fixtures";
import { IRONMON_SAMPLES } from "./ironmon.fixtures";
import { MAX_ISSUES } from "./issues";
import { parseEventInput, parseEventInputs, utf8Length } from "./parse";
import { RAINWAVE_SAMPLES } from "./rainwave.fixtures";
import { TWITCH_CLI_SAMPLES, TWITCH_SAMPLES } from "./twitch.fixtures";

const SAMPLES: Record<string, Record<string, unknown>> = {
  ...TWITCH_SAMPLES,
  ...HUB_SAMPLES,
  ...RAINWAVE_SAMPLES,
  ...IRONMON_SAMPLES,
};

function sampleOf(type: string): Record<string, unknown> {
  return structuredClone(SAMPLES[type]!);
}

function issuesOf(raw: unknown) {
  const result = parseEventInput(raw);
  return result.ok ? [] : result.issues;
}

function pathsOf(raw: unknown) {
  return issuesOf(raw).map((issue) => issue.path);
}

function shapeOf(type: KnownEventType): Record<string, z.ZodType> {
  return (EVENT_DATA_SCHEMAS[type] as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
}

function requiredKeysOf(type: KnownEventType): string[] {
  return Object.entries(shapeOf(type))
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);
}

/** A value this field refuses, from a few of every JSON kind; null when it takes them all. */
function wrongValueFor(field: z.ZodType): unknown {
  for (const candidate of [42, "wrong", true, [1], { wrong: 1 }]) {
    if (!field.safeParse(candidate).success) return candidate;
  }
  return null;
}

describe("parseEventInput", () => {
  it.each(EVENT_TYPES)("accepts the sample of %s, returning the input itself", (type) => {
    const input = { type, data: sampleOf(type) };
    const result = parseEventInput(input);
    expect<unknown>(result).toEqual({ ok: true, value: input });
    expect<unknown>(result.ok && result.value).toBe(input);
  });

  it.each(Object.entries(TWITCH_CLI_SAMPLES))(
    "accepts %s as the Twitch CLI sends it",
    (type, samples) => {
      for (const data of samples ?? [])
        expect(issuesOf({ type, data, source: "twitch" })).toEqual([]);
    },
  );

  it("accepts a full envelope input", () => {
    expect(
      issuesOf({
        id: "twitch:cc106a89-1814-919d-454c-f4f2f970aae7",
        type: "channel.follow",
        source: "twitch",
        ts: "2026-03-11T17:51:16.018+01:00",
        correlation_id: "req-42",
        data: sampleOf("channel.follow"),
      }),
    ).toEqual([]);
  });

  it.each(EVENT_TYPES.filter((type) => requiredKeysOf(type).length > 0))(
    "names each missing required field of %s",
    (type) => {
      for (const key of requiredKeysOf(type)) {
        const data = sampleOf(type);
        delete data[key];
        expect(issuesOf({ type, data })).toEqual([
          { path: `data.${key}`, message: expect.stringContaining("is required") },
        ]);
      }
    },
  );

  it.each(EVENT_TYPES.filter((type) => Object.keys(SAMPLES[type]!).length > 0))(
    "names each field of %s that has the wrong type",
    (type) => {
      for (const [key, field] of Object.entries(shapeOf(type))) {
        if (!(key in SAMPLES[type]!)) continue;
        const wrong = wrongValueFor(field);
        expect(wrong).not.toBeNull();
        const data = { ...sampleOf(type), [key]: wrong };
        expect(pathsOf({ type, data })).toEqual([`data.${key}`]);
      }
    },
  );

  it.each(EVENT_TYPES)("refuses %s data that is not an object", (type) => {
    expect(pathsOf({ type, data: "hello" })).toEqual(["data"]);
    expect(pathsOf({ type, data: null })).toEqual(["data"]);
  });

  it("says which Twitch field is wrong, e.g. data.bits", () => {
    expect(
      issuesOf({ type: "channel.cheer", data: { ...sampleOf("channel.cheer"), bits: "1000" } }),
    ).toEqual([{ path: "data.bits", message: expect.stringContaining("expected number") }]);
  });

  it("asks a charity event for its broadcaster by the name Twitch sends", () => {
    const data = sampleOf("channel.charity_campaign.progress");
    delete data.broadcaster_id;
    expect(issuesOf({ type: "channel.charity_campaign.progress", data })).toEqual([
      { path: "data.broadcaster_user_id", message: expect.stringContaining("is required") },
    ]);
  });

  it("writes nested paths with dots and array indexes", () => {
    const data = sampleOf("channel.prediction.progress") as {
      outcomes: { top_predictors: { channel_points_used: unknown }[] }[];
    };
    data.outcomes[1]!.top_predictors[0]!.channel_points_used = -1;
    expect(pathsOf({ type: "channel.prediction.progress", data })).toEqual([
      "data.outcomes[1].top_predictors[0].channel_points_used",
    ]);
  });

  it("narrows data by type for the code that handles it", () => {
    const result = parseEventInput({ type: "channel.cheer", data: sampleOf("channel.cheer") });
    if (!result.ok) throw new Error("the cheer sample is valid");
    const event = result.value;
    const bits: number | null = event.type === "channel.cheer" ? event.data.bits : null;
    expect(bits).toBe(1000);
  });

  it("keeps fields Twitch adds, in the value it returns", () => {
    const data = { ...sampleOf("channel.raid"), is_shared: false, raid_id: "r1" };
    const result = parseEventInput({ type: "channel.raid", data });
    expect(result.ok && result.value.data).toEqual(data);
  });

  it("refuses unknown fields in the hub's own types, naming them", () => {
    expect(
      issuesOf({ type: "obs.scene.changed", data: { scene_name: "Game", scene: "Game" } }),
    ).toEqual([{ path: "data.scene", message: "is not a known field" }]);
  });

  it("checks the envelope and the data together, reporting both", () => {
    expect(
      pathsOf({
        id: "not ok",
        type: "channel.cheer",
        source: "twitter",
        ts: "now",
        correlationId: "x",
        data: { ...sampleOf("channel.cheer"), bits: 0 },
      }),
    ).toEqual(["id", "source", "ts", "correlationId", "data.bits"]);
  });

  it("refuses an unknown type with one issue at type naming the families", () => {
    const issues = issuesOf({ type: "channel.ban", data: {} });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("type");
    expect(issues[0]!.message).toContain("custom.<name>");
    expect(issues[0]!.message).toContain("obs.*");
  });

  it("reports a type that is not a string once, at type", () => {
    expect(pathsOf({ type: 7, data: {} })).toEqual(["type"]);
    expect(pathsOf({ data: {} })).toEqual(["type"]);
    expect(pathsOf({ type: "", data: {} })).toEqual(["type"]);
  });

  it("requires data", () => {
    expect(issuesOf({ type: "stream.offline" })).toEqual([
      { path: "data", message: "is required" },
    ]);
  });

  it("refuses input that is not an event object", () => {
    for (const raw of [null, "event", 42, [], undefined]) {
      expect(issuesOf(raw)).toEqual([{ path: "", message: "must be an event object" }]);
    }
  });

  it("accepts free-form JSON in custom.* and objects in tcp.*", () => {
    for (const [type, data] of Object.entries(FREE_FORM_SAMPLES)) {
      expect(issuesOf({ type, data })).toEqual([]);
    }
    expect(issuesOf({ type: "custom.flag", data: null })).toEqual([]);
    expect(issuesOf({ type: "custom.list", data: [1, "two", { three: [true] }] })).toEqual([]);
    expect(pathsOf({ type: "tcp.message", data: [1, 2] })).toEqual(["data"]);
  });

  it("refuses free-form data that JSON would not carry as sent", () => {
    expect(issuesOf({ type: "custom.x", data: { when: new Date(0) } })).toEqual([
      { path: "data.when", message: "must be a plain JSON object, array or value" },
    ]);
    expect(pathsOf({ type: "custom.x", data: { list: [1, Number.NaN] } })).toEqual([
      "data.list[1]",
    ]);
    expect(pathsOf({ type: "tcp.x", data: { f: () => 1 } })).toEqual(["data.f"]);
  });

  it("refuses free-form data nested deeper than 32 levels", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 40; i++) deep = [deep];
    const issues = issuesOf({ type: "custom.deep", data: deep });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain("32");
  });

  it("refuses an event over 64 KB, naming its size and the limit", () => {
    const issues = issuesOf({ type: "custom.big", data: "x".repeat(MAX_EVENT_BYTES) });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("");
    expect(issues[0]!.message).toContain(`${MAX_EVENT_BYTES + 31} bytes`);
    expect(issues[0]!.message).toContain(String(MAX_EVENT_BYTES));
  });

  it("counts the limit in UTF-8 bytes, not characters", () => {
    // "é" is one character and two bytes: 30 000 fit, 33 000 do not
    expect(issuesOf({ type: "custom.text", data: "é".repeat(30_000) })).toEqual([]);
    expect(pathsOf({ type: "custom.text", data: "é".repeat(33_000) })).toEqual([""]);
  });

  it("accepts an event just under the limit and refuses one just over", () => {
    const overhead = JSON.stringify({ type: "custom.edge", data: "" }).length;
    const fits = "x".repeat(MAX_EVENT_BYTES - overhead);
    expect(issuesOf({ type: "custom.edge", data: fits })).toEqual([]);
    expect(pathsOf({ type: "custom.edge", data: `${fits}x` })).toEqual([""]);
  });

  it("refuses input JSON cannot serialize", () => {
    const cyclic: Record<string, unknown> = { type: "custom.loop" };
    cyclic.data = cyclic;
    expect(issuesOf(cyclic)).toEqual([
      { path: "", message: expect.stringContaining("JSON-serializable") },
    ]);
  });
});

describe("parseEventInputs", () => {
  const follow = () => ({ type: "channel.follow", data: sampleOf("channel.follow") });

  it("accepts an array of valid events as they are", () => {
    const events = [follow(), { type: "custom.x", data: 1 }, follow()];
    expect<unknown>(parseEventInputs(events)).toEqual({
      ok: true,
      value: events,
      sizes: events.map((event) => JSON.stringify(event).length),
      dataJson: events.map((event) => JSON.stringify(event.data)),
    });
  });

  it("measures an event's JSON whatever the order of its keys", () => {
    const event = { data: { n: 1 }, source: "api", type: "custom.x" };
    expect(parseEventInputs([event])).toMatchObject({
      sizes: [JSON.stringify(event).length],
      dataJson: ['{"n":1}'],
    });
  });

  it("wraps one event in an array, with paths as for one event", () => {
    const event = follow();
    expect<unknown>(parseEventInputs(event)).toEqual({
      ok: true,
      value: [event],
      sizes: [JSON.stringify(event).length],
      dataJson: [JSON.stringify(event.data)],
    });
    expect(parseEventInputs({ type: "channel.cheer", data: {} })).toMatchObject({
      ok: false,
      issues: expect.arrayContaining([expect.objectContaining({ path: "data.bits" })]),
    });
  });

  it("refuses the whole array for one bad event, prefixing paths with its index", () => {
    const events = [
      follow(),
      follow(),
      follow(),
      { type: "channel.cheer", data: { ...sampleOf("channel.cheer"), bits: "x" } },
    ];
    const result = parseEventInputs(events);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual(["[3].data.bits"]);
  });

  it("reports every bad event, each at its own index", () => {
    const result = parseEventInputs([
      { type: "nope", data: {} },
      follow(),
      "not an event",
      { type: "custom.x", data: "x".repeat(MAX_EVENT_BYTES) },
    ]);
    expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual([
      "[0].type",
      "[2]",
      "[3]",
    ]);
  });

  it("refuses an empty array and one past the per-request limit", () => {
    expect(parseEventInputs([])).toEqual({
      ok: false,
      issues: [{ path: "", message: "must carry at least one event" }],
    });
    const tooMany = Array.from({ length: MAX_EVENTS_PER_INPUT + 1 }, follow);
    expect(parseEventInputs(tooMany)).toEqual({
      ok: false,
      issues: [{ path: "", message: expect.stringContaining(String(MAX_EVENTS_PER_INPUT)) }],
    });
    expect(parseEventInputs(tooMany.slice(1)).ok).toBe(true);
  });

  it("caps the issues it reports and says how many it left out", () => {
    const broken = Array.from({ length: MAX_ISSUES + 20 }, () => ({ type: "nope", data: {} }));
    const result = parseEventInputs(broken);
    expect(!result.ok && result.issues).toHaveLength(MAX_ISSUES + 1);
    expect(!result.ok && result.issues.at(-1)).toEqual({ path: "", message: "and 20 more issues" });
  });
});

describe("utf8Length", () => {
  it("counts as a UTF-8 encoder does", () => {
    for (const text of [
      "",
      "ascii",
      "é",
      "€uro",
      "💜 hype",
      "a\u{10FFFF}b",
      "lone \ud800 high",
      "\udc00",
    ]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe("characters Postgres cannot store", () => {
  it("refuses a string holding NUL, naming its path", () => {
    const result = parseEventInput({ type: "custom.note", data: { text: "a\u0000b" } });
    expect(result).toEqual({
      ok: false,
      issues: [{ path: "data.text", message: expect.stringContaining("NUL character") }],
    });
  });

  it("refuses a lone surrogate anywhere in the data, naming its path", () => {
    const message = { text: "hi \ud800", fragments: [{ text: "ok" }, { text: "\udc00 low" }] };
    const result = parseEventInputs([
      { type: "custom.note", data: { text: "fine" } },
      { type: "custom.note", data: { message } },
    ]);
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          path: "[1].data.message.text",
          message: expect.stringContaining("lone UTF-16 surrogate"),
        },
        {
          path: "[1].data.message.fragments[1].text",
          message: expect.stringContaining("lone UTF-16 surrogate"),
        },
      ],
    });
  });

  it("refuses NUL or a lone surrogate in a key or an envelope field", () => {
    const result = parseEventInput({
      type: "custom.note",
      correlation_id: "c\u0000",
      data: { "bad\ud83d": 1 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(["correlation_id", "data.bad\ud83d"]);
  });

  it("accepts surrogate pairs (emoji) and other non-ASCII text", () => {
    expect(
      parseEventInput({ type: "custom.note", data: { text: "💜 hype é €", "ключ 🎉": "𝄞" } }).ok,
    ).toBe(true);
  });
});

describe("a literal backslash-u sequence", () => {
  it("is text, not NUL, and is accepted", () => {
    expect(parseEventInput({ type: "custom.note", data: { text: "type \\u0000 to see" } }).ok).toBe(
      true,
    );
  });
});
