import { describe, expect, it } from "bun:test";
import { freshOrNull, STALE_GRACE_MS, staleAt } from "./stale";

const alert = {
  id: "a",
  started_at: "2026-11-21T12:00:00.000Z",
  expires_at: "2026-11-21T12:00:05.000Z",
};
// The state arrived 2 s after the alert started, by a local clock far from the hub's.
const stamp = { updatedAt: "2026-11-21T12:00:02.000Z", receivedAt: 1_000_000 };
const deadline = stamp.receivedAt + 3_000 + STALE_GRACE_MS;

describe("stale content", () => {
  it("goes stale after the time it had left when it arrived, plus a grace", () => {
    expect(staleAt(alert, stamp)).toBe(deadline);
    expect(staleAt(alert, stamp, 0)).toBe(stamp.receivedAt + 3_000);
  });

  it("does not depend on the hub's clock agreeing with the page's", () => {
    const later = { updatedAt: stamp.updatedAt, receivedAt: stamp.receivedAt + 3_600_000 };
    expect(staleAt(alert, later)).toBe(deadline + 3_600_000);
  });

  it("never goes stale without an expiry", () => {
    expect(staleAt({ expires_at: null }, stamp)).toBeNull();
    expect(staleAt(null, stamp)).toBeNull();
    expect(freshOrNull({ expires_at: null }, stamp, Number.MAX_SAFE_INTEGER)).not.toBeNull();
  });

  it("keeps content until it is stale, then drops it", () => {
    expect(freshOrNull(alert, stamp, deadline - 1)).toBe(alert);
    expect(freshOrNull(alert, stamp, deadline)).toBeNull();
  });

  it("treats content already past its time when it arrived as having none left", () => {
    const late = { updatedAt: "2026-11-21T12:00:09.000Z", receivedAt: 5_000 };
    expect(staleAt(alert, late)).toBe(5_000 + STALE_GRACE_MS);
  });

  it("ignores an expiry it cannot read", () => {
    expect(staleAt({ expires_at: "soon" }, stamp)).toBeNull();
  });
});
