/**
 * The launcher's settings, read once from the environment: which workers it supervises
 * (`LANDALE_WORKERS`, `name=entry` pairs; `none` for the hub alone), the worker token (generated
 * for this run when `LANDALE_WORKER_TOKEN` is unset), the hub's URL the workers are given, and
 * whether to stop with the process that started it. The hub validates its own settings itself.
 */
import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { LOG_LEVELS, type LogLevel } from "@landale/logger";

/** Every worker `bun start` runs, when it is there (a missing entry is skipped with a log line). */
export const DEFAULT_WORKERS =
  "phononmaser=apps/phononmaser/src/main.ts,seed=apps/seed/src/main.ts";
/** Every variable the launcher reads (the hub and the workers read theirs in their own config). */
export const LAUNCHER_ENV_KEYS = [
  "LANDALE_WORKERS",
  "LANDALE_WORKER_TOKEN",
  "LANDALE_HUB_URL",
  "HOST",
  "PORT",
  "LOG_LEVEL",
  "LANDALE_EXIT_WITH_PARENT",
] as const;
const WORKER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const MIN_TOKEN_CHARS = 16;
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", ""]);

export interface WorkerSpec {
  name: string;
  /** Absolute path of its entry file. */
  entry: string;
}

export interface LauncherConfig {
  /** The repository: relative entries are resolved against it, and the build runs in it. */
  root: string;
  hubEntry: string;
  workers: WorkerSpec[];
  workerToken: string;
  /** True when the token was made for this run (it is never printed). */
  tokenGenerated: boolean;
  /** What the workers are told the hub is at (`LANDALE_HUB_URL`). */
  hubUrl: string;
  exitWithParent: boolean;
  logLevel: LogLevel;
}

export class LauncherConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "LauncherConfigError";
  }
}

export function loadLauncherConfig(
  env: Record<string, string | undefined>,
  root: string,
  newToken: () => string = () => randomBytes(32).toString("base64url"),
): LauncherConfig {
  const problems: string[] = [];
  const workers = parseWorkers(env.LANDALE_WORKERS, root, problems);
  const given = env.LANDALE_WORKER_TOKEN ?? "";
  if (given !== "" && given.length < MIN_TOKEN_CHARS) {
    problems.push(`LANDALE_WORKER_TOKEN: must be at least ${MIN_TOKEN_CHARS} characters`);
  }
  const level = env.LOG_LEVEL === undefined || env.LOG_LEVEL === "" ? "info" : env.LOG_LEVEL;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(", ")} (got "${level}")`);
  }
  if (problems.length > 0) throw new LauncherConfigError(problems);
  return {
    root,
    hubEntry: resolve(root, "apps/server/src/main.ts"),
    workers,
    workerToken: given === "" ? newToken() : given,
    tokenGenerated: given === "",
    hubUrl: hubUrlOf(env),
    exitWithParent: env.LANDALE_EXIT_WITH_PARENT === "1" || env.LANDALE_EXIT_WITH_PARENT === "true",
    logLevel: level as LogLevel,
  };
}

function parseWorkers(value: string | undefined, root: string, problems: string[]): WorkerSpec[] {
  const list = value === undefined || value.trim() === "" ? DEFAULT_WORKERS : value;
  if (list.trim() === "none") return [];
  const workers: WorkerSpec[] = [];
  for (const item of list.split(",").map((part) => part.trim())) {
    if (item === "") continue;
    const [name = "", ...rest] = item.split("=");
    const entry = rest.join("=").trim();
    if (!WORKER_NAME.test(name.trim()) || entry === "") {
      problems.push(
        `LANDALE_WORKERS: "${item}" is not name=entry (a lowercase name, then the worker's entry file), or "none"`,
      );
    } else if (workers.some((worker) => worker.name === name.trim())) {
      problems.push(`LANDALE_WORKERS: "${name.trim()}" is listed twice`);
    } else {
      workers.push({ name: name.trim(), entry: isAbsolute(entry) ? entry : resolve(root, entry) });
    }
  }
  return workers;
}

/** `LANDALE_HUB_URL` when set; else the hub's own address, loopback for a hub bound to all. */
function hubUrlOf(env: Record<string, string | undefined>): string {
  if (env.LANDALE_HUB_URL !== undefined && env.LANDALE_HUB_URL !== "") return env.LANDALE_HUB_URL;
  const bind = env.HOST ?? "";
  const host = WILDCARD_HOSTS.has(bind) ? "127.0.0.1" : bind;
  const port = env.PORT === undefined || env.PORT === "" ? "7175" : env.PORT;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
