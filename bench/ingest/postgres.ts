/** A throw-away Postgres database per run (`landale_bench_<random>`, dropped WITH (FORCE)), and the server processes that work for it. */
import { SQL } from "bun";

const NAME_PREFIX = "landale_bench_";
const RANDOM_BYTES = 6;
const CONNECT_TIMEOUT_S = 5;
/** The cluster's own processes, which write the WAL and data files for every database. */
const SHARED_BACKENDS = ["walwriter", "checkpointer", "background writer"];

export interface BenchDatabase {
  readonly name: string;
  /** The URL the hub connects to. */
  readonly url: string;
  /** Pids of the server processes serving this database, and the cluster's WAL and data writers. */
  serverPids(): Promise<number[]>;
  drop(): Promise<void>;
}

/** Creates a fresh database next to `adminUrl`'s and returns it; `drop()` removes it, connections and all. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `${NAME_PREFIX}${Buffer.from(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES))).toString("hex")}`;
  const admin = new SQL(adminUrl, { max: 1, connectionTimeout: CONNECT_TIMEOUT_S });
  try {
    // The name is ours (prefix + hex), so interpolating it as an identifier is safe.
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.close();
    throw new Error(`could not create database ${name} at ${redact(adminUrl)}: ${String(error)}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async serverPids() {
      const rows: { pid: number }[] = await admin`
        SELECT pid FROM pg_stat_activity
        WHERE datname = ${name} OR backend_type IN ${admin(SHARED_BACKENDS)}`;
      return rows.map((row) => row.pid);
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}
