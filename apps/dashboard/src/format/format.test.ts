import { describe, expect, it } from "bun:test";
import { tierLabel } from "@landale/shared";
import {
  formatAgo,
  formatBytes,
  formatCount,
  formatCountdown,
  formatUntil,
  formatUptime,
  plural,
} from "./format";

describe("formatCountdown", () => {
  it("rounds up to whole seconds so the last second still shows 0:01", () => {
    expect(formatCountdown(4_200)).toBe("0:05");
    expect(formatCountdown(1)).toBe("0:01");
  });
  it("never goes negative", () => {
    expect(formatCountdown(-3_000)).toBe("0:00");
  });
  it("shows minutes and hours when they are there", () => {
    expect(formatCountdown(65_000)).toBe("1:05");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
  });
});

describe("formatUptime", () => {
  it("picks the two largest units", () => {
    expect(formatUptime(42)).toBe("42 s");
    expect(formatUptime(185)).toBe("3 min 05 s");
    expect(formatUptime(2 * 3600 + 14 * 60)).toBe("2 h 14 min");
    expect(formatUptime(3 * 86400 + 4 * 3600)).toBe("3 d 4 h");
  });
});

describe("formatBytes", () => {
  it("keeps bytes exact and larger sizes to one decimal", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(12 * 1024 * 1024)).toBe("12.0 MB");
  });
});

describe("formatAgo", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  it("says how long ago in the largest whole unit", () => {
    expect(formatAgo("2026-01-01T11:59:58Z", now)).toBe("just now");
    expect(formatAgo("2026-01-01T11:59:30Z", now)).toBe("30 s ago");
    expect(formatAgo("2026-01-01T11:57:00Z", now)).toBe("3 min ago");
    expect(formatAgo("2026-01-01T09:00:00Z", now)).toBe("3 h ago");
  });
  it("gives back what it cannot read", () => {
    expect(formatAgo("soon", now)).toBe("soon");
  });
});

describe("counts and names", () => {
  it("groups thousands and pluralises", () => {
    expect(formatCount(9001)).toBe("9,001");
    expect(plural(1, "alert")).toBe("1 alert");
    expect(plural(1200, "alert")).toBe("1,200 alerts");
  });
  it("names Twitch tiers", () => {
    expect(tierLabel("1000")).toBe("Tier 1");
    expect(tierLabel("2000")).toBe("Tier 2");
    expect(tierLabel("3000")).toBe("Tier 3");
  });
});

describe("formatUntil", () => {
  it("says how long until a time, and that it passed once it has", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatUntil("2026-01-01T12:00:42Z", now)).toBe("in 42 s");
    expect(formatUntil("2026-01-01T15:12:00Z", now)).toBe("in 3 h 12 min");
    expect(formatUntil("2026-01-01T11:59:00Z", now)).toBe("passed");
    expect(formatUntil("soon", now)).toBe("soon");
  });
});
