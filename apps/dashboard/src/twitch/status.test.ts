import { describe, expect, it } from "bun:test";
import type { TwitchStatus } from "@landale/shared";
import { sampleTwitchStatus } from "@landale/shared/fixtures/twitch-status";
import {
  describeEventSub,
  describeStatus,
  describeSubscription,
  linkLabel,
  safeLink,
  scopeRows,
  tokenInput,
  troubledSubscriptions,
} from "./status";

const status = (change: Partial<TwitchStatus> = {}): TwitchStatus => sampleTwitchStatus(change);

describe("describeStatus", () => {
  it("tells an unconfigured hub which variable to set and to restart", () => {
    const words = describeStatus(status({ state: "not_configured" }));
    expect(words.summary).toContain("TWITCH_CLIENT_ID");
    expect(words.summary).toContain("restart");
  });

  it("names the signed-in user, and asks to connect again when scopes are missing", () => {
    const user = { id: "1", login: "landale" };
    const whole = describeStatus(status({ state: "connected", user, scopes: ["a"] }));
    expect(whole).toMatchObject({ label: "Connected", tone: "ok" });
    expect(whole.summary).toBe("Signed in as landale.");
    const lacking = describeStatus(
      status({ state: "connected", user, scopes: ["a"], missing_scopes: ["b", "c"] }),
    );
    expect(lacking.tone).toBe("warning");
    expect(lacking.summary).toContain("connect again to grant them");
  });

  it("points at the code while a sign-in to grant the missing scopes waits, still connected", () => {
    const device = {
      user_code: "ABCDEFGH",
      verification_uri: "https://www.twitch.tv/activate?device-code=ABCDEFGH",
      expires_at: "2030-01-01T00:00:00.000Z",
    };
    const words = describeStatus(
      status({
        state: "connected",
        user: { id: "1", login: "landale" },
        missing_scopes: ["b"],
        device,
      }),
    );
    expect(words.label).toBe("Connected, scopes missing");
    expect(words.summary).toStartWith("Signed in as landale.");
    expect(words.summary).toContain("enter the code below at Twitch");
    expect(words.summary).not.toContain("connect again");
  });

  it("says what went wrong with an invalid grant in Twitch's or the hub's words", () => {
    const problem = { code: "grant_revoked", message: "Twitch revoked it.", action: "Sign in." };
    expect(describeStatus(status({ state: "invalid", problem }))).toMatchObject({
      tone: "danger",
      summary: "Twitch revoked it.",
    });
    expect(describeStatus(status({ state: "invalid" })).summary).toContain("Connect again");
  });

  it("has words for every state", () => {
    for (const state of ["not_configured", "signed_out", "awaiting_user", "connected", "invalid"]) {
      const words = describeStatus(status({ state: state as TwitchStatus["state"] }));
      expect(words.label.length).toBeGreaterThan(0);
      expect(words.summary.length).toBeGreaterThan(0);
    }
  });
});

describe("scopeRows", () => {
  it("lists the missing scopes first, flagged, then the granted ones, each sorted", () => {
    expect(
      scopeRows({
        scopes: ["moderator:read:followers", "bits:read"],
        missing_scopes: ["user:read:chat", "channel:manage:broadcast"],
      }),
    ).toEqual([
      { scope: "channel:manage:broadcast", missing: true },
      { scope: "user:read:chat", missing: true },
      { scope: "bits:read", missing: false },
      { scope: "moderator:read:followers", missing: false },
    ]);
  });
});

describe("describeSubscription", () => {
  it("marks enabled ones ok, pending ones neutral, and revoked or failed ones as trouble", () => {
    expect(describeSubscription({ status: "enabled" }).tone).toBe("ok");
    expect(describeSubscription({ status: "pending" }).tone).toBe("neutral");
    expect(describeSubscription({ status: "failed" }).tone).toBe("danger");
    expect(describeSubscription({ status: "authorization_revoked" })).toEqual({
      words: "revoked: the grant no longer allows it",
      tone: "danger",
    });
  });

  it("reads a status it does not know as words, as trouble", () => {
    expect(describeSubscription({ status: "beta_maintenance" })).toEqual({
      words: "beta maintenance",
      tone: "danger",
    });
  });

  it("counts the subscriptions that deliver nothing", () => {
    const sub = (status: string) => ({ type: "t", version: "1", id: null, status, error: null });
    expect(troubledSubscriptions([sub("enabled"), sub("failed"), sub("pending"), sub("x")])).toBe(
      2,
    );
  });
});

describe("describeEventSub", () => {
  it("is ok only when connected", () => {
    expect(describeEventSub("connected").tone).toBe("ok");
    expect(describeEventSub("reconnecting").tone).toBe("warning");
    expect(describeEventSub("stopped").tone).toBe("neutral");
  });
});

describe("safeLink", () => {
  it("keeps web addresses and refuses anything else", () => {
    expect(safeLink("https://www.twitch.tv/activate?device-code=ABCD")).toBe(
      "https://www.twitch.tv/activate?device-code=ABCD",
    );
    expect(safeLink("http://127.0.0.1:9000/activate")).toBe("http://127.0.0.1:9000/activate");
    expect(safeLink("javascript:alert(1)")).toBeNull();
    expect(safeLink("not a url")).toBeNull();
  });
});

describe("linkLabel", () => {
  it("reads as host and path, without the query", () => {
    expect(linkLabel("https://www.twitch.tv/activate?device-code=ABCD")).toBe(
      "www.twitch.tv/activate",
    );
    expect(linkLabel("http://127.0.0.1:9000/")).toBe("127.0.0.1:9000");
  });
});

describe("tokenInput", () => {
  it("builds the body, dropping an oauth: prefix and an empty refresh token", () => {
    expect(tokenInput({ access: "  oauth:abc123  ", refresh: "" })).toEqual({
      ok: true,
      input: { access_token: "abc123" },
    });
    expect(tokenInput({ access: "abc", refresh: " r3fresh " })).toEqual({
      ok: true,
      input: { access_token: "abc", refresh_token: "r3fresh" },
    });
  });

  it("names the field that is wrong", () => {
    expect(tokenInput({ access: " ", refresh: "" })).toMatchObject({ ok: false, field: "access" });
    expect(tokenInput({ access: "User Access Token: abc", refresh: "" })).toMatchObject({
      ok: false,
      field: "access",
    });
    expect(tokenInput({ access: "abc", refresh: "r".repeat(600) })).toMatchObject({
      ok: false,
      field: "refresh",
    });
  });
});
