/**
 * The environment a bench starts a hub with: the driver's own settings for the hub left out, so
 * the run is the same anywhere, and the hub alone on loopback, as `bun start` starts it (with the
 * runtime settings of the hub's own launcher).
 */
import { withHubRuntimeEnv } from "../../apps/server/src/runtime-env";

/** Variables the hub reads; the driver's own values are left out. */
const HUB_VARIABLES = /^(PORT|HOST|DATABASE_URL|LOG_LEVEL|LANDALE_.*)$/;

/** `databaseUrl` null selects PGlite (in `dataDir`). */
export function benchHubEnv(
  dataDir: string,
  databaseUrl: string | null,
): Record<string, string | undefined> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !HUB_VARIABLES.test(name)),
  );
  return withHubRuntimeEnv({
    ...inherited,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    LANDALE_DATA_DIR: dataDir,
    // An empty URL selects PGlite; empty tokens leave the loopback hub open to the bench.
    DATABASE_URL: databaseUrl ?? "",
    LANDALE_TOKEN: "",
    LANDALE_OVERLAY_TOKEN: "",
    // The hub alone: workers beside it would be measured with it.
    LANDALE_WORKERS: "none",
  });
}
