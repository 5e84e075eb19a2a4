/**
 * The real hub as a child process, the one way tests start it: `bun <main>` with a clean
 * environment, a temp data dir (holding a copy of the migrated PGlite template), a free port, and
 * ready once `GET /ready` answers 200 — never a banner or a guess at how long start-up takes.
 */
import { onTestFinished } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedPgliteDataDir } from "@landale/db/testing";
import type { Subprocess } from "bun";
import { capture, until } from "./child";
import { freePort } from "./ports";

/** Start-up on a loaded 2-core machine takes a second or two with the template copied. */
export const HUB_READY_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 5_000;
/** A free port can be taken by someone else before the hub binds it: try another. */
const PORT_ATTEMPTS = 3;
const PORT_IN_USE = /EADDRINUSE|port \d+ in use/i;

export interface SpawnHubOptions {
  /** The hub's entry point, `apps/server/src/main.ts`: a package does not know where apps live. */
  main: string;
  /**
   * What to run instead of `bun <main>`, in the data dir: a launcher such as `bun run start`,
   * for a test of the hub as that launcher starts it.
   */
  command?: string[];
  /** Start it as the leader of a process group of its own, to signal the group as a terminal does. */
  processGroup?: boolean;
  /**
   * Settings on top of the defaults (loopback, no token, PGlite, LOG_LEVEL=warn); nothing else of
   * the runner's environment reaches the hub but PATH and HOME, and its cwd (the data dir) has no
   * `.env`.
   */
  env?: Record<string, string>;
  /** The data dir to use (a restart keeps its events); the caller owns it. Default: a temp dir. */
  dataDir?: string;
  /**
   * Copy the migrated PGlite template into a data dir without a database (the default: start-up
   * then takes a second, not five); false lets the hub create and migrate PGlite, as a first run.
   */
  template?: boolean;
  /** The port to listen on (a restart on the same port). Default: a free one. */
  port?: number;
  /** Resolve once spawned instead of once ready, for a test that expects the hub to exit. */
  waitReady?: boolean;
  /**
   * "test" (the default): the hub is stopped when the current test finishes. "caller": the caller
   * stops it — the choice for a hub started in `beforeAll` and stopped in `afterAll`.
   */
  stopAfter?: "test" | "caller";
}

export interface HubProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/socket`, for the phoenix client. */
  readonly socketUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  readonly child: Subprocess<"ignore", "pipe", "pipe">;
  /** Resolves with the exit code (null once killed by a signal, see `child.signalCode`). */
  readonly exited: Promise<number>;
  stdout(): string;
  stderr(): string;
  /** Both streams, for failure messages. */
  output(): string;
  /** Resolves once `GET /ready` answers 200; rejects with the output if the hub exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves once stdout or stderr matches `pattern`; rejects if the hub exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` (default SIGKILL) and, unless it is SIGSTOP or SIGCONT, waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it (SIGKILL) if it still runs and removes the data dir if spawnHub made it. */
  stop(): Promise<void>;
}

/** Spawns the hub and, unless `waitReady: false`, resolves once it is ready. */
export async function spawnHub(options: SpawnHubOptions): Promise<HubProcess> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "landale-hub-"));
  let hub: HubProcess | null = null;
  try {
    if (options.template !== false && (options.env?.DATABASE_URL ?? "") === "") {
      await seedPgliteDataDir(dataDir);
    }
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      hub = start(options, dataDir, ownsDataDir, port);
      if (options.stopAfter !== "caller") onTestFinished(hub.stop);
      if (options.waitReady === false) return hub;
      try {
        await hub.ready();
        return hub;
      } catch (err) {
        const retry =
          options.port === undefined && attempt < PORT_ATTEMPTS && PORT_IN_USE.test(hub.output());
        if (!retry) throw err;
        await hub.kill();
      }
    }
  } catch (err) {
    await hub?.kill();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

function start(
  options: SpawnHubOptions,
  dataDir: string,
  ownsDataDir: boolean,
  port: number,
): HubProcess {
  const child = Bun.spawn(options.command ?? ["bun", options.main], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dataDir,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      LANDALE_DATA_DIR: dataDir,
      DATABASE_URL: "",
      LANDALE_TOKEN: "",
      LANDALE_OVERLAY_TOKEN: "",
      // The IronMON TCP ingest on a free port (health says which), never the streamer's 8080.
      LANDALE_TCP_PORT: "0",
      // A test runner that dies must not leave hubs behind on their ports.
      LANDALE_EXIT_WITH_PARENT: "1",
      // The hub alone unless a test names workers: `all` would start the real ones.
      LANDALE_WORKERS: "none",
      ...options.env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: options.processGroup === true,
  });
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const output = () => `${stdout.text()}${stderr.text()}`;
  const url = `http://127.0.0.1:${port}`;
  const exitedEarly = (what: string) =>
    child.exited.then((code) => {
      throw new Error(`the hub exited (${code ?? child.signalCode}) before ${what}:\n${output()}`);
    });

  const hub: HubProcess = {
    url,
    socketUrl: `ws://127.0.0.1:${port}/socket`,
    port,
    pid: child.pid,
    dataDir,
    child,
    exited: child.exited,
    stdout: stdout.text,
    stderr: stderr.text,
    output,
    ready: (timeoutMs = HUB_READY_TIMEOUT_MS) =>
      until(
        `${url}/ready to answer 200`,
        async () => {
          const response = await fetch(`${url}/ready`, {
            signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
          }).catch(() => null);
          await response?.body?.cancel();
          return response?.status === 200;
        },
        exitedEarly("it was ready"),
        timeoutMs,
        output,
      ),
    waitForOutput: (pattern, timeoutMs = HUB_READY_TIMEOUT_MS) =>
      until(
        `output matching ${pattern}`,
        () => pattern.test(output()),
        exitedEarly(`printing ${pattern}`),
        timeoutMs,
        output,
      ),
    async kill(signal = "SIGKILL") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      if (signal !== "SIGSTOP" && signal !== "SIGCONT") await child.exited;
    },
    async stop() {
      await hub.kill("SIGKILL");
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return hub;
}
