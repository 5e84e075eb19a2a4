import { describe, expect, it } from "bun:test";
import { CANVAS, cssVariables, SPACE, TYPE, UNIT } from "./tokens";

describe("design tokens", () => {
  it("is a 1920×1080 canvas", () => {
    expect(CANVAS).toEqual({ width: 1920, height: 1080 });
  });

  it("spaces everything in multiples of 12", () => {
    expect(UNIT).toBe(12);
    for (const [step, px] of Object.entries(SPACE)) expect(px).toBe(Number(step) * 12);
  });

  it("grows the type scale with every step", () => {
    const sizes = Object.values(TYPE);
    for (let index = 1; index < sizes.length; index++) {
      expect(sizes[index] ?? 0).toBeGreaterThan(sizes[index - 1] ?? 0);
    }
  });

  it("names every token as a CSS custom property", () => {
    const variables = cssVariables();
    expect(variables["--space-2"]).toBe("24px");
    expect(variables["--color-panel-raised"]).toMatch(/^rgba\(/);
    expect(variables["--text-xl"]).toBe("48px");
    expect(variables["--canvas-width"]).toBe("1920px");
    for (const name of Object.keys(variables)) expect(name).toMatch(/^--[a-z0-9-]+$/);
  });
});
