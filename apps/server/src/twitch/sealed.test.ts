import { describe, expect, it } from "bun:test";
import { open, SealError, seal } from "./sealed";
import { SecretKey } from "./secret-key";

const key = (fill: number) => new SecretKey(new Uint8Array(32).fill(fill), "configured");

describe("seal and open", () => {
  it("round-trips, with a fresh IV every time", () => {
    const one = seal(key(1), "the access token", "twitch_grants:main");
    const two = seal(key(1), "the access token", "twitch_grants:main");
    expect(one).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain("access");
    expect(open(key(1), one, "twitch_grants:main")).toBe("the access token");
    expect(open(key(1), seal(key(1), "", "x"), "x")).toBe("");
  });

  it("says the key changed when the key is not the one it was sealed with", () => {
    const sealed = seal(key(1), "secret", "twitch_grants:main");
    let error: unknown;
    try {
      open(key(2), sealed, "twitch_grants:main");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SealError);
    expect((error as SealError).code).toBe("wrong_key");
    expect((error as SealError).message).toContain("the key changed since it was sealed");
  });

  it("does not open elsewhere than where it was sealed, nor once altered", () => {
    const sealed = seal(key(1), "secret", "twitch_grants:main");
    expect(() => open(key(1), sealed, "twitch_grants:bot")).toThrow(SealError);
    const at = sealed.length - 10;
    const altered = `${sealed.slice(0, at)}${sealed[at] === "A" ? "B" : "A"}${sealed.slice(at + 1)}`;
    expect(() => open(key(1), altered, "twitch_grants:main")).toThrow(SealError);
  });

  it.each(["", "plain text", "v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", "v1.short.AAAA"])(
    "refuses %p as malformed",
    (value) => {
      expect(() => open(key(1), value, "x")).toThrow("is not v1.<iv>.<ciphertext>");
    },
  );
});
