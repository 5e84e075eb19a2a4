/**
 * The hub's worker settings, read once from the environment: which workers it supervises
 * (`LANDALE_WORKERS`: `all`, the default; `none`; or `name=entry[@health-url]` pairs, an entry
 * relative to the repository), the worker token (generated for this run when
 * `LANDALE_WORKER_TOKEN` is unset, never printed) and the hub's URL the workers are given.
 */
import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";

/** Every worker `all` runs, when it is there (a missing entry is skipped with a log line). */
export const DEFAULT_WORKERS =
  "phononmaser=apps/phononmaser/src/main.ts@http://127.0.0.1:8890/health," +
  "seed=apps/seed/src/main.ts@http://127.0.0.1:8891/health";
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
  const workers = parseWorkers(env.LANDALE_WORKERS, root, problems);
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

function parseWorkers(value: string | undefined, root: string, problems: string[]): WorkerSpec[] {
  const given = value === undefined || value.trim() === "" ? "all" : value.trim();
  const list = given === "all" ? DEFAULT_WORKERS : given;
  if (list.trim() === "none") return [];
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
 * What the workers are told the hub is at: `LANDALE_HUB_URL` when set; else the hub's own address
 * and the port it listens on, loopback for a hub bound to every address.
 */
export function workerHubUrl(env: Record<string, string | undefined>, port: number): string {
  if (env.LANDALE_HUB_URL !== undefined && env.LANDALE_HUB_URL !== "") return env.LANDALE_HUB_URL;
  const bind = env.HOST ?? "";
  const host = WILDCARD_HOSTS.has(bind) ? "127.0.0.1" : bind;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
