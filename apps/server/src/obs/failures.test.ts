import { describe, expect, it } from "bun:test";
import { obsRefused } from "./failures";

describe("obsRefused", () => {
  it("says OBS's comment when it gives one", () => {
    const err = obsRefused(
      "SetCurrentProgramScene",
      600,
      "No source was found by the name of `X`.",
    );
    expect(err.status).toBe(422);
    expect(err.message).toBe(
      "OBS refused SetCurrentProgramScene: No source was found by the name of `X`. (600)",
    );
  });

  it("puts the status in words when OBS gives no comment, as obs-websocket 5.1 does", () => {
    expect(obsRefused("StopRecord", 501, "").message).toBe(
      "OBS refused StopRecord: the output is not running (501)",
    );
    expect(obsRefused("Whatever", 999, undefined).message).toBe("OBS refused Whatever: status 999");
  });
});
