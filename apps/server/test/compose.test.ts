/**
 * docker-compose.yml (with Dockerfile and .env.example) checked against the configuration schemas
 * of everything the `landale` container runs — the hub, the audio worker, the AI worker and the
 * launcher — statically, as Docker Compose would read them: every variable set is read by one of
 * them, .env.example as .env plus a token is accepted by all four, the ports are theirs.
 */
import { describe, expect, test } from "bun:test";
import {
  loadConfig as loadAudioConfig,
  EnvSchema as PhononmaserEnv,
} from "../../phononmaser/src/config";
import { loadConfig as loadSeedConfig, EnvSchema as SeedEnv } from "../../seed/src/config";
import { ConfigError, EnvSchema as HubEnv, loadConfig } from "../src/config";
import { HUB_RUNTIME_ENV } from "../src/runtime-env";
import { loadWorkersConfig, WORKERS_ENV_KEYS, workerHubUrl } from "../src/workers/config";
import {
  documentedNames,
  interpolatedNames,
  loadCompose,
  parseEnvFile,
  parsePort,
  ROOT,
  readText,
  serviceEnv,
} from "./support/compose";

const composeText = await readText("docker-compose.yml");
const envExample = await readText(".env.example");
const dotEnv = parseEnvFile(envExample);
const TOKEN = "a-control-token-of-32-characters";
/** What a user has after `cp .env.example .env` and setting LANDALE_TOKEN. */
const userEnv = { ...dotEnv, LANDALE_TOKEN: TOKEN };
const compose = loadCompose(composeText, userEnv);
const landale = compose.services.landale;
const db = compose.services.db;
if (landale === undefined || db === undefined) throw new Error("services landale and db expected");
const containerEnv = serviceEnv(landale, userEnv);

/** Every variable something in the landale container reads. */
const READ = new Set<string>([
  ...Object.keys(HubEnv.shape),
  ...Object.keys(PhononmaserEnv.shape),
  ...Object.keys(SeedEnv.shape),
  ...WORKERS_ENV_KEYS,
  // Read by the Bun runtime the launcher starts the hub with.
  ...Object.keys(HUB_RUNTIME_ENV),
]);
/** Variables only Compose itself reads (interpolated into the file), not the processes. */
const composeOnly = interpolatedNames(composeText).filter((name) => !READ.has(name));
/** The official image's own settings. */
const DB_IMAGE_ENV = new Set(["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"]);

