/**
 * A small fake of Twitch's OAuth service (id.twitch.tv/oauth2) for the sign-in tests: one Bun
 * server speaking the documented protocol — `POST /device`, `POST /token` (device-code and
 * refresh-token grants, refresh tokens used once), `GET /validate`, `POST /revoke` — with Twitch's
 * `{status, message}` error bodies. Time is the test's clock (`now`), so tokens expire with it.
 */
import type { Server } from "bun";

export const FAKE_CLIENT_ID = "landalefakeclient0000000000001";
export const FAKE_USER = { id: "141981764", login: "twitchdev" };
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export interface FakeTwitchOAuthOptions {
  clientSecret?: string | null;
  /** The polling interval and lifetime (seconds) of a device code. Twitch: 5 and 1800. */
  interval?: number;
  deviceExpiresIn?: number;
  /** Lifetime of an access token, seconds. Twitch's are about 4 hours. */
  accessTokenExpiresIn?: number;
  now?: () => number;
}

export interface FakeRequest {
  method: string;
  path: string;
  form: Record<string, string>;
  authorization: string | null;
}

interface Token {
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

interface Device {
  userCode: string;
  scopes: string[];
  expiresAt: number;
  approved: string[] | null;
  slowDown: boolean;
}

export interface FakeTwitchOAuth {
  /** The base URL (TWITCH_AUTH_URL), `http://127.0.0.1:<port>/oauth2`. */
  readonly url: string;
  readonly port: number;
  readonly requests: FakeRequest[];
  /** The user approves the latest device code, granting `scopes` (default: those asked for). */
  approveDevice(scopes?: string[]): void;
  /** The next device-code poll is answered `slow_down`. */
  slowDownNext(): void;
  /** Mints a grant as `twitch token -u` would, for the paste-a-token path. */
  issueToken(scopes: string[], expiresIn?: number): { accessToken: string; refreshToken: string };
  /** The user disconnects the app: every token and refresh token stops working. */
  revokeGrant(): void;
  /** Every access token issued so far expires now (refresh tokens still work). */
  expireAccessTokens(): void;
  /** How many requests were made to `path` (e.g. `/oauth2/token`), with `grantType` if given. */
  count(path: string, grantType?: string): number;
  /** Every token, refresh token and device code handed out so far. */
  secrets(): string[];
  stop(): Promise<void>;
}

export function startFakeTwitchOAuth(options: FakeTwitchOAuthOptions = {}): FakeTwitchOAuth {
  const now = options.now ?? Date.now;
  const interval = options.interval ?? 5;
  const tokenLifetime = options.accessTokenExpiresIn ?? 14_400;
  const tokens = new Map<string, Token>();
  const refreshTokens = new Map<string, { scopes: string[]; used: boolean }>();
  const devices = new Map<string, Device>();
  const requests: FakeRequest[] = [];
  const issued: string[] = [];
  let serial = 0;

  const mint = (prefix: string) => {
    const value = `${prefix}${++serial}${crypto.randomUUID().replaceAll("-", "")}`;
    issued.push(value);
    return value;
  };
  const error = (status: number, message: string) => Response.json({ status, message }, { status });

  function grant(scopes: string[], expiresIn = tokenLifetime) {
    const accessToken = mint("fake-access-");
    const refreshToken = mint("fake-refresh-");
    tokens.set(accessToken, { scopes, expiresAt: now() + expiresIn * 1000, revoked: false });
    refreshTokens.set(refreshToken, { scopes, used: false });
    return { accessToken, refreshToken, expiresIn };
  }

  const tokenAnswer = (minted: ReturnType<typeof grant>, scopes: string[]) =>
    Response.json({
      access_token: minted.accessToken,
      expires_in: minted.expiresIn,
      refresh_token: minted.refreshToken,
      scope: scopes,
      token_type: "bearer",
    });

  function token(form: Record<string, string>): Response {
    if (form.client_id !== FAKE_CLIENT_ID) return error(400, "invalid client");
    if (options.clientSecret && form.client_secret !== options.clientSecret) {
      return error(403, "invalid client secret");
    }
    if (form.grant_type === DEVICE_GRANT) {
      const device = devices.get(form.device_code ?? "");
      if (device === undefined || device.expiresAt <= now())
        return error(400, "invalid device code");
      if (device.slowDown) {
        device.slowDown = false;
        return error(400, "slow_down");
      }
      if (device.approved === null) return error(400, "authorization_pending");
      devices.delete(form.device_code ?? "");
      return tokenAnswer(grant(device.approved), device.approved);
    }
    if (form.grant_type === "refresh_token") {
      const refresh = refreshTokens.get(form.refresh_token ?? "");
      if (refresh === undefined || refresh.used) {
        return Response.json(
          { error: "Bad Request", status: 400, message: "Invalid refresh token" },
          { status: 400 },
        );
      }
      refresh.used = true;
      return tokenAnswer(grant(refresh.scopes), refresh.scopes);
    }
    return error(400, "unsupported grant type");
  }

  function validate(authorization: string | null): Response {
    const value = /^(OAuth|Bearer) (.+)$/.exec(authorization ?? "")?.[2] ?? "";
    const found = tokens.get(value);
    if (found === undefined || found.revoked || found.expiresAt <= now()) {
      return error(401, "invalid access token");
    }
    return Response.json({
      client_id: FAKE_CLIENT_ID,
      login: FAKE_USER.login,
      scopes: found.scopes,
      user_id: FAKE_USER.id,
      expires_in: Math.floor((found.expiresAt - now()) / 1000),
    });
  }

  async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const form =
      request.method === "POST"
        ? Object.fromEntries(new URLSearchParams(await request.text()))
        : ({} as Record<string, string>);
    const authorization = request.headers.get("authorization");
    requests.push({ method: request.method, path, form, authorization });
    if (request.method === "POST" && path === "/oauth2/device") {
      if (form.client_id !== FAKE_CLIENT_ID) return error(400, "invalid client");
      const deviceCode = mint("fake-device-");
      const userCode = `${String(serial).padStart(4, "0")}WXYZ`;
      const expiresIn = options.deviceExpiresIn ?? 1800;
      devices.set(deviceCode, {
        userCode,
        scopes: (form.scopes ?? "").split(" ").filter(Boolean),
        expiresAt: now() + expiresIn * 1000,
        approved: null,
        slowDown: false,
      });
      return Response.json({
        device_code: deviceCode,
        expires_in: expiresIn,
        interval,
        user_code: userCode,
        verification_uri: `https://www.twitch.tv/activate?public=true&device-code=${userCode}`,
      });
    }
    if (request.method === "POST" && path === "/oauth2/token") return token(form);
    if (request.method === "GET" && path === "/oauth2/validate") return validate(authorization);
    if (request.method === "POST" && path === "/oauth2/revoke") {
      if (form.client_id !== FAKE_CLIENT_ID) return error(404, "client does not exist");
      const found = tokens.get(form.token ?? "");
      if (found === undefined) return error(400, "Invalid token");
      found.revoked = true;
      return new Response(null, { status: 200 });
    }
    return error(404, "Not Found");
  }

  const server: Server<undefined> = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handle });
  const latestDevice = () => [...devices.values()].at(-1);

  return {
    url: `http://127.0.0.1:${server.port}/oauth2`,
    port: server.port as number,
    requests,
    approveDevice(scopes) {
      const device = latestDevice();
      if (device === undefined) throw new Error("no device code is out");
      device.approved = scopes ?? device.scopes;
    },
    slowDownNext() {
      const device = latestDevice();
      if (device === undefined) throw new Error("no device code is out");
      device.slowDown = true;
    },
    issueToken(scopes, expiresIn) {
      return grant(scopes, expiresIn);
    },
    revokeGrant() {
      for (const found of tokens.values()) found.revoked = true;
      for (const refresh of refreshTokens.values()) refresh.used = true;
    },
    expireAccessTokens() {
      for (const found of tokens.values()) found.expiresAt = Math.min(found.expiresAt, now());
    },
    count: (path, grantType) =>
      requests.filter(
        (request) =>
          request.path === path &&
          (grantType === undefined || request.form.grant_type === grantType),
      ).length,
    secrets: () => [...issued],
    stop: () => server.stop(true),
  };
}
