import { afterEach, describe, expect, it } from "bun:test";
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, eventsAfter } from "@landale/db";
import { openTestDatabase, sampleEvent, type TestDatabase, testEngines } from "@landale/db/testing";
import { createLogger } from "@landale/logger";
import { startTcpProxy, type TcpProxy } from "@landale/testkit";
import { SPOOL_FILE, Spool } from "./spool";
import { DurableStore } from "./store";

const logger = createLogger({ name: "test", level: "silent" });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const event = (seq: number) => sampleEvent(seq, { userId: null, userLogin: null, data: { seq } });

async function open(engine: "pglite" | "postgres"): Promise<TestDatabase> {
  const test = await openTestDatabase(engine);
  cleanups.push(() => test.dispose());
  return test;
}

async function storeOn(test: TestDatabase, database = test.database) {
  const spool = await Spool.open(join(test.dataDir, "spool"));
  const store = new DurableStore({ database, spool, logger, retryMs: 50, writeTimeoutMs: 1000 });
  cleanups.push(() => store.stop());
  return { store, spool };
}

describe.each(testEngines())("DurableStore on %s", (engine) => {
  it("writes windows straight to the database while it answers", async () => {
    const test = await open(engine);
    const { store } = await storeOn(test);
    expect(await store.write([event(1), event(2)])).toEqual([
      { id: "evt-1", seq: 1, inserted: true },
      { id: "evt-2", seq: 2, inserted: true },
    ]);
    expect(store.stats()).toMatchObject({ spooling: false, spooledEvents: 0 });
    expect((await eventsAfter(test.database, 0, 10)).map((row) => row.seq)).toEqual([1, 2]);
  });

  it("refuses a window the database rejects as bad, without spooling it", async () => {
    const test = await open(engine);
    const { store } = await storeOn(test);
    await expect(store.write([{ ...event(1), ts: "never" }])).rejects.toThrow();
    expect(store.stats().spooledEvents).toBe(0);
  });
});

describe.if(testEngines().includes("postgres"))("DurableStore through an outage", () => {
  it("spools while Postgres is away, then drains every window once and in order", async () => {
    const test = await open("postgres");
    const target = new URL(test.url ?? "");
    const proxy: TcpProxy = await startTcpProxy({
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    cleanups.push(() => proxy.stop());
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    const database = await connect({
      url: viaProxy.toString(),
      dataDir: test.dataDir,
      maxConnections: 2,
    });
    cleanups.push(() => database.close());
    const { store } = await storeOn(test, database);

    await store.write([event(1)]);
    await proxy.cut();
    expect(await store.write([event(2), event(3)])).toEqual([
      { id: "evt-2", seq: 2, inserted: true },
      { id: "evt-3", seq: 3, inserted: true },
    ]);
    await store.write([event(4)]);
    // A re-sent id is answered with the seq it already has, and not spooled again.
    expect(
      await store.write([
        { ...event(1), seq: 9 },
        { ...event(3), seq: 10 },
      ]),
    ).toEqual([
      { id: "evt-1", seq: 1, inserted: false },
      { id: "evt-3", seq: 3, inserted: false },
    ]);
    expect(store.stats()).toMatchObject({ spooling: true, spooledEvents: 3 });

    await proxy.restore();
    while (!(await store.drain())) await Bun.sleep(50);
    await store.write([event(5)]);
    expect(store.stats()).toMatchObject({ spooling: false, spooledEvents: 0 });
    const rows = await eventsAfter(test.database, 0, 100);
    expect(rows.map((row) => row.id)).toEqual(["evt-1", "evt-2", "evt-3", "evt-4", "evt-5"]);
  });
});

describe("Spool", () => {
  it("keeps windows across a reopen and drops a line torn by a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "landale-spool-"));
    const spool = await Spool.open(dir);
    await spool.append([event(1), event(2)]);
    await spool.append([event(3)]);
    await spool.close();
    appendFileSync(join(dir, SPOOL_FILE), '[{"id":"evt-4","seq":4');

    const reopened = await Spool.open(dir);
    expect(reopened.depth).toBe(3);
    expect(reopened.maxSeq).toBe(3);
    expect((await reopened.windows()).map((window) => window.map((e) => e.seq))).toEqual([
      [1, 2],
      [3],
    ]);
    expect(readFileSync(join(dir, SPOOL_FILE), "utf8").endsWith("\n")).toBe(true);
    await reopened.clear();
    expect(reopened.depth).toBe(0);
    expect(await reopened.windows()).toEqual([]);
  });

  it("refuses a window past its byte bound", async () => {
    const spool = await Spool.open(mkdtempSync(join(tmpdir(), "landale-spool-")), 300);
    await spool.append([event(1)]);
    await expect(spool.append([event(2), event(3)])).rejects.toThrow("spool is full");
    expect(spool.depth).toBe(1);
    await spool.close();
  });
});
