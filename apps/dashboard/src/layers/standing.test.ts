import { describe, expect, it } from "bun:test";
import { layerStanding, omnibarText } from "./standing";

describe("layerStanding", () => {
  it("puts the top layer on screen only while the omnibar shows and nothing covers it", () => {
    expect(layerStanding({ onTop: true, covered: false, omnibarHidden: false })).toBe("on_screen");
    expect(layerStanding({ onTop: true, covered: false, omnibarHidden: true })).toBe(
      "omnibar_hidden",
    );
    expect(layerStanding({ onTop: true, covered: true, omnibarHidden: true })).toBe("covered");
    expect(layerStanding({ onTop: false, covered: false, omnibarHidden: false })).toBe("waiting");
  });
});

describe("omnibarText", () => {
  it("says the omnibar shows, or which scene hides it", () => {
    expect(omnibarText({ hidden: false, reason: null }, "Gameplay")).toBe("shown");
    expect(omnibarText({ hidden: true, reason: "scene" }, "BRB")).toBe("hidden on the scene BRB");
    expect(omnibarText({ hidden: true, reason: "scene" }, null)).toBe("hidden on this scene");
  });
});
