import { describe, expect, it } from "bun:test";
import { createHallucinationFilter, DEFAULT_HALLUCINATIONS } from "./filter";

describe("the hallucination filter", () => {
  const filter = createHallucinationFilter();

  it("drops the stock phrases Whisper answers silence with, whatever their case and punctuation", () => {
    for (const text of [
      "[BLANK_AUDIO]",
      " Thank you. ",
      "thank you",
      "THANKS FOR WATCHING",
      "you",
      "You.",
      "(silence)",
    ])
      expect(filter.judge(text)).toBe("hallucination");
  });

  it("drops text made only of bracketed annotations", () => {
    for (const text of ["[MUSIC]", "(wind blowing)", "[Music] (applause)", "*sigh*"])
      expect(filter.judge(text)).toBe("hallucination");
  });

  it("keeps the same words inside real speech", () => {
    for (const text of [
      "Thank you, chat, for the raid!",
      "you know what I mean",
      "[laughs] that was close",
    ])
      expect(filter.judge(text)).toBe("speech");
  });

  it("calls text with no words empty", () => {
    for (const text of ["", "   ", "...", "♪"]) expect(filter.judge(text)).toBe("empty");
  });

  it("uses the configured list instead of the defaults", () => {
    const custom = createHallucinationFilter(["Subscribe!"]);
    expect(custom.judge("subscribe")).toBe("hallucination");
    expect(custom.judge("Thank you.")).toBe("speech");
    expect(DEFAULT_HALLUCINATIONS).toContain("Thank you.");
  });
});
