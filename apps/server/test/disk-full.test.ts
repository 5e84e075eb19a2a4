/**
 * A full disk under the spool, as a producer meets it: while Postgres is away, a window the spool
 * cannot hold is answered 503 `storage_full` (never acknowledged), health says why, and once
 * there is room again ingest goes on and every acknowledged event reaches Postgres exactly once.
 * The data dir is a small tmpfs, so this runs where the test may mount one (root, as in CI).
 */
import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventsAfter } from "@landale/db";
import type { TestDatabase } from "@landale/db/testing";
import { HubHealth } from "@landale/shared";
import { type HubProcess, postgresBehindProxy, spawnHub, type TcpProxy } from "@landale/testkit";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const TMPFS_BYTES = 256 * 1024;
const ROOMY_BYTES = 8 * 1024 * 1024;
/** Big enough that a few fill the tmpfs, small enough for the 64 KB event limit. */
const PADDING = "x".repeat(60_000);
const WAIT_TIMEOUT_MS = 15_000;
const POLL_MS = 25;
/** A bound on the loop that fills the disk, far above what 256 KB needs. */
const MAX_FILL_REQUESTS = 100;

/** Whether this process may mount a tmpfs (root on Linux); the test needs one to fill a disk. */
function canMountTmpfs(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "landale-mount-probe-"));
  try {
    const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]);
    if (mounted.exitCode !== 0) return false;
    Bun.spawnSync(["umount", dir]);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mountTmpfs(dir: string, bytes: number, remount = false): void {
  const options = `${remount ? "remount," : ""}size=${bytes}`;
  const result = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", options, "tmpfs", dir]);
  if (result.exitCode !== 0) throw new Error(`mount failed: ${result.stderr.toString()}`);
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + WAIT_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await Bun.sleep(POLL_MS);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const healthOf = async (hub: { url: string }) =>
  HubHealth.parse(await (await fetch(`${hub.url}/api/health`)).json());

const note = (id: string, padding = "") => ({ id, type: "custom.disk", data: { padding } });

async function post(hub: { url: string }, body: unknown) {
  const response = await fetch(`${hub.url}/api/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as { code?: string },
  };
}

describe.if(Boolean(process.env.TEST_DATABASE_URL) && canMountTmpfs())(
  "a hub whose spool disk is full",
  () => {
    let test: TestDatabase | null = null;
    let proxy: TcpProxy | null = null;
    let hub: HubProcess | null = null;
    let dataDir: string | null = null;
    afterEach(async () => {
      await proxy?.restore();
      await hub?.stop();
      await proxy?.stop();
      await test?.dispose();
      if (dataDir !== null) {
        Bun.spawnSync(["umount", dataDir]);
        rmSync(dataDir, { recursive: true, force: true });
      }
      test = proxy = hub = dataDir = null;
    });

    it("answers 503 storage_full, says why in health, and takes events again once there is room", async () => {
      const behind = await postgresBehindProxy();
      test = behind.test;
      proxy = behind.proxy;
      const database = behind.test.database;
      dataDir = mkdtempSync(join(tmpdir(), "landale-disk-full-"));
      mountTmpfs(dataDir, TMPFS_BYTES);
      // A hub process, as a streamer runs it: whatever the driver does while Postgres is cut
      // happens in the hub, where an unhandled error would end it and fail this test.
      hub = await spawnHub({ main: MAIN, dataDir, env: { DATABASE_URL: behind.url } });
      const live = hub;

      expect((await post(live, note("before"))).status).toBe(202);
      await behind.proxy.cut();

      // Spooled while there is room; then the disk fills and nothing more is acknowledged.
      const acknowledged = ["before"];
      let full: Awaited<ReturnType<typeof post>> | null = null;
      for (let n = 0; n < MAX_FILL_REQUESTS && full === null; n++) {
        const answer = await post(live, note(`fill-${n}`, PADDING));
        if (answer.status === 202) acknowledged.push(`fill-${n}`);
        else full = answer;
      }
      expect(full).toMatchObject({
        status: 503,
        retryAfter: "1",
        body: { code: "storage_full" },
      });
      expect(acknowledged.length).toBeGreaterThan(1);
      const during = await healthOf(live);
      expect(during.status).toBe("degraded");
      expect(during.events.spool_error).toContain("ENOSPC");

      // Room again (the operator freed space): ingest goes on while Postgres is still away.
      mountTmpfs(dataDir, ROOMY_BYTES, true);
      expect((await post(live, note("after-room"))).status).toBe(202);
      acknowledged.push("after-room");
      expect((await healthOf(live)).events.spool_error).toBeNull();

      await behind.proxy.restore();
      await waitFor("the spool to drain", async () =>
        (await healthOf(live)).events.spooled === 0 ? true : undefined,
      );
      const stored = (await eventsAfter(database, 0, 1_000)).map((event) => event.id);
      expect(stored).toEqual(acknowledged);
      await waitFor("the hub to report ok", async () =>
        (await healthOf(live)).status === "ok" ? true : undefined,
      );
    });
  },
);
