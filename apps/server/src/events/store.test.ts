import { afterEach, describe, expect, it } from "bun:test";
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, eventsAfter } from "@landale/db";
import { openTestDatabase, sampleEvent, type TestDatabase, testEngines } from "@landale/db/testing";
import { createLogger } from "@landale/logger";
import { startTcpProxy, type TcpProxy } from "@landale/testkit";
import { ManualScheduler } from "../../test/support/scheduler";
import type { Scheduler } from "../scheduler";
import { refusalOf } from "./db-failures";
import { QUARANTINE_FILE, Quarantine } from "./quarantine";
import { StoreRefusedError, SupersededError } from "./refusals";
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

/** A window the database refuses for its content: year 0 is out of timestamptz's range. */
const poisoned = (seq: number) => ({ ...event(seq), ts: "0000-01-01T00:00:00Z" });

async function storeOn(
  test: TestDatabase,
  database = test.database,
  options: { writeTimeoutMs?: number; probeTimeoutMs?: number; scheduler?: Scheduler } = {},
) {
  const spool = await Spool.open(join(test.dataDir, "spool"));
  const quarantine = await Quarantine.open(join(test.dataDir, "quarantine"));
  const store = new DurableStore({
    database,
    spool,
    quarantine,
    logger,
    retryMs: 50,
    // Far above any write here: only the tests that mean to time out (on a clock they move) do.
    writeTimeoutMs: 30_000,
    ...options,
  });
  cleanups.push(() => store.stop());
  return { store, spool, quarantine };
}

function quarantineLines(test: TestDatabase): { reason: string; event: { id: string } }[] {
  return readFileSync(join(test.dataDir, "quarantine", QUARANTINE_FILE), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
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
    // No write timeout on a clock nobody moves: on a loaded machine PGlite's refusal has come
    // 20–30 s late (docs/DATABASE.md), and a write timing out would be spooled, not refused.
    const { store } = await storeOn(test, test.database, { scheduler: new ManualScheduler() });
    const refused = store.write([event(1), poisoned(2)]);
    await expect(refused).rejects.toBeInstanceOf(StoreRefusedError);
    await expect(refused).rejects.toThrow("22008");
    expect(store.stats().spooledEvents).toBe(0);
    expect(await eventsAfter(test.database, 0, 10)).toEqual([]);
  });

  it("commits a window only after the one before it, and stores nothing of one told not to follow", async () => {
    const test = await open(engine);
    const { store } = await storeOn(test);
    let settleFirst = (_follows: boolean) => {};
    const first = new Promise<boolean>((resolve) => {
      settleFirst = resolve;
    });
    const behind = store.write([event(2)], first);
    // Whatever the engine, nothing of the second window is visible while the first is unsettled.
    await Bun.sleep(0);
    expect(await eventsAfter(test.database, 0, 10)).toEqual([]);
    settleFirst(false);
    await expect(behind).rejects.toBeInstanceOf(SupersededError);
    expect(await eventsAfter(test.database, 0, 10)).toEqual([]);

    const next = store.write([event(3)], Promise.resolve(true));
    expect((await next).map((stored) => stored.seq)).toEqual([3]);
    expect((await eventsAfter(test.database, 0, 10)).map((row) => row.seq)).toEqual([3]);
  });

  it("drains a spool holding a poisoned window: quarantines the bad event, stores the rest in order", async () => {
    const test = await open(engine);
    // A spool left by an outage: the database was away when these were acknowledged.
    const spooled = await Spool.open(join(test.dataDir, "spool"));
    await spooled.append([event(1), event(2)]);
    await spooled.append([event(3), event(4), poisoned(5), event(6), event(7)]);
    await spooled.append([event(8)]);
    await spooled.close();

    const { store } = await storeOn(test);
    while (!(await store.drain())) await Bun.sleep(50);
    expect(store.stats()).toMatchObject({ spooling: false, spooledEvents: 0, quarantined: 1 });
    const rows = await eventsAfter(test.database, 0, 100);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 6, 7, 8]);
    const [entry, ...others] = quarantineLines(test);
    expect(others).toEqual([]);
    expect(entry?.event.id).toBe("evt-5");
    expect(entry?.reason).toContain("22008");
    // Later windows go straight to the database again.
    await store.write([event(9)]);
    expect(store.stats().spooling).toBe(false);

    // The quarantine is kept and counted across a restart.
    const reopened = await Quarantine.open(join(test.dataDir, "quarantine"));
    expect(reopened.count).toBe(1);
    expect(reopened.recent().map((quarantined) => quarantined.event.id)).toEqual(["evt-5"]);
    await reopened.close();
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
    // Retries wait on a clock the test never moves: the test drains when it chooses.
    const { store } = await storeOn(test, database, { scheduler: new ManualScheduler() });

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

