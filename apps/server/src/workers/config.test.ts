import { describe, expect, it } from "bun:test";
import { loadWorkersConfig, WORKERS_ENV_KEYS, WorkersConfigError, workerHubUrl } from "./config";

const ROOT = "/repo/";
const load = (env: Record<string, string>) =>
  loadWorkersConfig(env, ROOT, () => "generated-token-0123456789");

function problems(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (err) {
    if (err instanceof WorkersConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a WorkersConfigError");
}

describe("loadWorkersConfig", () => {
  it("runs phononmaser and seed from the repository by default, with a token made for the run", () => {
    const all = {
      workers: [
        {
          name: "phononmaser",
          entry: "/repo/apps/phononmaser/src/main.ts",
          healthUrl: "http://127.0.0.1:8890/health",
        },
        {
          name: "seed",
          entry: "/repo/apps/seed/src/main.ts",
          healthUrl: "http://127.0.0.1:8891/health",
        },
      ],
      workerToken: "generated-token-0123456789",
      tokenGenerated: true,
    };
    expect(load({})).toEqual(all);
    expect(load({ LANDALE_WORKERS: "all" })).toEqual(all);
  });

  it("takes a worker list with health URLs and a token from the environment", () => {
    const config = load({
      LANDALE_WORKERS:
        "phononmaser=apps/phononmaser/src/main.ts, seed=/opt/seed/main.ts@http://127.0.0.1:9/health",
      LANDALE_WORKER_TOKEN: "a-chosen-token-0123456789",
    });
    expect(config.workers).toEqual([
      { name: "phononmaser", entry: "/repo/apps/phononmaser/src/main.ts", healthUrl: null },
      { name: "seed", entry: "/opt/seed/main.ts", healthUrl: "http://127.0.0.1:9/health" },
    ]);
    expect([config.workerToken, config.tokenGenerated]).toEqual([
      "a-chosen-token-0123456789",
      false,
    ]);
  });

  it("checks the default workers' health where their own settings put it", () => {
    const healthUrls = (env: Record<string, string>) =>
      load(env).workers.map((worker) => worker.healthUrl);
    // Moved, as .env.example invites: the hub follows, instead of asking 8890 and 8891.
    expect(healthUrls({ PHONONMASER_HEALTH_PORT: "18890", SEED_HEALTH_PORT: "18891" })).toEqual([
      "http://127.0.0.1:18890/health",
      "http://127.0.0.1:18891/health",
    ]);
    expect(
      healthUrls({ PHONONMASER_HOST: "100.64.0.7", SEED_HOST: "::1", SEED_HEALTH_PORT: "9001" }),
    ).toEqual(["http://100.64.0.7:8890/health", "http://[::1]:9001/health"]);
    // A worker bound to every address is asked on loopback.
    expect(healthUrls({ PHONONMASER_HOST: "0.0.0.0", SEED_HOST: "::" })).toEqual([
      "http://127.0.0.1:8890/health",
      "http://127.0.0.1:8891/health",
    ]);
    // Port 0 (any free one) cannot be known, and a port the worker will refuse is not asked.
    expect(healthUrls({ PHONONMASER_HEALTH_PORT: "0", SEED_HEALTH_PORT: "eighty" })).toEqual([
      null,
      null,
    ]);
  });

  it("reads no variable that WORKERS_ENV_KEYS does not list", () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get(_target, key) {
        if (typeof key === "string") read.add(key);
        return undefined;
      },
    });
    loadWorkersConfig(env, ROOT, () => "generated-token-0123456789");
    workerHubUrl(env, 7175);
    const listed: readonly string[] = WORKERS_ENV_KEYS;
    expect([...read].filter((key) => !listed.includes(key))).toEqual([]);
    expect(read.has("PHONONMASER_HEALTH_PORT")).toBe(true);
  });

  it("tells the workers loopback for a hub bound to every address, unless told a URL", () => {
    expect(workerHubUrl({ HOST: "0.0.0.0" }, 7175)).toBe("http://127.0.0.1:7175");
    expect(workerHubUrl({ HOST: "100.64.0.7" }, 8000)).toBe("http://100.64.0.7:8000");
    expect(workerHubUrl({ HOST: "::1" }, 8000)).toBe("http://[::1]:8000");
    expect(workerHubUrl({ LANDALE_HUB_URL: "http://hub:1" }, 8000)).toBe("http://hub:1");
  });

  it("runs the hub alone with LANDALE_WORKERS=none", () => {
    expect(load({ LANDALE_WORKERS: "none" }).workers).toEqual([]);
  });

  it("names a bad worker list, and a short token without echoing it", () => {
    expect(problems({ LANDALE_WORKERS: "phononmaser" })[0]).toStartWith("LANDALE_WORKERS:");
    expect(problems({ LANDALE_WORKERS: "Bad Name=x.ts" })[0]).toStartWith("LANDALE_WORKERS:");
    expect(problems({ LANDALE_WORKERS: "a=x.ts,a=y.ts" })[0]).toContain("listed twice");
    const [short] = problems({ LANDALE_WORKER_TOKEN: "hunter2" });
    expect(short).toStartWith("LANDALE_WORKER_TOKEN:");
    expect(short).not.toContain("hunter2");
  });
});
