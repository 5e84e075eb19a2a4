import { describe, expect, it } from "bun:test";
import { sinePcm } from "../../test/support/frames";
import { choiceFor, examine32, parseSampleFormats, SampleFormatGuess } from "./sample-format";

describe("PHONONMASER_SAMPLE_FORMAT", () => {
  it("is auto for every source by default", () => {
    expect(parseSampleFormats("")).toEqual({ fallback: "auto", bySource: {} });
  });

  it("takes a default and per-source formats", () => {
    const formats = parseSampleFormats("float32, desk=int32 ,a=b=INT32");
    expect(formats).toEqual({ fallback: "float32", bySource: { desk: "int32", "a=b": "int32" } });
    if (typeof formats === "string") throw new Error(formats);
    expect(choiceFor(formats, "desk")).toBe("int32");
    expect(choiceFor(formats, "mic")).toBe("float32");
  });

  it("names what is wrong with a bad entry", () => {
    expect(parseSampleFormats("mic=int24")).toBe(
      '"mic=int24": the format must be int32, float32 or auto (as "format" or "sourceId=format", comma-separated)',
    );
    expect(parseSampleFormats("=int32")).toBe('"=int32": a source id is missing before "="');
  });
});

describe("the 32-bit guess", () => {
  it("finds int32 in int32 speech-level audio at its first frame", () => {
    const pcm = sinePcm("int32", { frames: 1024, amplitude: 0.3 });
    expect(examine32(pcm).int32).toBe(true);
    const guess = new SampleFormatGuess("auto");
    expect(guess.formatOf(pcm)).toBe("int32");
    expect(guess.decided).toBe(true);
    // Settled: even a frame that reads as plausible floats stays int32.
    expect(guess.formatOf(sinePcm("float32", { frames: 1024 }))).toBe("int32");
  });

  it("finds int32 in loud int32 audio too", () => {
    expect(examine32(sinePcm("int32", { frames: 1024, amplitude: 0.99 })).int32).toBe(true);
  });

  it("reads float32 as float32, and settles after enough non-zero samples", () => {
    const guess = new SampleFormatGuess("auto");
    const loud = sinePcm("float32", { frames: 1024, amplitude: 0.99 });
    expect(examine32(loud)).toEqual({ int32: false, nonZero: 2046 });
    for (let i = 0; i < 7; i++) expect(guess.formatOf(loud)).toBe("float32");
    expect(guess.decided).toBe(false);
    guess.formatOf(loud);
    expect(guess.decided).toBe(true);
  });

  it("leaves silence undecided", () => {
    const guess = new SampleFormatGuess("auto");
    expect(guess.formatOf(new Uint8Array(4096))).toBe("float32");
    expect(guess.decided).toBe(false);
    expect(guess.formatOf(sinePcm("int32", { frames: 256 }))).toBe("int32");
  });

  it("never guesses when the source's format is configured", () => {
    const guess = new SampleFormatGuess("float32");
    expect(guess.formatOf(sinePcm("int32", { frames: 256 }))).toBe("float32");
  });
});
