/**
 * Real hubs for the client's tests: `apps/server/src/main.ts` as a child process on a fixed port
 * and data dir, so a test can kill it (or freeze it) and start it again where it was.
 */
import { afterEach } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@landale/testkit";
import type { Subprocess } from "bun";

const MAIN = new URL("../../../apps/server/src/main.ts", import.meta.url).pathname;
const children = new Set<Subprocess>();

afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
});

export interface HubProcess {
  port: number;
  dataDir: string;
  url: string;
  socketUrl: string;
  child: Subprocess<"ignore", "pipe", "pipe">;
}

/** Starts a hub and resolves once it prints that it is running. */
export async function startHub(place?: { port: number; dataDir: string }): Promise<HubProcess> {
  const port = place?.port ?? (await freePort());
  const dataDir = place?.dataDir ?? mkdtempSync(join(tmpdir(), "landale-client-"));
  const child = Bun.spawn(["bun", MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      LANDALE_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  children.add(child);
  const decoder = new TextDecoder();
  let banner = "";
  for await (const chunk of child.stdout) {
    banner += decoder.decode(chunk);
    if (banner.includes("Ctrl+C")) break;
  }
  if (!banner.includes("Ctrl+C"))
    throw new Error(`hub did not start: ${await new Response(child.stderr).text()}`);
  const url = `http://127.0.0.1:${port}`;
  return { port, dataDir, url, socketUrl: `ws://127.0.0.1:${port}/socket`, child };
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
