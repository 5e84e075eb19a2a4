import { beforeEach, describe, expect, it } from "bun:test";
import { DEFAULT_FAKE_USER } from "@landale/testkit";
import { useTestDatabase } from "../../test/support/hub";
import {
  countRequests,
  SCOPES,
  setUpAuth,
  T0,
  testKey,
  until,
} from "../../test/support/twitch-auth";
import { createTokenStore } from "./token-store";

const iso = (ms: number) => new Date(ms).toISOString();

describe("Twitch sign-in", () => {
  const database = useTestDatabase("pglite");
  beforeEach(() => database.reset());

  it("is not_configured without a client id, and tells every caller so", async () => {
    const { start } = await setUpAuth(database.current);
    const auth = await start(null);
    expect(auth.status()).toMatchObject({ state: "not_configured", user: null, problem: null });
    await expect(auth.startDeviceSignIn()).rejects.toMatchObject({ code: "not_configured" });
    await expect(auth.accessToken()).rejects.toMatchObject({ code: "not_configured" });
    expect(await auth.tokenRejected("anything")).toBeNull();
  });

  it("signs in with a device code: polls at the interval, slows down when told, then keeps the grant", async () => {
    const { start, clock, timers, fake, store } = await setUpAuth(database.current);
    const auth = await start();
    expect(auth.status()).toMatchObject({ state: "signed_out", device: null, scopes: [] });

    const code = await auth.startDeviceSignIn();
    expect(code.verification_uri).toContain(code.user_code);
    expect(code.expires_at).toBe(iso(T0 + 1800_000));
    expect(auth.status()).toMatchObject({ state: "awaiting_user", device: code });
    expect(timers.delays).toEqual([5000]);

    let next = timers.next();
    await clock.advance(5000);
    expect(await next).toBe(5000);
    expect(countRequests(fake, "/oauth2/token")).toBe(1);

    fake.slowDownDevice();
    next = timers.next();
    await clock.advance(5000);
    expect(await next).toBe(10_000);

    fake.approveDevice();
    await clock.advance(10_000);
    const status = await until(auth, (s) => s.state === "connected");
    expect(status).toEqual({
      state: "connected",
      user: { id: DEFAULT_FAKE_USER.id, login: DEFAULT_FAKE_USER.login },
      scopes: [...SCOPES],
      missing_scopes: [],
      expires_at: iso(T0 + 20_000 + 14_400_000),
      validated_at: iso(T0 + 20_000),
      device: null,
      problem: null,
    });
    const token = await auth.accessToken();
    expect((await store.load())?.accessToken).toBe(token);
    expect(countRequests(fake, "/oauth2/token")).toBe(3);
  });

  it("stops polling when the code expires: signed_out, with the problem and no timer left", async () => {
    const { start, clock, timers, fake } = await setUpAuth(database.current, {
      deviceExpiresInSeconds: 12,
    });
    const auth = await start();
    await auth.startDeviceSignIn();
    let next = timers.next();
    await clock.advance(5000);
    expect(await next).toBe(5000);
    next = timers.next();
    await clock.advance(5000);
    // The last wait ends when the code does.
    expect(await next).toBe(2000);
    await clock.advance(2000);
    const status = await until(auth, (s) => s.problem !== null);
    expect(status).toMatchObject({ state: "signed_out", device: null });
    expect(status.problem?.code).toBe("device_code_expired");
    expect(status.problem?.action).toContain("Start the sign-in again");
    expect(countRequests(fake, "/oauth2/token")).toBe(2);
    expect(clock.pendingTimers).toBe(0);
  });

  it("says the sign-in was cancelled at Twitch, not that the code expired, when the user declines", async () => {
    const { start, clock, fake } = await setUpAuth(database.current);
    const auth = await start();
    const code = await auth.startDeviceSignIn();
    fake.denyDevice(code.user_code);
    await clock.advance(5000);
    const status = await until(auth, (s) => s.problem !== null);
    expect(status).toMatchObject({ state: "signed_out", device: null });
    expect(status.problem).toEqual({
      code: "device_code_declined",
      message: expect.stringContaining("cancelled"),
      action: "Start the sign-in again from the dashboard's Twitch view.",
    });
    expect(clock.pendingTimers).toBe(0);
  });

  it("stops polling the old code when a new sign-in starts or the user signs out", async () => {
    const { start, clock, timers, fake } = await setUpAuth(database.current);
    const auth = await start();
    await auth.startDeviceSignIn();
    const second = await auth.startDeviceSignIn();
    expect(auth.status().device).toEqual(second);
    expect(clock.pendingTimers).toBe(1);

    const next = timers.next();
    await clock.advance(5000);
    await next;
    const polled = fake.requests().filter((request) => request.path === "/oauth2/token");
    expect(polled).toHaveLength(1);

    await auth.signOut();
    expect(auth.status()).toMatchObject({ state: "signed_out", device: null, problem: null });
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(60_000);
    expect(countRequests(fake, "/oauth2/token")).toBe(1);
  });

  it("accepts a pasted token once Twitch validates it, and names the scopes it lacks", async () => {
    const { start, fake, store } = await setUpAuth(database.current);
    const auth = await start();
    const minted = fake.issueToken({ scopes: ["moderator:read:followers"], expiresIn: 3600 });
    const status = await auth.acceptToken({
      access_token: minted.access_token,
      refresh_token: minted.refresh_token,
    });
    expect(status).toMatchObject({
      state: "connected",
      user: { login: DEFAULT_FAKE_USER.login },
      scopes: ["moderator:read:followers"],
      missing_scopes: ["channel:manage:broadcast"],
      expires_at: iso(T0 + 3600_000),
    });
    expect(status.problem?.code).toBe("missing_scopes");
    expect(status.problem?.message).toContain("channel:manage:broadcast");
    expect((await store.load())?.refreshToken).toBe(minted.refresh_token);
  });

  it("refuses a pasted token Twitch does not accept, and keeps what it had", async () => {
    const { start } = await setUpAuth(database.current);
    const auth = await start();
    await expect(auth.acceptToken({ access_token: "not-a-token" })).rejects.toMatchObject({
      code: "token_invalid",
      status: 422,
    });
    expect(auth.status().state).toBe("signed_out");
  });

  it("signs out: the row goes first, then Twitch revokes the token", async () => {
    const { start, fake, store } = await setUpAuth(database.current);
    const auth = await start();
    const minted = fake.issueToken({ scopes: [...SCOPES], expiresIn: 3600 });
    await auth.acceptToken({
      access_token: minted.access_token,
      refresh_token: minted.refresh_token,
    });
    await auth.signOut();
    expect(auth.status()).toMatchObject({ state: "signed_out", user: null, scopes: [] });
    expect(await store.load()).toBeNull();
    expect(fake.requests().at(-1)).toMatchObject({ path: "/oauth2/revoke" });
    await expect(auth.accessToken()).rejects.toMatchObject({ code: "not_signed_in" });
  });

  it("loads the stored grant at start-up and validates it", async () => {
    const { start, fake, store } = await setUpAuth(database.current);
    const minted = fake.issueToken({ scopes: [...SCOPES], expiresIn: 3600 });
    const first = await start();
    await first.acceptToken({
      access_token: minted.access_token,
      refresh_token: minted.refresh_token,
    });
    await first.stop();

    const validations = countRequests(fake, "/oauth2/validate");
    const auth = await start();
    const status = await until(auth, (s) => s.validated_at !== null);
    expect(status).toMatchObject({ state: "connected", user: { id: DEFAULT_FAKE_USER.id } });
    expect(countRequests(fake, "/oauth2/validate")).toBe(validations + 1);
    expect(await auth.accessToken()).toBe((await store.load())?.accessToken as string);
  });

  it("says what to do when the stored grant no longer opens with the key, and signs in anew over it", async () => {
    const { start, clock, fake } = await setUpAuth(database.current, { key: testKey(2) });
    await createTokenStore(database.current, testKey(1)).save({
      accessToken: "sealed-with-the-old-key",
      refreshToken: null,
      scopes: [],
      expiresAt: null,
      userId: DEFAULT_FAKE_USER.id,
      login: DEFAULT_FAKE_USER.login,
    });
    const auth = await start();
    const status = auth.status();
    expect(status).toMatchObject({ state: "invalid", user: null });
    expect(status.problem?.code).toBe("secret_key_changed");
    expect(status.problem?.action).toContain("Restore the previous LANDALE_SECRET_KEY");
    await expect(auth.accessToken()).rejects.toMatchObject({ code: "grant_invalid" });

    await auth.startDeviceSignIn();
    expect(auth.status().state).toBe("awaiting_user");
    fake.approveDevice();
    await clock.advance(5000);
    expect((await until(auth, (s) => s.state === "connected")).problem).toBeNull();
  });
});
