import { describe, expect, it } from "bun:test";
import { EVENT_FILTERS, eventFilterOf } from "./topics";

describe("eventFilterOf", () => {
  it("reads every known filter from its events topic", () => {
    for (const filter of EVENT_FILTERS) expect(eventFilterOf(`events:${filter}`)).toBe(filter);
  });

  it("refuses unknown filters and other topics", () => {
    expect(eventFilterOf("events:nope")).toBeNull();
    expect(eventFilterOf("events:")).toBeNull();
    expect(eventFilterOf("stream:overlays")).toBeNull();
  });
});
