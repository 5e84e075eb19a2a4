/** The fake id service, driven over HTTP as the hub's OAuth client will drive Twitch's. */
import { afterEach, describe, expect, test } from "bun:test";
import { type FakeTwitch, type FakeTwitchOptions, startFakeTwitch } from "./fake";
import {
  CLIENT_ID,
  oauthError,
  pollDevice,
  postForm,
  refresh,
  requestDevice,
  TokenAnswer,
  validate,
} from "./fake-client";

let twitch: FakeTwitch | null = null;

function start(options: FakeTwitchOptions = {}): FakeTwitch {
  twitch = startFakeTwitch({ clientId: CLIENT_ID, ...options });
  return twitch;
}

afterEach(async () => {
  await twitch?.stop();
  twitch = null;
});

describe("Device Code Grant Flow", () => {
  test("a device code answers authorization_pending until approved, then tokens once", async () => {
    const server = start({ deviceIntervalSeconds: 1 });
    const device = await requestDevice(server);
    expect(device).toEqual({
      device_code: expect.any(String),
      expires_in: 1800,
      interval: 1,
      user_code: expect.stringMatching(/^[A-Z]{8}$/),
      verification_uri: `${server.url}/activate?device-code=${device.user_code}`,
    });

    const pending = await pollDevice(server, device.device_code);
    expect(pending.status).toBe(400);
    expect(await oauthError(pending)).toEqual({ status: 400, message: "authorization_pending" });

    server.approveDevice(device.user_code);
    const granted = await pollDevice(server, device.device_code);
    expect(granted.status).toBe(200);
    const tokens = TokenAnswer.parse(await granted.json());
    expect(tokens.scope).toEqual(["channel:manage:broadcast", "channel:read:goals"]);

    const again = await pollDevice(server, device.device_code);
    expect(await oauthError(again)).toEqual({ status: 400, message: "invalid device code" });
    expect(server.devices()).toEqual([
      { userCode: device.user_code, scopes: tokens.scope, status: "used" },
    ]);
  });

  test("the validated token names the client, the user, its scopes and seconds left", async () => {
    const server = start({ accessTokenSeconds: 600 });
    const device = await requestDevice(server, "channel:manage:broadcast");
    server.approveDevice();
    const tokens = TokenAnswer.parse(await (await pollDevice(server, device.device_code)).json());
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
    const response = await validate(server, tokens.access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      client_id: CLIENT_ID,
      login: server.user.login,
      scopes: ["channel:manage:broadcast"],
      user_id: server.user.id,
      expires_in: expect.any(Number),
    });
  });

  test("approval grants the configured scopes instead of those asked for", async () => {
    const server = start({ scopes: ["user:read:chat"] });
    const device = await requestDevice(server);
    server.approveDevice(device.user_code);
    const tokens = TokenAnswer.parse(await (await pollDevice(server, device.device_code)).json());
    expect(tokens.scope).toEqual(["user:read:chat"]);
  });

  test("a denied code is an invalid device code, an expired one expired_token", async () => {
    const server = start();
    const denied = await requestDevice(server);
    const expired = await requestDevice(server);
    server.denyDevice(denied.user_code);
    server.expireDevice(expired.user_code);
    expect(await oauthError(await pollDevice(server, denied.device_code))).toEqual({
      status: 400,
      message: "invalid device code",
    });
    expect(await oauthError(await pollDevice(server, expired.device_code))).toEqual({
      status: 400,
      message: "expired_token",
    });
    expect(() => server.approveDevice(expired.user_code)).toThrow();
    expect(await oauthError(await pollDevice(server, "no-such-code"))).toEqual({
      status: 400,
      message: "invalid device code",
    });
  });

  test("slowDownDevice answers the next poll slow_down, and the one after as before", async () => {
    const server = start();
    const device = await requestDevice(server);
    server.slowDownDevice();
    expect(await oauthError(await pollDevice(server, device.device_code))).toEqual({
      status: 400,
      message: "slow_down",
    });
    expect(await oauthError(await pollDevice(server, device.device_code))).toEqual({
      status: 400,
      message: "authorization_pending",
    });
    server.slowDownDevice(device.user_code);
    server.approveDevice(device.user_code);
    expect((await oauthError(await pollDevice(server, device.device_code))).message).toBe(
      "slow_down",
    );
    expect((await pollDevice(server, device.device_code)).status).toBe(200);
  });

  test("on the test's clock, device codes and tokens last as long as that clock says", async () => {
    let clock = Date.parse("2026-11-21T12:00:00.000Z");
    const server = start({ now: () => clock, deviceExpiresInSeconds: 60 });
    const device = await requestDevice(server);
    const tokens = server.issueToken({ expiresIn: 3600 });
    clock += 1000;
    expect(await (await validate(server, tokens.access_token)).json()).toMatchObject({
      expires_in: 3599,
    });
    clock += 59_000;
    expect((await oauthError(await pollDevice(server, device.device_code))).message).toBe(
      "expired_token",
    );
    clock += 3540_000;
    expect((await validate(server, tokens.access_token)).status).toBe(401);
    const renewed = TokenAnswer.parse(await (await refresh(server, tokens.refresh_token)).json());
    expect(renewed.expires_in).toBe(14_400);
    expect(server.requests().at(-1)?.at).toBe(clock);
  });

  test("another app's client id is refused", async () => {
    const server = start({ clientSecret: "secret" });
    const foreign = await postForm(`${server.authUrl}/device`, { client_id: "other", scopes: "" });
    expect(await oauthError(foreign)).toEqual({ status: 400, message: "invalid client" });
    const missing = await postForm(`${server.authUrl}/device`, { scopes: "" });
    expect(await oauthError(missing)).toEqual({ status: 400, message: "missing client id" });
    const device = await requestDevice(server);
    const wrongSecret = await postForm(`${server.authUrl}/token`, {
      client_id: CLIENT_ID,
      client_secret: "wrong",
      device_code: device.device_code,
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
    });
    expect(await oauthError(wrongSecret)).toEqual({
      status: 403,
      message: "invalid client secret",
    });
  });
});