describe("docker-compose.yml", () => {
  test("every variable the landale service sets is read by the hub, a worker or the launcher", () => {
    expect(landale.env_file).toBe(".env");
    const unknown = Object.keys(landale.environment ?? {}).filter((name) => !READ.has(name));
    expect(unknown).toEqual([]);
    expect(Object.keys(db.environment ?? {}).filter((name) => !DB_IMAGE_ENV.has(name))).toEqual([]);
    // The database gets nothing of .env: no token or secret of the hub's.
    expect(db.env_file).toBeUndefined();
  });

  test("every setting in .env.example is read by something, and every compose-only one is there", () => {
    const documented = documentedNames(envExample);
    const known = new Set([...READ, ...composeOnly]);
    expect(documented.filter((name) => !known.has(name))).toEqual([]);
    expect(composeOnly.filter((name) => !documented.includes(name))).toEqual([]);
  });

  test("every setting of the hub is in .env.example (the workers' are in their own docs)", () => {
    const documented = documentedNames(envExample);
    expect(Object.keys(HubEnv.shape).filter((name) => !documented.includes(name))).toEqual([]);
  });

  test("without LANDALE_TOKEN Compose refuses to start, as the hub would on 0.0.0.0", () => {
    expect(() => loadCompose(composeText, dotEnv)).toThrow(/LANDALE_TOKEN/);
    expect(containerEnv.HOST).toBe("0.0.0.0");
    const { LANDALE_TOKEN: _token, ...tokenless } = containerEnv;
    expect(() => loadConfig(tokenless)).toThrow(ConfigError);
    expect(() => loadConfig(tokenless)).toThrow(
      /LANDALE_TOKEN: is required when HOST is "0.0.0.0"/,
    );
  });

  test(".env.example as .env, with a token, is accepted by the hub, both workers and the launcher", () => {
    const hub = loadConfig(containerEnv);
    expect(hub.host).toBe("0.0.0.0");
    expect(hub.token).toBe(TOKEN);
    const audio = loadAudioConfig(containerEnv);
    expect(audio.host).toBe("0.0.0.0");
    const seed = loadSeedConfig(containerEnv);
    expect(seed.host).toBe("0.0.0.0");
    const workers = loadWorkersConfig(containerEnv, ROOT, () => "a-worker-token-for-this-test");
    // The workers run beside the hub in the container and reach it on loopback.
    expect(workerHubUrl(containerEnv, hub.port)).toBe(`http://127.0.0.1:${hub.port}`);
    expect(workers.workers.map((worker) => worker.name)).toEqual(["phononmaser", "seed"]);
    // The hub checks each worker's health where the worker serves it (bound to all: on loopback).
    expect(workers.workers.map((worker) => worker.healthUrl)).toEqual([
      `http://127.0.0.1:${audio.healthPort}/health`,
      `http://127.0.0.1:${seed.healthPort}/health`,
    ]);
  });

  test("DATABASE_URL names the db service, with its credentials and database", () => {
    const url = new URL(loadConfig(containerEnv).databaseUrl ?? "");
    expect(url.hostname).toBe("db");
    expect(db.image).toStartWith("timescale/timescaledb:");
    expect(url.port).toBe("5432");
    expect(url.username).toBe(String(db.environment?.POSTGRES_USER));
    expect(url.password).toBe(String(db.environment?.POSTGRES_PASSWORD));
    expect(url.pathname).toBe(`/${db.environment?.POSTGRES_DB}`);
    expect(landale.depends_on?.db?.condition).toBe("service_healthy");
    expect(db.healthcheck?.test.join(" ")).toContain(`-U ${db.environment?.POSTGRES_USER}`);
  });

  test("the data directory and the database's files are named volumes", () => {
    const mounts = (service: typeof landale) =>
      (service.volumes ?? []).map((spec) => spec.split(":") as [string, string]);
    const declared = Object.keys(compose.volumes ?? {});
    expect(mounts(landale)).toContainEqual([expect.any(String), loadConfig(containerEnv).dataDir]);
    expect(mounts(db)).toContainEqual([expect.any(String), "/var/lib/postgresql/data"]);
    for (const [volume] of [...mounts(landale), ...mounts(db)]) expect(declared).toContain(volume);
  });

  test("the published ports are the configured ones, on loopback by default", () => {
    const hub = loadConfig(containerEnv);
    const audio = loadAudioConfig(containerEnv);
    const seed = loadSeedConfig(containerEnv);
    const ports = (landale.ports ?? []).map(parsePort);
    expect(ports.map((port) => port.container).sort()).toEqual(
      [hub.port, audio.port, audio.healthPort, seed.healthPort, hub.ironmon.port].sort(),
    );
    for (const port of ports) {
      expect(port.host).toBe(port.container);
      expect(port.hostIp).toBe("127.0.0.1");
    }
    expect([hub.port, audio.port, audio.healthPort, seed.healthPort, hub.ironmon.port]).toEqual([
      7175, 8889, 8890, 8891, 8080,
    ]);
  });

  test("a port changed in .env moves the mapping and the healthchecks with it", () => {
    const env = {
      ...userEnv,
      PORT: "8000",
      PHONONMASER_PORT: "9000",
      PHONONMASER_HEALTH_PORT: "9001",
      SEED_HEALTH_PORT: "9002",
      LANDALE_PUBLISH_HOST: "100.64.0.1",
    };
    const moved = loadCompose(composeText, env).services.landale;
    if (moved === undefined) throw new Error("service landale expected");
    const ports = (moved.ports ?? []).map(parsePort);
    expect(ports).toContainEqual({ hostIp: "100.64.0.1", host: 8000, container: 8000 });
    expect(ports).toContainEqual({ hostIp: "127.0.0.1", host: 9000, container: 9000 });
    expect(ports).toContainEqual({ hostIp: "127.0.0.1", host: 9001, container: 9001 });
    expect(ports).toContainEqual({ hostIp: "127.0.0.1", host: 9002, container: 9002 });
    const workers = loadWorkersConfig(serviceEnv(moved, env), ROOT, () => "a-worker-token-0123456");
    expect(workers.workers.map((worker) => worker.healthUrl)).toEqual([
      "http://127.0.0.1:9001/health",
      "http://127.0.0.1:9002/health",
    ]);
    expect(loadConfig(serviceEnv(moved, env)).port).toBe(8000);
    expect(moved.healthcheck?.test.join(" ")).toContain("http://127.0.0.1:8000/ready");
  });

  test("the healthcheck asks the hub's /ready on its port", () => {
    const hub = loadConfig(containerEnv);
    expect(landale.healthcheck?.test.join(" ")).toContain(`http://127.0.0.1:${hub.port}/ready`);
  });
});

describe("Dockerfile", () => {
  test("runs what `bun start` runs, on the Bun the lockfile was made with", async () => {
    const dockerfile = await readText("Dockerfile");
    const pkg = JSON.parse(await readText("package.json")) as {
      packageManager: string;
      scripts: { start: string };
    };
    const bunVersion = pkg.packageManager.replace(/^bun@/, "");
    expect(dockerfile).toMatch(
      new RegExp(`^FROM oven/bun:${bunVersion.replaceAll(".", "\\.")}$`, "m"),
    );
    expect(dockerfile).toContain("bun install --frozen-lockfile");
    const entry = /\bbun (\S+\.ts)/.exec(pkg.scripts.start)?.[1];
    expect(entry).toBe("apps/server/src/launcher.ts");
    expect(dockerfile).toContain(`CMD ["bun", "${entry}"]`);
    expect(await Bun.file(`${ROOT}${entry}`).exists()).toBe(true);
    expect(landale.build).toBe(".");
  });

  test("leaves .env, data and host-built node_modules out of the image", async () => {
    const ignored = (await readText(".dockerignore")).split("\n").map((line) => line.trim());
    for (const path of [".env", "**/node_modules", "data"]) expect(ignored).toContain(path);
  });
});