describe.if(testEngines().includes("postgres"))("DurableStore while Postgres hangs", () => {
  it("spools new windows at once while a drain attempt waits on the database", async () => {
    const test = await open("postgres");
    const target = new URL(test.url ?? "");
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.stop());
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    const database = await connect({
      url: viaProxy.toString(),
      dataDir: test.dataDir,
      maxConnections: 2,
    });
    cleanups.push(() => database.close());
    // The store's timeouts run on a clock the test moves; a drain attempt that finds the database
    // hanging waits a long time for it to answer.
    const clock = new ManualScheduler();
    const { store } = await storeOn(test, database, {
      writeTimeoutMs: 500,
      probeTimeoutMs: 60_000,
      scheduler: clock,
    });

    await store.write([event(1)]);
    await proxy.hang();
    const spooled = store.write([event(2)]);
    // The write to the hanging database times out: the window goes to the spool.
    await clock.advance(500);
    await spooled;
    expect(store.stats()).toMatchObject({ spooling: true, spooledEvents: 1 });

    let drainSettled = false;
    const draining = store.drain().finally(() => {
      drainSettled = true;
    });
    expect(await store.write([event(3), event(4)])).toEqual([
      { id: "evt-3", seq: 3, inserted: true },
      { id: "evt-4", seq: 4, inserted: true },
    ]);
    // The append was answered while the drain attempt was still waiting on the database.
    expect(drainSettled).toBe(false);
    expect(store.stats().spooledEvents).toBe(3);

    await proxy.restore();
    await draining;
    while (!(await store.drain())) await Bun.sleep(50);
    expect(store.stats()).toMatchObject({ spooling: false, spooledEvents: 0 });
    const rows = await eventsAfter(test.database, 0, 100);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4]);
  });
});

async function seqsOf(spool: Spool): Promise<number[][]> {
  const seqs: number[][] = [];
  for await (const window of spool.undrained()) seqs.push(window.events.map((e) => e.seq));
  return seqs;
}

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
    expect(await seqsOf(reopened)).toEqual([[1, 2], [3]]);
    expect(readFileSync(join(dir, SPOOL_FILE), "utf8").endsWith("\n")).toBe(true);
    for await (const window of reopened.undrained()) reopened.drained(window);
    expect(await reopened.clearIfDrained()).toBe(true);
    expect(reopened.depth).toBe(0);
    expect(await seqsOf(reopened)).toEqual([]);
  });

  it("resumes a drain where it stopped, and is not emptied while a window is undrained", async () => {
    const spool = await Spool.open(mkdtempSync(join(tmpdir(), "landale-spool-")));
    await spool.append([event(1)]);
    await spool.append([event(2), event(3)]);
    for await (const window of spool.undrained()) {
      spool.drained(window);
      break;
    }
    expect(spool.depth).toBe(2);
    expect(await spool.clearIfDrained()).toBe(false);
    await spool.append([event(4)]);
    expect(await seqsOf(spool)).toEqual([[2, 3], [4]]);
    await spool.close();
  });

  it("reads a window bigger than its read chunk", async () => {
    const spool = await Spool.open(mkdtempSync(join(tmpdir(), "landale-spool-")));
    const big = { ...event(1), data: { text: "x".repeat(3 * 1024 * 1024) } };
    await spool.append([event(0)]);
    await spool.append([big]);
    await spool.append([event(2)]);
    expect(await seqsOf(spool)).toEqual([[0], [1], [2]]);
    await spool.close();
  });

  it("refuses a window past its byte bound", async () => {
    const spool = await Spool.open(mkdtempSync(join(tmpdir(), "landale-spool-")), 300);
    await spool.append([event(1)]);
    await expect(spool.append([event(2), event(3)])).rejects.toThrow("spool is full");
    expect(spool.depth).toBe(1);
    await spool.close();
  });
});

describe("refusalOf", () => {
  it("names a refusal for the rows' content, through the driver's wrapping", () => {
    const driver = Object.assign(new Error("date/time field value out of range"), {
      code: "22008",
    });
    const wrapped = new Error("Failed query: …", { cause: driver });
    expect(refusalOf(wrapped)).toBe("22008: date/time field value out of range");
    expect(refusalOf({ code: "22P02", message: "invalid input syntax for type json" })).toContain(
      "22P02",
    );
  });

  it("is null for an outage, a full disk, or a seq clash", () => {
    expect(refusalOf({ code: "ECONNREFUSED" })).toBeNull();
    expect(refusalOf({ code: "53100", message: "could not extend file" })).toBeNull();
    expect(
      refusalOf({ code: "23505", message: "duplicate key value violates events_seq" }),
    ).toBeNull();
    expect(refusalOf(new Error("no code"))).toBeNull();
  });
});
