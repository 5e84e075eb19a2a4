/**
 * The hub under test: the real `bun apps/server/src/main.ts` as a subprocess on 127.0.0.1, port 0,
 * a fresh data dir (on PGlite holding a copy of the migrated template, as the tests' hubs do, so
 * no session pays PGlite's seconds of initdb), warnings only; its URL comes from the banner it
 * prints once ready. The bench's orphan guard is preloaded so the hub exits with the driver,
 * whatever happens to the driver.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedPgliteDataDir } from "@landale/db/testing";
import type { HubHealth } from "@landale/shared";
import { benchHubEnv } from "../lib/hub-env";
import { processCpuMicros, processRss } from "../lib/process-stats";
import { awaitOutput, type ProcessGroup } from "../lib/processes";
import { PROFILE_INTERVAL_US } from "./profile";

const ROOT = new URL("../../", import.meta.url).pathname;
const MAIN = `${ROOT}apps/server/src/main.ts`;
const GUARD = new URL("../lib/orphan-guard.ts", import.meta.url).pathname;
/** PGlite opens in seconds; Postgres may be slower to migrate on a busy machine. */
const READY_TIMEOUT_MS = 90_000;
/** SIGTERM commits what is pending and closes every socket first; give it time before SIGKILL. */
const STOP_GRACE_MS = 30_000;
const HEALTH_TIMEOUT_MS = 10_000;
/** Distinct log messages counted; the rest are counted together. */
const MAX_LOG_MESSAGES = 50;
const OTHER_MESSAGES = "(other messages)";
const BANNER = /^\s+health\s+(http:\/\/127\.0\.0\.1:\d+)\/health$/m;

export interface HubOptions {
  /** Postgres URL, or null for PGlite in the data dir. */
  databaseUrl: string | null;
  /** Where `bun --cpu-prof` writes the hub's profile on exit; null for no profile. */
  profile: { dir: string; name: string } | null;
}

export interface HubHandle {
  readonly url: string;
  readonly pid: number;
  health(): Promise<HubHealth>;
  /** Resident set size in bytes (0 if the hub is gone). */
  rss(): Promise<number>;
  cpuMicros(): Promise<number>;
  /** The stream state's version — it grows by one per saved change — or null without the route. */
  streamVersion(): Promise<number | null>;
  /** How often the hub logged each message (it runs at LOG_LEVEL=warn), e.g. `warn: …`. */
  logged(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startHub(group: ProcessGroup, options: HubOptions): Promise<HubHandle> {
  const dataDir = await mkdtemp(join(tmpdir(), "landale-bench-"));
  if (options.databaseUrl === null) await seedPgliteDataDir(dataDir);
  const child = group.spawn(MAIN, {
    stdout: "pipe",
    bunArgs: ["--preload", GUARD, ...profileFlags(options.profile)],
    env: benchHubEnv(dataDir, options.databaseUrl),
    cwd: ROOT,
    graceMs: STOP_GRACE_MS,
  });
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= group.stop(child).finally(() => rm(dataDir, { recursive: true, force: true }));
    return stopped;
  };
  const log = new LogCounts();
  try {
    const banner = await awaitOutput(child.stdout as ReadableStream<Uint8Array>, BANNER, {
      what: "hub",
      timeoutMs: READY_TIMEOUT_MS,
      onRest: (text) => log.add(text),
    });
    const url = banner[1]!;
    const get = (path: string) =>
      fetch(`${url}${path}`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    return {
      url,
      pid: child.pid,
      health: async () => (await (await get("/api/health")).json()) as HubHealth,
      rss: async () => (await processRss(child.pid)) ?? 0,
      cpuMicros: async () => (await processCpuMicros(child.pid)) ?? 0,
      async streamVersion() {
        const response = await get("/api/stream/state");
        if (!response.ok) return null;
        const state = (await response.json()) as { version?: unknown };
        return typeof state.version === "number" ? state.version : null;
      },
      logged: () => log.counts(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function profileFlags(profile: HubOptions["profile"]): string[] {
  if (profile === null) return [];
  return [
    "--cpu-prof",
    "--cpu-prof-md",
    `--cpu-prof-interval=${PROFILE_INTERVAL_US}`,
    `--cpu-prof-dir=${profile.dir}`,
    `--cpu-prof-name=${profile.name}`,
  ];
}

/** Counts the hub's log lines (pino's JSON) by level and message, so a chatty hub costs the driver nothing to keep. */
class LogCounts {
  readonly #counts = new Map<string, number>();
  #partial = "";

  add(text: string): void {
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop() ?? "";
    for (const line of lines) {
      const message = messageOf(line);
      if (message !== null) this.#count(message);
    }
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  #count(message: string): void {
    const key =
      this.#counts.has(message) || this.#counts.size < MAX_LOG_MESSAGES ? message : OTHER_MESSAGES;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }
}

const LEVELS: Record<number, string> = { 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** `warn: <msg>` for a pino line; null for anything else (the rest of the start-up banner). */
function messageOf(line: string): string | null {
  if (!line.startsWith("{")) return null;
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string };
    return `${LEVELS[entry.level ?? 0] ?? entry.level}: ${entry.msg ?? ""}`;
  } catch {
    return null;
  }
}
