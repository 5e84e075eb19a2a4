/**
 * The fake id service under `/oauth2`, as dev.twitch.tv documents it: `POST /device` (Device Code
 * Grant Flow), `POST /token` (device_code and refresh_token grants), `GET /validate`,
 * `POST /revoke`. Errors are Twitch's `{status, message}` bodies.
 */
import { z } from "zod";
import type { FakeTwitchUser, IdentityState } from "./state";
import { formFields, oauthError } from "./wire";

export const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

export interface OAuthDeps {
  identity: IdentityState;
  user: FakeTwitchUser;
  clientId: string;
  clientSecret: string | null;
  /** Where the user enters the code (`<base>/activate`), read when a device code is made. */
  activateUrl: () => string;
  deviceIntervalSeconds: number;
  deviceExpiresInSeconds: number;
}

const Form = z.record(z.string(), z.string());
const DeviceForm = z.object({ client_id: z.string().optional(), scopes: z.string().optional() });
const TokenForm = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  device_code: z.string().optional(),
  refresh_token: z.string().optional(),
});
const RevokeForm = z.object({ client_id: z.string().optional(), token: z.string().optional() });

function scopeList(scopes: string | undefined): string[] {
  return (scopes ?? "").split(/\s+/).filter((scope) => scope !== "");
}

export function createOAuth(
  deps: OAuthDeps,
): (request: Request, path: string) => Promise<Response> {
  /** Twitch's answers for a missing or foreign client_id, and for a wrong secret when one is sent. */
  const checkClient = (form: { client_id?: string; client_secret?: string }): Response | null => {
    if (!form.client_id) return oauthError(400, "missing client id");
    if (form.client_id !== deps.clientId) return oauthError(400, "invalid client");
    if (form.client_secret !== undefined && deps.clientSecret !== null) {
      if (form.client_secret !== deps.clientSecret) return oauthError(403, "invalid client secret");
    }
    return null;
  };

  const device = (fields: Record<string, string>): Response => {
    const form = DeviceForm.parse(fields);
    const refused = checkClient(form);
    if (refused) return refused;
    const created = deps.identity.startDevice(scopeList(form.scopes));
    return Response.json({
      device_code: created.deviceCode,
      expires_in: deps.deviceExpiresInSeconds,
      interval: deps.deviceIntervalSeconds,
      user_code: created.userCode,
      verification_uri: `${deps.activateUrl()}?device-code=${created.userCode}`,
    });
  };

  const token = (fields: Record<string, string>): Response => {
    const form = TokenForm.parse(fields);
    if (!form.grant_type) return oauthError(400, "missing grant type");
    const refused = checkClient(form);
    if (refused) return refused;
    if (form.grant_type === DEVICE_GRANT_TYPE) {
      if (!form.device_code) return oauthError(400, "missing device code");
      const result = deps.identity.redeemDevice(form.device_code);
      return typeof result === "string" ? oauthError(400, result) : Response.json(result);
    }
    if (form.grant_type === "refresh_token") {
      if (!form.refresh_token) return oauthError(400, "missing refresh token");
      const result = deps.identity.refresh(form.refresh_token);
      return result ? Response.json(result) : oauthError(400, "Invalid refresh token");
    }
    return oauthError(400, "unsupported grant type");
  };

  const validate = (request: Request): Response => {
    // Twitch documents `OAuth <token>` and also accepts `Bearer <token>`.
    const header = request.headers.get("authorization") ?? "";
    const presented = /^(?:OAuth|Bearer) (\S+)$/i.exec(header)?.[1];
    if (!presented) return oauthError(401, "missing authorization token");
    const grant = deps.identity.accessToken(presented);
    if (!grant) return oauthError(401, "invalid access token");
    return Response.json({
      client_id: deps.clientId,
      login: deps.user.login,
      scopes: grant.scopes,
      user_id: deps.user.id,
      expires_in: grant.expiresIn,
    });
  };

  const revoke = (fields: Record<string, string>): Response => {
    const form = RevokeForm.parse(fields);
    if (!form.client_id) return oauthError(400, "missing client id");
    if (form.client_id !== deps.clientId) return oauthError(404, "client does not exist");
    if (!form.token || !deps.identity.revokeToken(form.token)) {
      return oauthError(400, "Invalid token");
    }
    return new Response(null, { status: 200 });
  };

  const formRoutes: Record<string, ((fields: Record<string, string>) => Response) | undefined> = {
    "/device": device,
    "/token": token,
    "/revoke": revoke,
  };

  return async (request, path) => {
    if (path === "/validate") {
      if (request.method !== "GET") return oauthError(405, "method not allowed");
      return validate(request);
    }
    const handler = formRoutes[path];
    if (!handler) return oauthError(404, "not found");
    if (request.method !== "POST") return oauthError(405, "method not allowed");
    return handler(Form.parse(await formFields(request)));
  };
}
