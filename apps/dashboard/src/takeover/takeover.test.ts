import { describe, expect, it } from "bun:test";
import { TAKEOVER_PRESETS, takeoverCommand } from "./takeover";

describe("takeover presets", () => {
  it("are the three a streamer reaches for, with their durations", () => {
    expect(TAKEOVER_PRESETS).toEqual([
      { type: "technical-difficulties", duration: 30 },
      { type: "please-stand-by", duration: 15 },
      { type: "screen-cover", duration: 10 },
    ]);
  });
});

describe("takeoverCommand", () => {
  it("builds the command, leaving out what was left empty", () => {
    expect(takeoverCommand({ type: "please-stand-by", message: "", duration: "" })).toEqual({
      ok: true,
      command: { type: "please-stand-by" },
    });
    expect(
      takeoverCommand({ type: "screen-cover", message: " back soon ", duration: "45" }),
    ).toEqual({
      ok: true,
      command: { type: "screen-cover", message: "back soon", duration: 45 },
    });
  });

  it("asks for a message on a custom takeover, naming the field", () => {
    const result = takeoverCommand({ type: "custom", message: "", duration: "10" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.field).toBe("message");
  });

  it("refuses a duration over an hour, saying it is in seconds", () => {
    const result = takeoverCommand({ type: "screen-cover", message: "", duration: "10000" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues[0]?.field).toBe("duration");
      expect(result.issues[0]?.message).toContain("3600 seconds");
    }
  });

  it("refuses a duration that is not a positive number of seconds", () => {
    for (const duration of ["0", "-5", "soon"]) {
      const result = takeoverCommand({ type: "screen-cover", message: "", duration });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues[0]?.field).toBe("duration");
    }
  });
});