describe("refresh, validate and revoke", () => {
  test("a refresh rotates both tokens; the old ones stop working", async () => {
    const server = start();
    const first = server.issueToken({ scopes: ["channel:read:goals"] });
    const response = await refresh(server, first.refresh_token);
    expect(response.status).toBe(200);
    const second = TokenAnswer.parse(await response.json());
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toEqual(["channel:read:goals"]);

    expect(await oauthError(await validate(server, first.access_token))).toEqual({
      status: 401,
      message: "invalid access token",
    });
    expect((await validate(server, second.access_token)).status).toBe(200);
    expect(await oauthError(await refresh(server, first.refresh_token))).toEqual({
      status: 400,
      message: "Invalid refresh token",
    });
  });

  test("expired access tokens fail validation but can be refreshed", async () => {
    const server = start();
    const tokens = server.issueToken();
    server.expireAccessTokens();
    expect((await validate(server, tokens.access_token)).status).toBe(401);
    const refreshed = TokenAnswer.parse(await (await refresh(server, tokens.refresh_token)).json());
    expect((await validate(server, refreshed.access_token)).status).toBe(200);
  });

  test("validate without a token is 401", async () => {
    const server = start();
    const response = await fetch(`${server.authUrl}/validate`);
    expect(await oauthError(response)).toEqual({
      status: 401,
      message: "missing authorization token",
    });
  });

  test("revoke ends the grant; an unknown token is 400", async () => {
    const server = start();
    const tokens = server.issueToken();
    const revoke = (token: string) =>
      postForm(`${server.authUrl}/revoke`, { client_id: CLIENT_ID, token });
    const revoked = await revoke(tokens.access_token);
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toBe("");
    expect((await validate(server, tokens.access_token)).status).toBe(401);
    expect((await refresh(server, tokens.refresh_token)).status).toBe(400);
    expect(await oauthError(await revoke(tokens.access_token))).toEqual({
      status: 400,
      message: "Invalid token",
    });
  });
});

describe("what the fake hands out, and answers outside the protocol", () => {
  test("secrets() lists every device code, access token and refresh token handed out", async () => {
    const server = start();
    const device = await requestDevice(server);
    server.approveDevice();
    const granted = TokenAnswer.parse(await (await pollDevice(server, device.device_code)).json());
    const pasted = server.issueToken();
    const renewed = TokenAnswer.parse(await (await refresh(server, pasted.refresh_token)).json());
    expect(server.secrets()).toEqual([
      device.device_code,
      granted.access_token,
      granted.refresh_token,
      pasted.access_token,
      pasted.refresh_token,
      renewed.access_token,
      renewed.refresh_token,
    ]);
    expect(server.secrets()).not.toContain(device.user_code);
  });

  test("answerNext stands in for the next answer on a path, once each, in order", async () => {
    const server = start();
    server.answerNext("/oauth2/device", { status: 503, body: "<html>upstream error</html>" });
    server.answerNext("/oauth2/device", { body: { device_code: "x" } });
    const unavailable = await postForm(`${server.authUrl}/device`, { client_id: CLIENT_ID });
    expect(unavailable.status).toBe(503);
    expect(await unavailable.text()).toBe("<html>upstream error</html>");
    const wrong = await postForm(`${server.authUrl}/device`, { client_id: CLIENT_ID });
    expect(wrong.headers.get("content-type")).toContain("application/json");
    expect(await wrong.json()).toEqual({ device_code: "x" });
    await requestDevice(server);
    // Every request is logged, the scripted ones too.
    expect(server.requests().map((request) => request.path)).toEqual(
      Array(3).fill("/oauth2/device"),
    );
  });
});

describe("the activation page", () => {
  test("Authorize on the page approves the code with a real POST", async () => {
    const server = start();
    const device = await requestDevice(server);
    const page = await fetch(device.verification_uri);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(device.user_code);
    expect(html).toContain("channel:manage:broadcast");
    const field = /<input type="hidden" name="user_code" value="([A-Z]+)">/.exec(html)?.[1];
    expect(field).toBe(device.user_code);

    const approved = await postForm(`${server.url}/activate`, {
      user_code: device.user_code,
      action: "approve",
    });
    expect(approved.status).toBe(200);
    expect(await approved.text()).toContain("Your device is connected");
    expect((await pollDevice(server, device.device_code)).status).toBe(200);

    const stale = await postForm(`${server.url}/activate`, {
      user_code: device.user_code,
      action: "approve",
    });
    expect(stale.status).toBe(404);
  });

  test("Cancel denies the code, and an unknown code shows an error", async () => {
    const server = start();
    const device = await requestDevice(server);
    const cancelled = await postForm(`${server.url}/activate`, {
      user_code: device.user_code,
      action: "deny",
    });
    expect(await cancelled.text()).toContain("not connected");
    expect(await oauthError(await pollDevice(server, device.device_code))).toEqual({
      status: 400,
      message: "invalid device code",
    });
    expect((await fetch(`${server.url}/activate?device-code=NOPENOPE`)).status).toBe(404);
  });
});
