import { describe, expect, it } from "bun:test";
import { timeLabels } from "./time-labels";

const at = (iso: string) => Date.parse(iso) / 1000;

describe("timeLabels", () => {
  it("reads ticks as a 24-hour clock, with no date beside the first", () => {
    const labels = timeLabels([at("2026-12-05T12:53:00"), at("2026-12-05T12:54:00")]);
    expect(labels).toEqual(["12:53", "12:54"]);
  });

  it("shows seconds only where ticks fall between whole minutes", () => {
    expect(timeLabels([at("2026-12-05T12:53:00"), at("2026-12-05T12:53:30")])).toEqual([
      "12:53:00",
      "12:53:30",
    ]);
  });

  it("puts the day under the time where it changes", () => {
    expect(timeLabels([at("2026-12-05T23:00:00"), at("2026-12-06T00:00:00")])).toEqual([
      "23:00",
      "00:00\n6 Dec",
    ]);
  });
});
