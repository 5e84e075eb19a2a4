import { describe, expect, it } from "bun:test";
import { parseIronmonMessage } from "./ironmon";

describe("parseIronmonMessage", () => {
  it("reads data, or metadata from older trackers, with timestamp and frame", () => {
    const fresh = parseIronmonMessage({ type: "seed", data: { count: 3 }, frame: 10 });
    const old = parseIronmonMessage({ type: "init", metadata: { version: "1.0", game: 3 } });
    expect(fresh).toEqual({
      ok: true,
      message: { type: "seed", data: { count: 3 }, frame: 10, timestamp: undefined },
    });
    expect(old.ok && old.message.data).toEqual({ version: "1.0", game: 3 });
  });

  it("accepts a heartbeat with nothing in it", () => {
    expect(parseIronmonMessage({ type: "heartbeat" }).ok).toBe(true);
  });

  it("names the field that is wrong", () => {
    const bad = parseIronmonMessage({ type: "checkpoint", data: { id: "5", name: "BROCK" } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.path).toEqual(["data", "id"]);
    const game = parseIronmonMessage({ type: "init", data: { version: "1", game: 4 } });
    expect(game.ok).toBe(false);
  });

  it("refuses unknown types and non-objects", () => {
    expect(parseIronmonMessage({ type: "teleport", data: {} }).ok).toBe(false);
    expect(parseIronmonMessage([1, 2]).ok).toBe(false);
    expect(
      parseIronmonMessage({ type: "battle_end", data: { result: "draw", pokemon: [] } }).ok,
    ).toBe(false);
  });
});
