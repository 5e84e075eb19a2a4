/** The fake Twitch's options and the controls a test drives it by (`fake.ts` builds it). */
import type { FakeEmote, FakeGoal } from "./catalog";
import type { FakeChannel, FakeChannelPreset } from "./channel";
import type { EventSubControls, EventSubSettings } from "./eventsub-types";
import type { RateLimitSetting } from "./rate-limit";
import type { FakeRequest } from "./request-log";
import type { ScriptedAnswer } from "./scripted";
import type { DeviceStatus, FakeTwitchUser, TokenAnswer } from "./state";

export interface FakeTwitchOptions extends EventSubSettings {
  /** The app's client id; every endpoint refuses another. Default "fake-client-id". */
  clientId?: string;
  /** When set, a `client_secret` sent to `/oauth2/token` must match it (public clients send none). */
  clientSecret?: string;
  /** The one Twitch user: who approves device codes and owns every token. */
  user?: FakeTwitchUser;
  /** What the user grants: approvals grant these instead of what the app asked for, and `issueToken()` defaults to them. */
  scopes?: string[];
  /** The channel's initial information. */
  channel?: FakeChannelPreset;
  /** The creator goals Helix answers. Default: one follower goal. */
  goals?: FakeGoal[];
  /** The emotes Helix answers, in place of the built-in ones. */
  emotes?: { channel?: FakeEmote[]; global?: FakeEmote[] };
  /** `interval` of a device code. Default 5, as Twitch. */
  deviceIntervalSeconds?: number;
  /** `expires_in` of a device code. Default 1800, as Twitch. */
  deviceExpiresInSeconds?: number;
  /** `expires_in` of an access token. Default 14400 (four hours). */
  accessTokenSeconds?: number;
  /**
   * The fake's clock, epoch milliseconds: token and device-code lifetimes, the rate-limit window
   * and `requests()` times follow it, so a test on its own clock moves Twitch's time with its own.
   * EventSub's timers and timestamps stay on real time. Default `Date.now`.
   */
  now?: () => number;
}

export interface FakeDevice {
  userCode: string;
  /** The scopes the app asked for. */
  scopes: string[];
  status: DeviceStatus;
}

export interface FakeTwitch extends EventSubControls {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** TWITCH_AUTH_URL: `<url>/oauth2`. */
  readonly authUrl: string;
  /** TWITCH_API_URL: `<url>/helix`. */
  readonly apiUrl: string;
  /** TWITCH_EVENTSUB_WS_URL: `ws://127.0.0.1:<port>/ws`. */
  readonly eventSubUrl: string;
  readonly user: FakeTwitchUser;
  /** The user authorizes a device code (the newest waiting one when omitted). */
  approveDevice(userCode?: string, options?: { scopes?: string[] }): void;
  /** The user cancels a device code: polling it answers "invalid device code". */
  denyDevice(userCode?: string): void;
  /** A device code runs out now: polling it answers "expired_token". */
  expireDevice(userCode?: string): void;
  /** The next poll of a device code (the newest waiting one when omitted) answers "slow_down". */
  slowDownDevice(userCode?: string): void;
  devices(): FakeDevice[];
  /** A grant minted outside the device flow (e.g. `twitch token -u`), for the paste path. */
  issueToken(options?: { scopes?: string[]; expiresIn?: number }): TokenAnswer;
  /**
   * The user disconnects the app: every token stops working (validate and Helix 401, refresh
   * 400) and, unless `subscriptions: false`, each enabled subscription the user's tokens created
   * is revoked with `authorization_revoked`, as Twitch does.
   */
  revokeGrant(options?: { subscriptions?: boolean }): void;
  /** Every access token expires now; refresh tokens keep working. */
  expireAccessTokens(): void;
  /** Every device code, access token and refresh token handed out (to look for them in logs). */
  secrets(): string[];
  /** The channel as Helix shows it (what PATCH stored). */
  channel(): FakeChannel;
  requests(): FakeRequest[];
  setRateLimit(setting: RateLimitSetting): void;
  /**
   * The next request to `path` (a pathname such as `/helix/users` or `/oauth2/token`) gets this
   * answer instead of the protocol's, once: a 5xx, a body of the wrong shape. It checks no token
   * and spends no rate-limit point. Several for one path are used in the order given.
   */
  answerNext(path: string, answer: ScriptedAnswer): void;
  stop(): Promise<void>;
}
