/** The few calls the fake Twitch's own tests make to it, as a real client would over HTTP. */
import { expect } from "bun:test";
import { z } from "zod";
import type { FakeTwitch } from "./fake";
import { DEVICE_GRANT_TYPE } from "./oauth";

export const CLIENT_ID = "test-client";

export const DeviceAnswer = z.strictObject({
  device_code: z.string().min(1),
  expires_in: z.int().positive(),
  interval: z.int().nonnegative(),
  user_code: z.string().regex(/^[A-Z]{8}$/),
  verification_uri: z.string(),
});

export const TokenAnswer = z.strictObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.int().positive(),
  scope: z.array(z.string()),
  token_type: z.literal("bearer"),
});

export const OAuthError = z.strictObject({ status: z.int(), message: z.string() });
export const HelixError = z.strictObject({
  error: z.string(),
  status: z.int(),
  message: z.string(),
});

export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

export async function requestDevice(
  twitch: FakeTwitch,
  scopes = "channel:manage:broadcast channel:read:goals",
): Promise<z.infer<typeof DeviceAnswer>> {
  const response = await postForm(`${twitch.authUrl}/device`, { client_id: CLIENT_ID, scopes });
  expect(response.status).toBe(200);
  return DeviceAnswer.parse(await response.json());
}

export function pollDevice(twitch: FakeTwitch, deviceCode: string): Promise<Response> {
  return postForm(`${twitch.authUrl}/token`, {
    client_id: CLIENT_ID,
    scopes: "channel:manage:broadcast channel:read:goals",
    device_code: deviceCode,
    grant_type: DEVICE_GRANT_TYPE,
  });
}

export function refresh(twitch: FakeTwitch, refreshToken: string): Promise<Response> {
  return postForm(`${twitch.authUrl}/token`, {
    client_id: CLIENT_ID,
    grant_type: "refresh_token",
    refresh_token: refreshToken,
  });
}

export function validate(twitch: FakeTwitch, accessToken: string): Promise<Response> {
  return fetch(`${twitch.authUrl}/validate`, {
    headers: { Authorization: `OAuth ${accessToken}` },
  });
}

export function helix(
  twitch: FakeTwitch,
  path: string,
  accessToken: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  return fetch(`${twitch.apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      Authorization: `Bearer ${accessToken}`,
      "Client-Id": CLIENT_ID,
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** `{status, message}` of an id-service error answer. */
export async function oauthError(response: Response): Promise<z.infer<typeof OAuthError>> {
  return OAuthError.parse(await response.json());
}

export async function helixError(response: Response): Promise<z.infer<typeof HelixError>> {
  return HelixError.parse(await response.json());
}
