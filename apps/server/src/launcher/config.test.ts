import { describe, expect, it } from "bun:test";
import { LauncherConfigError, loadLauncherConfig } from "./config";

const ROOT = "/repo/";
const load = (env: Record<string, string>) =>
  loadLauncherConfig(env, ROOT, () => "generated-token-0123456789");

function problems(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (err) {
    if (err instanceof LauncherConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a LauncherConfigError");
}

describe("loadLauncherConfig", () => {
  it("runs the hub, phononmaser and seed from the repository, with a token made for the run", () => {
    expect(load({})).toEqual({
      root: ROOT,
      hubEntry: "/repo/apps/server/src/main.ts",
      workers: [
        { name: "phononmaser", entry: "/repo/apps/phononmaser/src/main.ts" },
        { name: "seed", entry: "/repo/apps/seed/src/main.ts" },
      ],
      workerToken: "generated-token-0123456789",
      tokenGenerated: true,
      hubUrl: "http://127.0.0.1:7175",
      exitWithParent: false,
      logLevel: "info",
    });
  });

  it("takes a worker list, a token and the hub's address from the environment", () => {
    const config = load({
      LANDALE_WORKERS: "phononmaser=apps/phononmaser/src/main.ts, seed=/opt/seed/main.ts",
      LANDALE_WORKER_TOKEN: "a-chosen-token-0123456789",
      HOST: "::1",
      PORT: "8000",
      LANDALE_EXIT_WITH_PARENT: "1",
    });
    expect(config.workers).toEqual([
      { name: "phononmaser", entry: "/repo/apps/phononmaser/src/main.ts" },
      { name: "seed", entry: "/opt/seed/main.ts" },
    ]);
    expect([config.workerToken, config.tokenGenerated]).toEqual([
      "a-chosen-token-0123456789",
      false,
    ]);
    expect(config.hubUrl).toBe("http://[::1]:8000");
    expect(config.exitWithParent).toBe(true);
  });

  it("tells the workers loopback for a hub bound to every address, unless told a URL", () => {
    expect(load({ HOST: "0.0.0.0" }).hubUrl).toBe("http://127.0.0.1:7175");
    expect(load({ HOST: "100.64.0.7" }).hubUrl).toBe("http://100.64.0.7:7175");
    expect(load({ LANDALE_HUB_URL: "http://hub:1" }).hubUrl).toBe("http://hub:1");
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
    expect(problems({ LOG_LEVEL: "loud" })[0]).toStartWith("LOG_LEVEL:");
  });
});
