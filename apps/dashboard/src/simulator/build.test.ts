import { describe, expect, it } from "bun:test";
import { parseEventInput } from "@landale/shared";
import { type BuildResult, buildEvents, fieldOfPath, issueText } from "./build";
import { chatFragments } from "./chat-fragments";
import { DEFAULT_FORM, SIMULATOR_KINDS, type SimulatorForm } from "./form";
import { userIdOf } from "./viewers";

let counter = 0;
const context = { now: Date.parse("2026-03-01T20:00:00Z"), newId: () => `id-${++counter}` };
const build = (change: Partial<SimulatorForm>) =>
  buildEvents({ ...DEFAULT_FORM, ...change }, context);

function events(result: BuildResult) {
  if (!result.ok) throw new Error(`refused: ${result.issues.map(issueText).join("; ")}`);
  return result.events;
}

describe("buildEvents", () => {
  it("builds a valid event of every kind from the default form", () => {
    for (const { id, type } of SIMULATOR_KINDS) {
      const [event] = events(build({ kind: id, message: "hi Kappa" }));
      expect(event?.type).toBe(type);
      expect(event?.source).toBe("dashboard");
      expect(parseEventInput(event).ok).toBe(true);
    }
  });

  it("makes a follow by the named viewer, with a login and a stable id", () => {
    const [event] = events(build({ kind: "follow", user: "Night Owl" }));
    expect(event?.data).toMatchObject({
      user_name: "Night Owl",
      user_login: "nightowl",
      user_id: userIdOf("nightowl"),
      followed_at: "2026-03-01T20:00:00.000Z",
    });
  });

  it("carries the tier, the number gifted, the bits and the viewers as typed", () => {
    expect(events(build({ kind: "sub", tier: "3000" }))[0]?.data).toMatchObject({ tier: "3000" });
    expect(events(build({ kind: "gift", count: "10" }))[0]?.data).toMatchObject({ total: 10 });
    expect(events(build({ kind: "cheer", bits: "250" }))[0]?.data).toMatchObject({ bits: 250 });
    expect(events(build({ kind: "raid", viewers: "77" }))[0]?.data).toMatchObject({
      from_broadcaster_user_name: "Cool_User",
      viewers: 77,
    });
  });

  it("leaves the gifter out of an anonymous gift", () => {
    const [event] = events(build({ kind: "gift", anonymous: true }));
    expect(event?.data).toMatchObject({ is_anonymous: true, user_id: null, user_name: null });
  });

  it("sends a burst of N with numbered viewers", () => {
    const burst = events(build({ kind: "follow", user: "fan", burst: "3" }));
    expect(burst.map((e) => (e.data as { user_name: string }).user_name)).toEqual([
      "fan1",
      "fan2",
      "fan3",
    ]);
  });

  it("gives chat messages unique ids", () => {
    const burst = events(build({ kind: "chat", message: "hello", burst: "2" }));
    const ids = burst.map((e) => (e.data as { message_id: string }).message_id);
    expect(new Set(ids).size).toBe(2);
  });
});

describe("refusals name the field", () => {
  it("refuses zero bits, naming Bits and data.bits", () => {
    const result = build({ kind: "cheer", bits: "0" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.field).toBe("bits");
    expect(issueText(result.issues[0]!)).toStartWith("Bits (data.bits): ");
  });

  it("refuses a missing number as required", () => {
    const result = build({ kind: "raid", viewers: " " });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ field: "viewers", path: "data.viewers" });
    expect(result.issues[0]?.message).toContain("required");
  });

  it("refuses an empty user name", () => {
    const result = build({ kind: "follow", user: "" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.field)).toContain("user");
  });

  it("reports a burst's problem once, not once per event", () => {
    const result = build({ kind: "cheer", bits: "-5", burst: "20" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.path).toBe("data.bits");
  });

  it("refuses a burst outside 1 to 1000", () => {
    for (const burst of ["0", "1001", "2.5", "many"]) {
      const result = build({ burst });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(issueText(result.issues[0]!)).toStartWith("Burst: ");
    }
  });
});

describe("fieldOfPath", () => {
  it("maps event paths back to form fields", () => {
    expect(fieldOfPath("data.user_id")).toBe("user");
    expect(fieldOfPath("[3].data.chatter_user_login")).toBe("user");
    expect(fieldOfPath("data.from_broadcaster_user_name")).toBe("user");
    expect(fieldOfPath("data.total")).toBe("count");
    expect(fieldOfPath("data.message.text")).toBe("message");
    expect(fieldOfPath("data.reward.cost")).toBe("cost");
    expect(fieldOfPath("type")).toBeNull();
  });
});

describe("chatFragments", () => {
  it("marks listed emotes and mentions, and joins back into the text", () => {
    const fragments = chatFragments("gg Kappa  @Someone nice", "Kappa, LUL");
    expect(fragments.map((f) => f.text).join("")).toBe("gg Kappa  @Someone nice");
    expect(fragments.map((f) => f.type)).toEqual(["text", "emote", "text", "mention", "text"]);
    expect(fragments[3]?.mention?.user_login).toBe("someone");
  });
});
