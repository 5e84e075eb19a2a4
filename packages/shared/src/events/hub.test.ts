import { describe, expect, it } from "bun:test";
import { HUB_EVENT_SCHEMAS, type HubEventType, jsonProblem, MAX_JSON_DEPTH } from "./hub";
import { HUB_SAMPLES } from "./hub.fixtures";

const TYPES = Object.keys(HUB_EVENT_SCHEMAS) as HubEventType[];

describe("the hub's own event schemas", () => {
  it.each(TYPES)("accepts the sample of %s", (type) => {
    expect(HUB_EVENT_SCHEMAS[type].safeParse(HUB_SAMPLES[type]).success).toBe(true);
  });

  it.each(TYPES)("refuses %s data with a field it does not know", (type) => {
    const result = HUB_EVENT_SCHEMAS[type].safeParse({ ...HUB_SAMPLES[type], surprise: 1 });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: "unrecognized_keys", keys: ["surprise"] }),
    ]);
  });

  it("needs only what each type cannot do without", () => {
    expect(HUB_EVENT_SCHEMAS["obs.stream.stopped"].safeParse({}).success).toBe(true);
    expect(HUB_EVENT_SCHEMAS["obs.scene.changed"].safeParse({}).success).toBe(false);
    expect(HUB_EVENT_SCHEMAS["obs.scene_list.changed"].safeParse({}).success).toBe(false);
    expect(HUB_EVENT_SCHEMAS["obs.scene_list.changed"].safeParse({ scenes: [] }).success).toBe(
      true,
    );
    expect(HUB_EVENT_SCHEMAS["obs.studio_mode.changed"].safeParse({}).success).toBe(false);
    expect(HUB_EVENT_SCHEMAS["obs.replay_buffer.saved"].safeParse({ path: "" }).success).toBe(
      false,
    );
    expect(HUB_EVENT_SCHEMAS["obs.recording.paused"].safeParse({}).success).toBe(true);
    expect(HUB_EVENT_SCHEMAS["system.error"].safeParse({ message: "boom" }).success).toBe(false);
    expect(
      HUB_EVENT_SCHEMAS["system.error"].safeParse({ message: "boom", component: "db" }).success,
    ).toBe(true);
    expect(
      HUB_EVENT_SCHEMAS["system.connection.failed"].safeParse({ service: "obs", reason: "" })
        .success,
    ).toBe(true);
    expect(HUB_EVENT_SCHEMAS["stream.takeover.started"].safeParse({ type: "brb" }).success).toBe(
      true,
    );
    expect(HUB_EVENT_SCHEMAS["stream.show.changed"].safeParse({}).success).toBe(false);
  });

  it("takes OBS timecodes as OBS shows them", () => {
    const stopped = HUB_EVENT_SCHEMAS["obs.stream.stopped"];
    expect(stopped.safeParse({ timecode: "01:02:03.456" }).success).toBe(true);
    expect(stopped.safeParse({ timecode: "123:00:00" }).success).toBe(true);
    expect(stopped.safeParse({ timecode: "1h2m" }).success).toBe(false);
  });

  it("refuses a takeover with no kind or a non-positive duration", () => {
    const started = HUB_EVENT_SCHEMAS["stream.takeover.started"];
    expect(started.safeParse({ type: "" }).success).toBe(false);
    expect(started.safeParse({ type: "brb", duration_ms: 0 }).success).toBe(false);
  });
});

describe("jsonProblem", () => {
  it("finds nothing wrong with plain JSON", () => {
    expect(jsonProblem({ a: [1, "2", true, null, { b: -0.5 }] })).toBeNull();
    expect(jsonProblem(Object.assign(Object.create(null), { a: 1 }))).toBeNull();
  });

  it("points at the first value JSON would not carry as it is", () => {
    expect(jsonProblem({ a: { b: [0, undefined] } })).toEqual({
      path: ["a", "b", 1],
      message: "must be JSON, not undefined",
    });
    expect(jsonProblem({ n: Number.POSITIVE_INFINITY })?.path).toEqual(["n"]);
    expect(jsonProblem({ big: 1n })?.path).toEqual(["big"]);
    expect(jsonProblem(new Map())?.message).toBe("must be a plain JSON object, array or value");
  });

  it("allows nesting to the limit and no further", () => {
    const nest = (depth: number) => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = { v: value };
      return value;
    };
    expect(jsonProblem(nest(MAX_JSON_DEPTH))).toBeNull();
    expect(jsonProblem(nest(MAX_JSON_DEPTH + 1))?.message).toContain(String(MAX_JSON_DEPTH));
  });
});
