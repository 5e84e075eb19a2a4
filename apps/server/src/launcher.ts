/**
 * `bun start`: builds the front-ends, then runs the hub, which runs the workers
 * (`LANDALE_WORKERS`, `all` unless set: `./workers/supervisor`). Ctrl+C, SIGTERM or SIGHUP are
 * passed to the hub, and it exits with the hub's code; if it is killed outright, the hub notices
 * (LANDALE_EXIT_WITH_PARENT=1), stops its workers and exits. The hub starts with the runtime
 * settings of `./runtime-env`.
 */
import { withHubRuntimeEnv } from "./runtime-env";
import { exitCodeOf } from "./workers/exit";

const ROOT = new URL("../../../", import.meta.url).pathname;
const HUB = new URL("./main.ts", import.meta.url).pathname;
/** The build `bun start` always ran: cached by turbo, so a second start costs nothing. */
const BUILD = ["turbo", "run", "build", "--output-logs=errors-only"];
/** Ctrl+C reaches the launcher twice under `bun run` (the terminal and `bun run` itself). */
const SAME_SIGNAL_MS = 1_000;
/** Why a parent's death must be polled for, see `main.ts`. */
const PARENT_POLL_MS = 500;
const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

async function main(): Promise<void> {
  let child: ReturnType<typeof Bun.spawn> | null = null;
  let signalledAt: number | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = performance.now();
    if (signalledAt !== null && now - signalledAt < SAME_SIGNAL_MS) return;
    signalledAt = now;
    // The hub runs in a process group of its own: the hang-up never reached it.
    if (child !== null) child.kill(signal === "SIGHUP" ? "SIGTERM" : signal);
    else process.exit(1);
  };
  for (const signal of FORWARDED) process.on(signal, onSignal);
  const exitWithParent = ["1", "true"].includes(process.env.LANDALE_EXIT_WITH_PARENT ?? "");
  if (exitWithParent) watchParent(() => onSignal("SIGTERM"));

  child = Bun.spawn(BUILD, {
    cwd: ROOT,
    // `bun run` puts node_modules/.bin on PATH; run directly, the repository's is the fallback.
    env: { ...process.env, PATH: `${process.env.PATH ?? ""}:${ROOT}node_modules/.bin` },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const built = await child.exited;
  if (built !== 0 || signalledAt !== null) {
    if (signalledAt === null) console.error(`the build failed (exit ${built}): not starting`);
    process.exit(built === 0 ? 1 : built);
  }
  child = Bun.spawn(["bun", HUB], {
    env: withHubRuntimeEnv({ ...process.env, LANDALE_EXIT_WITH_PARENT: "1" }),
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  await child.exited;
  process.exitCode = exitCodeOf(child);
  for (const signal of FORWARDED) process.off(signal, onSignal);
}

/** Calls `gone` once the process that started the launcher has died (it was re-parented). */
function watchParent(gone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    gone();
  }, PARENT_POLL_MS);
  timer.unref();
}

main().catch((err: unknown) => {
  console.error("Landale could not start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
