import { describe, expect, it } from "bun:test";
import { describeTakeover } from "./takeover";

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
});
