import { describe, expect, it } from "bun:test";
import { describeTakeover, titleSizeOf } from "./takeover";

describe("describeTakeover", () => {
  it("titles technical difficulties and says so under it, or the message given", () => {
    expect(describeTakeover({ type: "technical-difficulties", message: null })).toMatchObject({
      kicker: "Off air",
      title: "Technical difficulties",
      subtitle: "We're on it — back in a moment.",
    });
    expect(
      describeTakeover({ type: "technical-difficulties", message: "Router rebooting" }).subtitle,
    ).toBe("Router rebooting");
  });

  it("asks to stand by", () => {
    expect(describeTakeover({ type: "please-stand-by", message: null }).title).toBe(
      "Please stand by",
    );
  });

  it("covers the screen with nothing but the message, if any", () => {
    expect(describeTakeover({ type: "screen-cover", message: null })).toMatchObject({
      kicker: null,
      title: null,
      subtitle: null,
    });
    expect(describeTakeover({ type: "screen-cover", message: "brb" }).title).toBe("brb");
  });

  it("shows a custom takeover's message as its title", () => {
    expect(describeTakeover({ type: "custom", message: "  Dinner break!  " }).title).toBe(
      "Dinner break!",
    );
  });

  it("makes a longer title smaller, so the longest message fits the cover", () => {
    expect(describeTakeover({ type: "technical-difficulties", message: null }).titleSize).toBe(
      "large",
    );
    expect(titleSizeOf("x".repeat(40))).toBe("large");
    expect(titleSizeOf("x".repeat(41))).toBe("medium");
    expect(titleSizeOf("x".repeat(120))).toBe("medium");
    expect(titleSizeOf("x".repeat(121))).toBe("small");
    expect(titleSizeOf("x".repeat(251))).toBe("smallest");
    expect(describeTakeover({ type: "custom", message: "x".repeat(500) }).titleSize).toBe(
      "smallest",
    );
  });
});
