/**
 * The fake id service's memory: device codes waiting for the user, and grants (one access token
 * and one refresh token each, rotated together on refresh). Time is the fake's clock (`now`), read
 * when a request arrives, so nothing here owns a timer.
 */
import { pushBounded, randomCode, randomToken } from "./wire";

/** Device codes and grants kept; the oldest beyond these are forgotten (their codes stop working). */
const DEVICES_KEPT = 100;
const GRANTS_KEPT = 100;
/** Secrets remembered for `secrets()`; the oldest beyond this are forgotten. */
const SECRETS_KEPT = 1_000;

export interface FakeTwitchUser {
  id: string;
  login: string;
  display_name: string;
}

/** The id service's token answer, as `/oauth2/token` sends it. */
export interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string[];
  token_type: "bearer";
}

export type DeviceStatus = "pending" | "approved" | "denied" | "used";

export interface Device {
  deviceCode: string;
  userCode: string;
  /** What the app asked for; an approval may grant other scopes. */
  scopes: string[];
  granted: string[] | null;
  expiresAt: number;
  status: DeviceStatus;
  /** The next poll is answered `slow_down`. */
  slowDown: boolean;
}

interface Grant {
  scopes: string[];
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
}

export interface IdentityOptions {
  deviceExpiresInSeconds: number;
  accessTokenSeconds: number;
  /** The fake's clock, epoch milliseconds. */
  now: () => number;
}

/** Why a device code gave no token: Twitch's `message` for each case. */
export type DeviceRefusal =
  | "authorization_pending"
  | "slow_down"
  | "expired_token"
  | "invalid device code";

export interface IdentityState {
  startDevice(scopes: string[]): Device;
  /** The device by user code, or the newest pending one when omitted; throws when there is none. */
  device(userCode?: string): Device;
  findDevice(userCode: string): Device | undefined;
  devices(): Device[];
  approve(userCode?: string, scopes?: string[]): void;
  deny(userCode?: string): void;
  expireDevice(userCode?: string): void;
  /** The device's next poll is answered `slow_down` (the newest pending one when omitted). */
  slowDown(userCode?: string): void;
  redeemDevice(deviceCode: string): TokenAnswer | DeviceRefusal;
  issue(scopes: string[], expiresIn?: number): TokenAnswer;
  /** Rotates the pair; null for a refresh token this fake did not issue or no longer honours. */
  refresh(refreshToken: string): TokenAnswer | null;
  /** The grant of a valid (issued, current, unexpired) access token, with its seconds left. */
  accessToken(token: string): { scopes: string[]; expiresIn: number } | null;
  /** Ends the grant an access or refresh token belongs to; false when it is unknown. */
  revokeToken(token: string): boolean;
  revokeAll(): void;
  expireAccessTokens(): void;
  /** Every device code, access token and refresh token handed out (the newest `SECRETS_KEPT`). */
  secrets(): string[];
}

export function createIdentity(options: IdentityOptions): IdentityState {
  const { now } = options;
  const devices = new Map<string, Device>();
  const grants: Grant[] = [];
  const handedOut: string[] = [];
  const secret = (value: string) => {
    pushBounded(handedOut, value, SECRETS_KEPT);
    return value;
  };

  const answer = (grant: Grant): TokenAnswer => ({
    access_token: grant.accessToken,
    refresh_token: grant.refreshToken,
    expires_in: Math.max(0, Math.floor((grant.accessExpiresAt - now()) / 1000)),
    scope: [...grant.scopes],
    token_type: "bearer",
  });

  const issue = (scopes: string[], expiresIn = options.accessTokenSeconds): TokenAnswer => {
    const grant: Grant = {
      scopes: [...scopes],
      accessToken: secret(randomToken()),
      accessExpiresAt: now() + expiresIn * 1000,
      refreshToken: secret(randomToken(50)),
    };
    grants.push(grant);
    grants.splice(0, Math.max(0, grants.length - GRANTS_KEPT));
    return answer(grant);
  };

  const findDevice = (userCode: string) =>
    [...devices.values()].find((device) => device.userCode === userCode.toUpperCase());

  const device = (userCode?: string): Device => {
    if (userCode !== undefined) {
      const found = findDevice(userCode);
      if (!found) throw new Error(`no device code with user code ${userCode}`);
      return found;
    }
    const pending = [...devices.values()].filter((d) => d.status === "pending");
    const newest = pending.at(-1);
    if (!newest) throw new Error("no device code is waiting for the user");
    return newest;
  };

  const pendingDevice = (userCode?: string): Device => {
    const found = device(userCode);
    if (found.status !== "pending" || found.expiresAt <= now()) {
      throw new Error(`device code ${found.userCode} is not waiting for the user`);
    }
    return found;
  };

  return {
    startDevice(scopes) {
      const created: Device = {
        deviceCode: secret(randomToken(40)),
        userCode: randomCode(8),
        scopes: [...scopes],
        granted: null,
        expiresAt: now() + options.deviceExpiresInSeconds * 1000,
        status: "pending",
        slowDown: false,
      };
      devices.set(created.deviceCode, created);
      for (const code of [...devices.keys()].slice(0, Math.max(0, devices.size - DEVICES_KEPT))) {
        devices.delete(code);
      }
      return created;
    },
    device,
    findDevice,
    devices: () => [...devices.values()],
    approve(userCode, scopes) {
      const found = pendingDevice(userCode);
      found.status = "approved";
      found.granted = scopes ? [...scopes] : [...found.scopes];
    },
    deny(userCode) {
      pendingDevice(userCode).status = "denied";
    },
    expireDevice(userCode) {
      device(userCode).expiresAt = now();
    },
    slowDown(userCode) {
      device(userCode).slowDown = true;
    },
    redeemDevice(deviceCode) {
      const found = devices.get(deviceCode);
      if (!found || found.status === "denied" || found.status === "used") {
        return "invalid device code";
      }
      if (found.expiresAt <= now()) return "expired_token";
      if (found.slowDown) {
        found.slowDown = false;
        return "slow_down";
      }
      if (found.status === "pending") return "authorization_pending";
      found.status = "used";
      return issue(found.granted ?? found.scopes);
    },
    issue,
    refresh(refreshToken) {
      const grant = grants.find((g) => g.refreshToken === refreshToken);
      if (!grant) return null;
      // As Twitch: the refresh token rotates and the old access token stops working.
      grant.accessToken = secret(randomToken());
      grant.refreshToken = secret(randomToken(50));
      grant.accessExpiresAt = now() + options.accessTokenSeconds * 1000;
      return answer(grant);
    },
    accessToken(token) {
      const grant = grants.find((g) => g.accessToken === token);
      if (!grant || grant.accessExpiresAt <= now()) return null;
      const expiresIn = Math.floor((grant.accessExpiresAt - now()) / 1000);
      return { scopes: [...grant.scopes], expiresIn };
    },
    revokeToken(token) {
      const index = grants.findIndex((g) => g.accessToken === token || g.refreshToken === token);
      if (index < 0) return false;
      grants.splice(index, 1);
      return true;
    },
    revokeAll() {
      grants.splice(0);
    },
    expireAccessTokens() {
      const at = now();
      for (const grant of grants) grant.accessExpiresAt = Math.min(grant.accessExpiresAt, at);
    },
    secrets: () => [...handedOut],
  };
}
