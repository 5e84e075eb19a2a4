/**
 * Real hubs for the client's tests: `apps/server/src/main.ts` as a child process (testkit's
 * `spawnHub`), which a test can kill (or freeze) and start again on the same port and data dir.
 * Each is stopped when its test ends.
 */
import { type HubProcess, spawnHub } from "@landale/testkit";

export type { HubProcess };

const MAIN = new URL("../../../apps/server/src/main.ts", import.meta.url).pathname;

/** Starts a hub (where a killed one was, when given) and resolves once it is ready. */
export function startHub(place?: { port: number; dataDir: string }): Promise<HubProcess> {
  return spawnHub({ main: MAIN, port: place?.port, dataDir: place?.dataDir });
}

export async function postEvents(
  hub: HubProcess,
  events: unknown,
): Promise<{ id: string; seq: number }[]> {
  const response = await fetch(`${hub.url}/api/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  if (response.status !== 202)
    throw new Error(`POST /api/events: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accepted: { id: string; seq: number }[] }).accepted;
}

/** Polls `check` until it holds, or fails naming `what` after `ms`. */
export async function eventually(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

export const note = (n: number) => ({ id: `note-${n}`, type: "custom.note", data: { n } });
