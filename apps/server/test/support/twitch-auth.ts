/**
 * Test support for the Twitch sign-in: a `TwitchAuth` against the testkit's fake Twitch, both on a
 * clock the test moves, the timers it arms (to see polling intervals), its statuses as they
 * change, and everything it logs (to look for secrets).
 */
import { onTestFinished } from "bun:test";
import { Writable } from "node:stream";
import type { Database } from "@landale/db";
import { createLogger } from "@landale/logger";
import { type FakeTwitch, startFakeTwitch, startTcpProxy } from "@landale/testkit";
import type { Scheduler } from "../../src/scheduler";
import { type AuthStatus, startTwitchAuth, type TwitchAuth } from "../../src/twitch/auth";
import { SecretKey } from "../../src/twitch/secret-key";
import { createTokenStore } from "../../src/twitch/token-store";
import { ManualScheduler } from "./scheduler";

export const T0 = Date.parse("2026-11-21T12:00:00.000Z");
export const CLIENT_ID = "landalefakeclient0000000000001";
/** What the hub asks for in these tests (TWITCH_SCOPES comes from @landale/shared). */
export const SCOPES = ["channel:manage:broadcast", "moderator:read:followers"] as const;
export const testKey = (fill = 1) => new SecretKey(new Uint8Array(32).fill(fill), "configured");

/** The delays of the timers armed through `scheduler`, and a wait for the next one. */
export function recordTimers(clock: ManualScheduler) {
  const waiters: ((ms: number) => void)[] = [];
  const delays: number[] = [];
  const scheduler: Scheduler = {
    now: clock.now,
    clearTimeout: clock.clearTimeout,
    setTimeout: (run, ms) => {
      delays.push(ms);
      for (const waiter of waiters.splice(0)) waiter(ms);
      return clock.setTimeout(run, ms);
    },
  };
  /** The delay of the next timer armed after this call. */
  const next = () => new Promise<number>((resolve) => waiters.push(resolve));
  return { scheduler, delays, next };
}

/** Resolves with the first status (now or to come) that passes `test`. */
export function until(
  auth: TwitchAuth,
  test: (status: AuthStatus) => boolean,
): Promise<AuthStatus> {
  const now = auth.status();
  if (test(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = auth.onChange((status) => {
      if (!test(status)) return;
      off();
      resolve(status);
    });
  });
}

export function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      callback();
    },
  });
  return { lines, logger: createLogger({ name: "test", level: "trace", destination }) };
}

/** How many requests reached `path` (e.g. `/oauth2/token`), of `grantType` if given. */
export function countRequests(fake: FakeTwitch, path: string, grantType?: string): number {
  return fake
    .requests()
    .filter(
      (request) =>
        request.path === path &&
        (grantType === undefined || request.form?.grant_type === grantType),
    ).length;
}

export interface AuthSetUpOptions {
  /** The app's secret, sent by the hub and checked by the fake. Default none (a public client). */
  clientSecret?: string;
  /** The lifetime of a device code, seconds. Default 1800, as Twitch. */
  deviceExpiresInSeconds?: number;
  key?: SecretKey;
  /** Reach the fake through a `TcpProxy` the test can cut. */
  proxied?: boolean;
}

/**
 * A fake Twitch (behind a proxy if asked), a store on `database`, and `start()` for a
 * `TwitchAuth`; all stopped when the test finishes.
 */
export async function setUpAuth(database: Database, options: AuthSetUpOptions = {}) {
  const clock = new ManualScheduler(T0);
  const timers = recordTimers(clock);
  const fake = startFakeTwitch({
    clientId: CLIENT_ID,
    clientSecret: options.clientSecret,
    deviceExpiresInSeconds: options.deviceExpiresInSeconds,
    now: clock.now,
  });
  const proxy = options.proxied
    ? await startTcpProxy({ host: "127.0.0.1", port: fake.port })
    : null;
  const authUrl = proxy === null ? fake.authUrl : `http://127.0.0.1:${proxy.port}/oauth2`;
  const logs = captureLogs();
  const store = createTokenStore(database, options.key ?? testKey());
  const started: TwitchAuth[] = [];
  onTestFinished(async () => {
    await Promise.all(started.map((auth) => auth.stop()));
    await proxy?.stop();
    await fake.stop();
  });
  const start = async (clientId: string | null = CLIENT_ID) => {
    const auth = await startTwitchAuth({
      twitch: { clientId, clientSecret: options.clientSecret ?? null, authUrl },
      scopes: SCOPES,
      store,
      logger: logs.logger,
      scheduler: timers.scheduler,
    });
    started.push(auth);
    return auth;
  };
  return { clock, timers, fake, proxy, logs, store, start };
}
