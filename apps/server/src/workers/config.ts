/**
 * The hub's worker settings, read once from the environment: which workers it supervises
 * (`LANDALE_WORKERS`: `all`, the default; `none`; or `name=entry[@health-url]` pairs, an entry
 * relative to the repository), the worker token (generated for this run when
 * `LANDALE_WORKER_TOKEN` is unset, never printed) and the hub's URL the workers are given.
 * `all` checks each worker's health where the worker's own settings put it (its HOST and
 * HEALTH_PORT variables, read as the worker reads them; loopback for a wildcard address).
 */
import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { port as portSetting } from "@landale/process/env";

/**
 * Every worker `all` runs, when it is there (a missing entry is skipped with a log line), and the
 * variables of its own that say where its `GET /health` is, with their defaults.
 */
export const DEFAULT_WORKERS = [
  {
    name: "phononmaser",
    entry: "apps/phononmaser/src/main.ts",
    hostKey: "PHONONMASER_HOST",
    portKey: "PHONONMASER_HEALTH_PORT",
    port: 8890,
  },
  {
    name: "seed",
    entry: "apps/seed/src/main.ts",
    hostKey: "SEED_HOST",
    portKey: "SEED_HEALTH_PORT",
    port: 8891,
  },
] as const;
/** Where a worker binds unless its HOST variable says otherwise (the workers' own default). */
const WORKER_HOST = "127.0.0.1";
/**
 * Every variable the worker settings and the launcher read (beside the hub's `EnvSchema`): the
 * compose file's test checks what it sets against this list, so keep it in step.
 */
export const WORKERS_ENV_KEYS = [
  "LANDALE_WORKERS",
  "LANDALE_WORKER_TOKEN",
  "LANDALE_HUB_URL",
  "HOST",
  "PORT",
  "LOG_LEVEL",
  "LANDALE_EXIT_WITH_PARENT",
  ...DEFAULT_WORKERS.flatMap((worker) => [worker.hostKey, worker.portKey]),
] as const;
/** Where an entry ends and its health URL begins. */
const HEALTH_MARK = "@http";
const WORKER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const MIN_TOKEN_CHARS = 16;
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", ""]);

export interface WorkerSpec {
  name: string;
  /** Absolute path of its entry file. */
  entry: string;
  /** Answers 200 while the worker is well; null: not checked. */
  healthUrl: string | null;
}

export interface WorkersConfig {
  workers: WorkerSpec[];
  workerToken: string;
  /** True when the token was made for this run (it is never printed). */
  tokenGenerated: boolean;
}

export class WorkersConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "WorkersConfigError";
  }
}

export function loadWorkersConfig(
  env: Record<string, string | undefined>,
  root: string,
  newToken: () => string = () => randomBytes(32).toString("base64url"),
): WorkersConfig {
  const problems: string[] = [];
  const workers = parseWorkers(env, root, problems);
  const given = env.LANDALE_WORKER_TOKEN ?? "";
  if (given !== "" && given.length < MIN_TOKEN_CHARS) {
    problems.push(`LANDALE_WORKER_TOKEN: must be at least ${MIN_TOKEN_CHARS} characters`);
  }
  if (problems.length > 0) throw new WorkersConfigError(problems);
  return {
    workers,
    workerToken: given === "" ? newToken() : given,
    tokenGenerated: given === "",
  };
}

function parseWorkers(
  env: Record<string, string | undefined>,
  root: string,
  problems: string[],
): WorkerSpec[] {
  const value = env.LANDALE_WORKERS;
  const list = value === undefined || value.trim() === "" ? "all" : value.trim();
  if (list === "all") {
    return DEFAULT_WORKERS.map((worker) => ({
      name: worker.name,
      entry: resolve(root, worker.entry),
      healthUrl: defaultHealthUrl(env, worker),
    }));
  }
  if (list === "none") return [];
  const workers: WorkerSpec[] = [];
  for (const item of list.split(",").map((part) => part.trim())) {
    if (item === "") continue;
    const [name = "", ...rest] = item.split("=");
    const target = rest.join("=").trim();
    const mark = target.lastIndexOf(HEALTH_MARK);
    const entry = mark === -1 ? target : target.slice(0, mark);
    const healthUrl = mark === -1 ? null : target.slice(mark + 1);
    if (!WORKER_NAME.test(name.trim()) || entry === "") {
      problems.push(
        `LANDALE_WORKERS: "${item}" is not name=entry[@health-url] (a lowercase name, then the worker's entry file), "all" or "none"`,
      );
    } else if (workers.some((worker) => worker.name === name.trim())) {
      problems.push(`LANDALE_WORKERS: "${name.trim()}" is listed twice`);
    } else {
      const path = isAbsolute(entry) ? entry : resolve(root, entry);
      workers.push({ name: name.trim(), entry: path, healthUrl });
    }
  }
  return workers;
}

/**
 * Where a default worker answers `GET /health`: its HOST and HEALTH_PORT variables read as it
 * reads them. Null (not checked) for port 0, a free one only the worker knows, and for a port the
 * worker will refuse: it exits 78 naming the variable, and is reported failed.
 */
function defaultHealthUrl(
  env: Record<string, string | undefined>,
  worker: (typeof DEFAULT_WORKERS)[number],
): string | null {
  const healthPort = portSetting(worker.port).safeParse(env[worker.portKey]);
  if (!healthPort.success || healthPort.data === 0) return null;
  return `${reachable(env[worker.hostKey] ?? WORKER_HOST)}:${healthPort.data}/health`;
}

/**
 * What the workers are told the hub is at: `LANDALE_HUB_URL` when set; else the hub's own address
 * and the port it listens on, loopback for a hub bound to every address.
 */
export function workerHubUrl(env: Record<string, string | undefined>, port: number): string {
  if (env.LANDALE_HUB_URL !== undefined && env.LANDALE_HUB_URL !== "") return env.LANDALE_HUB_URL;
  return `${reachable(env.HOST ?? "")}:${port}`;
}

/** `http://` and the address a server bound to `bind` is reached at from this machine. */
function reachable(bind: string): string {
  const host = WILDCARD_HOSTS.has(bind) ? "127.0.0.1" : bind;
  return `http://${host.includes(":") ? `[${host}]` : host}`;
}
