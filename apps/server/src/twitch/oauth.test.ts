import { afterEach, describe, expect, it } from "bun:test";
import {
  DEFAULT_FAKE_USER,
  type FakeTwitch,
  startFakeTwitch,
  startTcpProxy,
} from "@landale/testkit";
import { createOAuthClient, scopeList, TwitchOAuthError } from "./oauth";

const CLIENT_ID = "landalefakeclient0000000000001";
const SCOPES = ["moderator:read:followers", "channel:manage:broadcast"];
const fakes: FakeTwitch[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

/** The fake's clock stands still: a token issued for an hour has an hour left. */
const T0 = Date.parse("2026-11-21T12:00:00.000Z");

function setUp(clientSecret: string | null = null) {
  const fake = startFakeTwitch({
    clientId: CLIENT_ID,
    ...(clientSecret === null ? {} : { clientSecret }),
    now: () => T0,
  });
  fakes.push(fake);
  const oauth = createOAuthClient({ authUrl: fake.authUrl, clientId: CLIENT_ID, clientSecret });
  return { fake, oauth };
}

/** The form fields of the latest request the fake received. */
function lastForm(fake: FakeTwitch): Record<string, string> {
  const form = fake.requests().at(-1)?.form;
  if (!form) throw new Error("the latest request carried no form");
  return form;
}

describe("the Twitch OAuth client", () => {
  it("runs a device-code sign-in: code, pending, slow_down, then the grant", async () => {
    const { fake, oauth } = setUp();
    const code = await oauth.requestDeviceCode(SCOPES);
    expect(code).toMatchObject({ expires_in: 1800, interval: 5 });
    expect(lastForm(fake)).toEqual({
      client_id: CLIENT_ID,
      scopes: SCOPES.join(" "),
    });

    expect(await oauth.pollDeviceCode(code.device_code, SCOPES)).toEqual({ status: "pending" });
    fake.slowDownDevice();
    expect(await oauth.pollDeviceCode(code.device_code, SCOPES)).toEqual({ status: "slow_down" });
    fake.approveDevice();
    const granted = await oauth.pollDeviceCode(code.device_code, SCOPES);
    if (granted.status !== "granted") throw new Error(`expected a grant, got ${granted.status}`);
    expect(scopeList(granted.token.scope)).toEqual([...SCOPES].sort());
    expect(lastForm(fake)).toMatchObject({
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: code.device_code,
    });
    // The code is spent: Twitch no longer knows it.
    expect(await oauth.pollDeviceCode(code.device_code, SCOPES)).toEqual({ status: "invalid" });
  });

  it("tells a code the user declined from one that expired", async () => {
    const { fake, oauth } = setUp();
    const declined = await oauth.requestDeviceCode(SCOPES);
    fake.denyDevice();
    expect(await oauth.pollDeviceCode(declined.device_code, SCOPES)).toEqual({ status: "invalid" });
    const expired = await oauth.requestDeviceCode(SCOPES);
    fake.expireDevice();
    expect(await oauth.pollDeviceCode(expired.device_code, SCOPES)).toEqual({ status: "expired" });
  });

  it("names the path once when Twitch cannot be reached", async () => {
    const oauth = createOAuthClient({
      authUrl: "http://127.0.0.1:1/oauth2",
      clientId: CLIENT_ID,
      clientSecret: null,
    });
    const err = await oauth.refresh("a-refresh-token").catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "network", status: null });
    expect((err as Error).message).toStartWith("Twitch could not be reached (/token): ");
    expect((err as Error).message.split("could not be reached")).toHaveLength(2);
  });

  it("validates a token with the OAuth header, and says null when Twitch does not accept it", async () => {
    const { fake, oauth } = setUp();
    const { access_token: accessToken } = fake.issueToken({ scopes: SCOPES, expiresIn: 3600 });
    expect(await oauth.validate(accessToken)).toEqual({
      client_id: CLIENT_ID,
      login: DEFAULT_FAKE_USER.login,
      user_id: DEFAULT_FAKE_USER.id,
      scopes: SCOPES,
      expires_in: 3600,
    });
    expect(fake.requests().at(-1)?.authorization).toBe(`OAuth ${accessToken}`);
    expect(fake.requests().at(-1)?.path).toBe("/oauth2/validate");
    expect(await oauth.validate("not-a-token")).toBeNull();
  });

  it("renews with a refresh token once, and carries Twitch's reason when it refuses", async () => {
    const { fake, oauth } = setUp();
    const { refresh_token: refreshToken } = fake.issueToken({ scopes: SCOPES });
    const renewed = await oauth.refresh(refreshToken);
    expect(renewed.refresh_token).not.toBe(refreshToken);
    expect(await oauth.validate(renewed.access_token)).not.toBeNull();

    const refused = oauth.refresh(refreshToken);
    await expect(refused).rejects.toBeInstanceOf(TwitchOAuthError);
    await expect(refused).rejects.toMatchObject({
      kind: "refused",
      status: 400,
      message: "Invalid refresh token",
    });
  });

  it("sends the client secret on /token only when one is configured", async () => {
    const open = setUp();
    await open.oauth.refresh(open.fake.issueToken({ scopes: SCOPES }).refresh_token);
    expect(lastForm(open.fake)).not.toHaveProperty("client_secret");

    const confidential = setUp("the-client-secret");
    await confidential.oauth.refresh(
      confidential.fake.issueToken({ scopes: SCOPES }).refresh_token,
    );
    expect(lastForm(confidential.fake).client_secret).toBe("the-client-secret");
    const code = await confidential.oauth.requestDeviceCode(SCOPES);
    expect(lastForm(confidential.fake)).not.toHaveProperty("client_secret");
    await confidential.oauth.pollDeviceCode(code.device_code, SCOPES);
    expect(lastForm(confidential.fake).client_secret).toBe("the-client-secret");
  });

  it("revokes a token, after which Twitch does not accept it", async () => {
    const { fake, oauth } = setUp();
    const { access_token: accessToken } = fake.issueToken({ scopes: SCOPES });
    await oauth.revoke(accessToken);
    expect(lastForm(fake)).toEqual({ client_id: CLIENT_ID, token: accessToken });
    expect(await oauth.validate(accessToken)).toBeNull();
    await expect(oauth.revoke("unknown")).rejects.toMatchObject({ message: "Invalid token" });
  });

  it("calls Twitch out of reach a network failure, not a refusal", async () => {
    const { fake } = setUp();
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: fake.port });
    try {
      const authUrl = `http://127.0.0.1:${proxy.port}/oauth2`;
      const oauth = createOAuthClient({ authUrl, clientId: CLIENT_ID, clientSecret: null });
      const { access_token: accessToken, refresh_token: refreshToken } = fake.issueToken({
        scopes: SCOPES,
      });
      expect(await oauth.validate(accessToken)).not.toBeNull();
      await proxy.cut();
      await expect(oauth.refresh(refreshToken)).rejects.toMatchObject({
        kind: "network",
        status: null,
      });
      await expect(oauth.validate(accessToken)).rejects.toMatchObject({ kind: "network" });
      await proxy.restore();
      expect((await oauth.refresh(refreshToken)).access_token).toBeString();
    } finally {
      await proxy.stop();
    }
  });

  it("calls a 5xx from Twitch out of reach for now, not a refusal", async () => {
    const { fake, oauth } = setUp();
    const { refresh_token: refreshToken } = fake.issueToken({ scopes: SCOPES });
    fake.answerNext("/oauth2/token", { status: 503, body: "<html>Service Unavailable</html>" });
    await expect(oauth.refresh(refreshToken)).rejects.toMatchObject({
      kind: "network",
      status: 503,
    });
    // Twitch did not act on it: the same refresh token still works.
    expect((await oauth.refresh(refreshToken)).access_token).toBeString();
  });

  it("says what is wrong with an answer of the wrong shape", async () => {
    const { fake, oauth } = setUp();
    fake.answerNext("/oauth2/device", { body: { device_code: "x" } });
    await expect(oauth.requestDeviceCode(SCOPES)).rejects.toMatchObject({
      kind: "protocol",
      message: expect.stringContaining("user_code"),
    });
  });
});

describe("scopeList", () => {
  it("takes Twitch's array or a space-separated string, sorted and without repeats", () => {
    expect(scopeList(["b", "a", "b"])).toEqual(["a", "b"]);
    expect(scopeList("b a  c")).toEqual(["a", "b", "c"]);
    expect(scopeList(null)).toEqual([]);
  });
});
