/** Test support for the OBS integration: the fake OBS, a hub wired to it, and the REST calls. */
import { onTestFinished } from "bun:test";
import type { ActivityPage, EventEnvelope, ObsStatus } from "@landale/shared";
import { type FakeObs, startFakeObs } from "@landale/testkit";
import type { Config } from "../../src/config";
import type { Hub, HubOptions } from "../../src/hub";
import { eventually } from "./eventually";
import { startTestHub } from "./hub";

export const OBS_PASSWORD = "an-obs-websocket-password";

/** Short waits, so a test sees retries without waiting minutes. */
export const FAST_OBS = {
  connectTimeoutMs: 2_000,
  retryInitialMs: 20,
  retryMaxMs: 200,
  refusedRetryMs: 200,
} as const;

/** A fake OBS with a password, stopped when the test ends. */
export function fakeObs(options: Parameters<typeof startFakeObs>[0] = {}): FakeObs {
  const obs = startFakeObs({ password: OBS_PASSWORD, ...options });
  onTestFinished(() => obs.stop());
  return obs;
}

export function obsConfig(url: string, overrides: Partial<Config["obs"]> = {}): Partial<Config> {
  return { obs: { url, password: OBS_PASSWORD, requestTimeoutMs: 5_000, ...overrides } };
}

/** A ready hub pointed at `url`, with short OBS retry waits. */
export function obsHub(
  url: string,
  config: Partial<Config["obs"]> = {},
  options: HubOptions = {},
): Promise<Hub> {
  return startTestHub(obsConfig(url, config), {
    ...options,
    obs: { ...options.obs, timings: { ...FAST_OBS, ...options.obs?.timings } },
  });
}

export async function api<T>(
  hub: Hub,
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const { json, ...rest } = init;
  const response = await fetch(`${hub.url}/api${path}`, {
    ...rest,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    headers: { "content-type": "application/json", ...rest.headers },
  });
  const text = await response.text();
  return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as T };
}

export const post = <T>(hub: Hub, path: string, json?: unknown) =>
  api<T>(hub, path, { method: "POST", json: json ?? {} });

export async function obsStatus(hub: Hub): Promise<ObsStatus> {
  return (await api<ObsStatus>(hub, "/obs/status")).body;
}

export async function waitForObs(hub: Hub, state: ObsStatus["state"] = "connected") {
  await eventually(`OBS ${state}`, async () => (await obsStatus(hub)).state === state);
}

/** Stored events of `type`, oldest first. */
export async function stored(hub: Hub, type: string): Promise<EventEnvelope[]> {
  const page = (await api<ActivityPage>(hub, `/activity/events?type=${type}&limit=1000`)).body;
  return [...page.events].reverse();
}
