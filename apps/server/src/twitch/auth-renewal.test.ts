import { beforeEach, describe, expect, it } from "bun:test";
import { useTestDatabase } from "../../test/support/hub";
import {
  type AuthSetUpOptions,
  countRequests,
  SCOPES,
  setUpAuth,
  T0,
  testKey,
  until,
} from "../../test/support/twitch-auth";
import { RETRY_FIRST_MS, VALIDATE_INTERVAL_MS } from "./auth-rules";

const MINUTE = 60_000;
const REFRESH = "refresh_token";

describe("Twitch grant renewal", () => {
  const database = useTestDatabase("pglite");
  beforeEach(() => database.reset());

  /** Signs in with a pasted grant of `lifetime` seconds. */
  async function signedIn(options: AuthSetUpOptions = {}, lifetime = 3600) {
    const setUp = await setUpAuth(database.current, options);
    const auth = await setUp.start();
    const minted = setUp.fake.issueToken({ scopes: [...SCOPES], expiresIn: lifetime });
    await auth.acceptToken({
      access_token: minted.access_token,
      refresh_token: minted.refresh_token,
    });
    return { ...setUp, auth, minted };
  }

  it("validates the grant again every hour", async () => {
    const { auth, clock, fake } = await signedIn({}, 4 * 3600);
    const validations = countRequests(fake, "/oauth2/validate");
    await clock.advance(VALIDATE_INTERVAL_MS);
    const status = await until(
      auth,
      (s) => s.validated_at === new Date(T0 + 3600_000).toISOString(),
    );
    expect(status.state).toBe("connected");
    expect(countRequests(fake, "/oauth2/validate")).toBe(validations + 1);
    expect(countRequests(fake, "/oauth2/token", REFRESH)).toBe(0);
  });

  it("renews 5 minutes before expiry on its own, and stores the new grant", async () => {
    const { auth, clock, fake, store, minted } = await signedIn();
    await clock.advance(55 * MINUTE);
    const status = await until(auth, (s) => s.expires_at !== new Date(T0 + 3600_000).toISOString());
    expect(status).toMatchObject({ state: "connected", problem: null });
    // The fake's renewed tokens last 4 hours, as Twitch's do.
    expect(status.expires_at).toBe(new Date(T0 + 55 * MINUTE + 4 * 3600_000).toISOString());
    expect(countRequests(fake, "/oauth2/token", REFRESH)).toBe(1);
    const stored = await store.load();
    expect(stored?.accessToken).not.toBe(minted.access_token);
    expect(stored?.refreshToken).not.toBe(minted.refresh_token);
    expect(await auth.accessToken()).toBe(stored?.accessToken as string);
  });

  it("renews a token with less than 5 minutes left before handing it out, once for all callers", async () => {
    const setUp = await setUpAuth(database.current);
    const minted = setUp.fake.issueToken({ scopes: [...SCOPES], expiresIn: 4 * 60 });
    await setUp.store.save({
      accessToken: minted.access_token,
      refreshToken: minted.refresh_token,
      scopes: [...SCOPES],
      expiresAt: T0 + 4 * MINUTE,
      userId: "141981764",
      login: "twitchdev",
    });
    const auth = await setUp.start();
    const tokens = await Promise.all([auth.accessToken(), auth.accessToken(), auth.accessToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(minted.access_token);
    expect(countRequests(setUp.fake, "/oauth2/token", REFRESH)).toBe(1);
    expect((await setUp.store.load())?.accessToken).toBe(tokens[0] as string);
  });

  it("answers a Helix 401 with a renewed token, and later callers of the old token with the current one", async () => {
    const { auth, fake, minted } = await signedIn();
    fake.expireAccessTokens();
    const renewed = await auth.tokenRejected(minted.access_token);
    expect(renewed).toBeString();
    expect(renewed).not.toBe(minted.access_token);
    const requests = fake.requests().length;
    expect(await auth.tokenRejected(minted.access_token)).toBe(renewed);
    expect(fake.requests().length).toBe(requests);
  });

  it("counts a renewal after a 401 as a validation: Twitch renews only a grant it still honours", async () => {
    const { auth, fake, minted, clock } = await signedIn();
    await clock.advance(10 * MINUTE);
    fake.expireAccessTokens();
    const validations = countRequests(fake, "/oauth2/validate");
    expect(await auth.tokenRejected(minted.access_token)).not.toBe(minted.access_token);
    expect(auth.status()).toMatchObject({
      state: "connected",
      validated_at: new Date(T0 + 10 * MINUTE).toISOString(),
      problem: null,
    });
    // One validation (which found the token expired), then the renewal; none right after it.
    expect(countRequests(fake, "/oauth2/validate")).toBe(validations + 1);
    await clock.advance(MINUTE);
    expect(countRequests(fake, "/oauth2/validate")).toBe(validations + 1);
  });

  it("renews a short-lived token halfway through its life, not 5 minutes before it ends", async () => {
    const { auth, clock, fake } = await signedIn({}, 6 * 60);
    await clock.advance(2 * MINUTE);
    expect(countRequests(fake, "/oauth2/token", REFRESH)).toBe(0);
    await clock.advance(MINUTE);
    await until(auth, (s) => s.expires_at !== new Date(T0 + 6 * MINUTE).toISOString());
    expect(countRequests(fake, "/oauth2/token", REFRESH)).toBe(1);
  });

  it("does not renew for a 401 that a new token would not fix (the token is still valid)", async () => {
    const { auth, fake, minted } = await signedIn();
    expect(await auth.tokenRejected(minted.access_token)).toBeNull();
    expect(auth.status().state).toBe("connected");
    expect(countRequests(fake, "/oauth2/token", REFRESH)).toBe(0);
  });

  it("makes a revoked grant invalid, saying to sign in again, and stops checking it", async () => {
    const { auth, fake, minted, clock } = await signedIn();
    fake.revokeGrant();
    expect(await auth.tokenRejected(minted.access_token)).toBeNull();
    const status = auth.status();
    expect(status).toMatchObject({ state: "invalid", user: { login: "twitchdev" } });
    expect(status.problem).toEqual({
      code: "grant_revoked",
      message: expect.stringContaining("Invalid refresh token"),
      action: "Sign in again from the dashboard's Twitch view.",
    });
    await expect(auth.accessToken()).rejects.toMatchObject({ code: "grant_invalid" });
    expect(clock.pendingTimers).toBe(0);
  });

  it("finds a grant revoked while the hub was down at start-up", async () => {
    const { auth, fake, start } = await signedIn();
    await auth.stop();
    fake.revokeGrant();
    const again = await start();
    const status = await until(again, (s) => s.state === "invalid");
    expect(status.problem?.code).toBe("grant_revoked");
  });

  it("keeps the grant while Twitch is out of reach, says so, and retries until it answers", async () => {
    const { auth, clock, timers, minted, proxy } = await signedIn({ proxied: true });
    await proxy?.cut();
    const retry = timers.next();
    await clock.advance(55 * MINUTE);
    const failed = await until(auth, (s) => s.problem?.code === "twitch_unreachable");
    expect(failed.state).toBe("connected");
    // One clear sentence: what was not reached, and why.
    expect(failed.problem?.message).toStartWith("Twitch could not be reached (/token): ");
    expect(failed.problem?.message.split("could not be reached")).toHaveLength(2);
    expect(failed.problem?.action).toContain("the hub tries again");
    expect(await retry).toBe(RETRY_FIRST_MS);
    // Five minutes still to go: the old token is handed out meanwhile, without trying Twitch.
    expect(await auth.accessToken()).toBe(minted.access_token);

    await proxy?.restore();
    await clock.advance(RETRY_FIRST_MS);
    const back = await until(auth, (s) => s.problem === null);
    expect(back.state).toBe("connected");
    expect(await auth.accessToken()).not.toBe(minted.access_token);
  });

  it("never logs a token, refresh token, device code, client secret or key", async () => {
    const key = testKey(7);
    const clientSecret = "the-client-secret-value";
    const { start, clock, fake, logs } = await setUpAuth(database.current, { clientSecret, key });
    const auth = await start();
    await auth.startDeviceSignIn();
    fake.approveDevice();
    await clock.advance(5000);
    const connected = await until(auth, (s) => s.state === "connected");
    const first = await auth.accessToken();
    fake.expireAccessTokens();
    await auth.tokenRejected(first);
    await clock.advance(4 * 3600_000);
    await until(auth, (s) => s.expires_at !== connected.expires_at);
    await auth.signOut();

    const text = logs.lines.join("\n");
    expect(text).toContain("twitch: signed in");
    expect(text).toContain("twitch: token renewed");
    expect(text).toContain("twitch: signed out");
    const secrets = [...fake.secrets(), clientSecret];
    const bytes = Buffer.from(key.bytes());
    secrets.push(bytes.toString("hex"), bytes.toString("base64"), bytes.toString("base64url"));
    expect(fake.secrets().length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it("leaves no timer behind once stopped", async () => {
    const { auth, clock } = await signedIn();
    await auth.startDeviceSignIn();
    expect(clock.pendingTimers).toBeGreaterThan(0);
    await auth.stop();
    expect(clock.pendingTimers).toBe(0);
    await expect(auth.accessToken()).rejects.toMatchObject({ code: "stopped" });
  });
});
