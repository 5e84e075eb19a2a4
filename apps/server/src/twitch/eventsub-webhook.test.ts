import { describe, expect, it } from "bun:test";
import { createHmac } from "node:crypto";
import {
  isFresh,
  MAX_MESSAGE_AGE_MS,
  SeenMessageIds,
  signEventSub,
  verifyEventSub,
} from "./eventsub-webhook";

const SECRET = "s3cr3t-for-tests";
const ID = "befa7b53-d79d-478f-86b9-120f112b044e";
const TIMESTAMP = "2026-12-04T13:00:00.123456789Z";
const BODY = new TextEncoder().encode('{"subscription":{"id":"x","type":"channel.follow"}}');

const headers = (signature: string) => ({
  "twitch-eventsub-message-id": ID,
  "twitch-eventsub-message-timestamp": TIMESTAMP,
  "twitch-eventsub-message-signature": signature,
});

describe("EventSub webhook signature", () => {
  it("is the hex HMAC-SHA256 of id + timestamp + body, as Twitch documents", () => {
    const expected = createHmac("sha256", SECRET)
      .update(ID + TIMESTAMP + new TextDecoder().decode(BODY))
      .digest("hex");
    expect(signEventSub(SECRET, ID, TIMESTAMP, BODY)).toBe(`sha256=${expected}`);
  });

  it("accepts Twitch's signature and refuses any other", () => {
    const good = signEventSub(SECRET, ID, TIMESTAMP, BODY);
    expect(verifyEventSub(SECRET, headers(good), BODY)).toBe(true);
    expect(
      verifyEventSub(SECRET, headers(good.toUpperCase().replace("SHA256", "sha256")), BODY),
    ).toBe(true);
    expect(verifyEventSub("another-secret-x", headers(good), BODY)).toBe(false);
    const tampered = new TextEncoder().encode(
      '{"subscription":{"id":"y","type":"channel.follow"}}',
    );
    expect(verifyEventSub(SECRET, headers(good), tampered)).toBe(false);
    expect(
      verifyEventSub(SECRET, { ...headers(good), "twitch-eventsub-message-id": "other" }, BODY),
    ).toBe(false);
  });

  it("refuses malformed signatures without throwing", () => {
    for (const bad of [
      "",
      "sha256=",
      "sha256=abc",
      `md5=${"0".repeat(64)}`,
      `sha256=${"z".repeat(64)}`,
    ]) {
      expect(verifyEventSub(SECRET, headers(bad), BODY)).toBe(false);
    }
  });
});

describe("EventSub webhook freshness", () => {
  const now = Date.parse(TIMESTAMP);
  it("takes a timestamp within 10 minutes either way and refuses an older, newer or invalid one", () => {
    expect(isFresh(TIMESTAMP, now)).toBe(true);
    expect(isFresh(TIMESTAMP, now + MAX_MESSAGE_AGE_MS)).toBe(true);
    expect(isFresh(TIMESTAMP, now + MAX_MESSAGE_AGE_MS + 1)).toBe(false);
    expect(isFresh(TIMESTAMP, now - MAX_MESSAGE_AGE_MS - 1)).toBe(false);
    expect(isFresh("not a time", now)).toBe(false);
  });
});

describe("SeenMessageIds", () => {
  it("remembers the newest ids up to its bound and counts those it forgets", () => {
    const seen = new SeenMessageIds(2);
    seen.add("a");
    seen.add("b");
    seen.add("b");
    expect(seen.forgotten).toBe(0);
    seen.add("c");
    expect(seen.has("a")).toBe(false);
    expect(seen.has("b") && seen.has("c")).toBe(true);
    expect(seen.size).toBe(2);
    expect(seen.forgotten).toBe(1);
  });
});
