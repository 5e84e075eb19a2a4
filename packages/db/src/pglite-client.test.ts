import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, pgliteDirectory } from "./connect";
import { insertEventWindow } from "./events";
import { MAX_PENDING_CALLS, PgliteThread } from "./pglite-client";
import { openTestDatabase, sampleEvent, seedPgliteDataDir, type TestDatabase } from "./testing";

/** The error a rejected call ends with, to look at its fields. */
async function failureOf(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const outcome = await call.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(outcome instanceof Error)) throw new Error("the call did not fail");
  return outcome as Error & Record<string, unknown>;
}

describe("PGlite on its own thread", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase("pglite");
    await test.database.rows(sql`CREATE TABLE probe (id text PRIMARY KEY)`);
  });
  afterAll(() => test.dispose());

  const probeIds = async () =>
    (await test.database.rows<{ id: string }>(sql`SELECT id FROM probe ORDER BY id`)).map(
      (row) => row.id,
    );

  it("keeps an error's name, message, SQLSTATE and fields across the thread", async () => {
    const failure = await failureOf(test.database.rows(sql`SELECT 1 / 0`));
    const cause = failure.cause as Error & Record<string, unknown>;
    expect(failure.message).toStartWith("Failed query: SELECT 1 / 0");
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toBe("division by zero");
    expect(cause.code).toBe("22012");
    expect(cause.severity).toBe("ERROR");
    // PGlite names its DatabaseError "error", as the pg protocol parser does.
    expect(cause.name).toBe("error");
  });

  it("names the constraint a refused row broke", async () => {
    await insertEventWindow(test.database, [sampleEvent(1, { id: "first" })]);
    const failure = await failureOf(
      insertEventWindow(test.database, [sampleEvent(1, { id: "second" })]),
    );
    const cause = failure.cause as Error & Record<string, unknown>;
    expect(cause.code).toBe("23505");
    expect(cause.constraint).toBe("events_seq_idx");
    expect(cause.detail).toContain("(seq)=(1)");
  });

  it("rolls a transaction back when its function throws", async () => {
    const refusal = new Error("changed my mind");
    const failure = await failureOf(
      test.database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO probe VALUES ('rolled-back')`);
        throw refusal;
      }),
    );
    expect(failure as Error).toBe(refusal);
    expect(await probeIds()).not.toContain("rolled-back");
  });

  it("rolls back a nested savepoint alone and commits the rest", async () => {
    await test.database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO probe VALUES ('outer')`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO probe VALUES ('inner')`);
          throw new Error("inner only");
        })
        .catch(() => {});
    });
    expect(await probeIds()).toEqual(["outer"]);
  });

  it("keeps this thread's event loop turning while PGlite runs a statement", async () => {
    const order: string[] = [];
    const sleeping = test.database.rows(sql`SELECT pg_sleep(1)`).then(() => order.push("query"));
    setTimeout(() => order.push("timer"), 0);
    await sleeping;
    expect(order).toEqual(["timer", "query"]);
  });
});

describe("the PGlite thread's life", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "landale-pglite-thread-"));
    await seedPgliteDataDir(dataDir);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function openThread(): Promise<PgliteThread> {
    const thread = new PgliteThread();
    await thread.open(pgliteDirectory(dataDir), MIGRATIONS_FOLDER);
    return thread;
  }

  it("rejects waiting and later calls once the thread dies", async () => {
    const thread = await openThread();
    const waiting = thread.query("SELECT pg_sleep(30)");
    await thread.terminate();
    expect(thread.running).toBe(false);
    const failure = await failureOf(waiting);
    expect(failure.code).toBe("08006");
    expect(failure.message).toBe("the PGlite thread exited");
    expect((await failureOf(thread.query("SELECT 1"))).code).toBe("08006");
  });

  it("closes PGlite, ends the thread and refuses calls after close", async () => {
    const thread = await openThread();
    expect((await thread.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await thread.close();
    expect(thread.running).toBe(false);
    expect(thread.pending).toBe(0);
    const failure = await failureOf(thread.query("SELECT 1"));
    expect(failure.code).toBe("08003");
    expect(failure.message).toBe("the database is closed");
  });

  it("copies from a blob in chunks, unless its guard finds a row, and goes on after a refusal", async () => {
    const thread = await openThread();
    await thread.query("CREATE TABLE copied (id text PRIMARY KEY, n int)");
    const encoder = new TextEncoder();
    const chunks = [encoder.encode("a\t1\nb\t"), encoder.encode("2\n")];
    expect(await thread.copy("COPY copied FROM '/dev/blob'", chunks)).toBe(true);
    // Handed to the thread, not copied: nothing of them is left here.
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([0, 0]);
    const guard = { sql: "SELECT 1 FROM copied WHERE id = ANY($1::text[])", params: [["b", "c"]] };
    expect(await thread.copy("COPY copied FROM '/dev/blob'", [Buffer.from("c\t3\n")], guard)).toBe(
      false,
    );
    // A row already there: PGlite's COPY refuses it, and nothing of it is stored.
    const refused = await failureOf(
      thread.copy("COPY copied FROM '/dev/blob'", [Buffer.from("d\t4\na\t5\n")]),
    );
    expect(refused.code).toBe("23505");
    expect((await thread.query("SELECT id, n FROM copied ORDER BY id")).rows).toEqual([
      { id: "a", n: 1 },
      { id: "b", n: 2 },
    ]);
    await thread.close();
  });

  it("copies chunks that are views of one buffer, handing the buffer over once", async () => {
    const thread = await openThread();
    await thread.query("CREATE TABLE shared_copy (id text PRIMARY KEY, n int)");
    const whole = new TextEncoder().encode("e\t6\nf\t7\n");
    const chunks = [whole.subarray(0, 5), whole.subarray(5)];
    expect(await thread.copy("COPY shared_copy FROM '/dev/blob'", chunks)).toBe(true);
    expect(whole.byteLength).toBe(0);
    expect((await thread.query("SELECT id, n FROM shared_copy ORDER BY id")).rows).toEqual([
      { id: "e", n: 6 },
      { id: "f", n: 7 },
    ]);
    await thread.close();
  });

  it("refuses a call past the bound on waiting calls, and counts it", async () => {
    const thread = await openThread();
    const calls = Array.from({ length: MAX_PENDING_CALLS }, () => thread.query("SELECT 1"));
    const refused = await failureOf(thread.query("SELECT 1"));
    expect(refused.code).toBe("53000");
    expect(thread.refused).toBe(1);
    expect((await Promise.all(calls)).length).toBe(MAX_PENDING_CALLS);
    await thread.close();
  });

  it("lets a process that closed its database exit by itself", async () => {
    const connectModule = join(import.meta.dir, "connect.ts");
    const script = [
      `import { sql } from "drizzle-orm";`,
      `import { connect } from ${JSON.stringify(connectModule)};`,
      `const database = await connect({ url: null, dataDir: ${JSON.stringify(dataDir)} });`,
      "await database.rows(sql`SELECT 1`);",
      "await database.close();",
    ].join("\n");
    // The kill only bounds a hang: a thread or timer left running keeps the process alive.
    const child = Bun.spawn(["bun", "-e", script], { cwd: import.meta.dir, timeout: 60_000 });
    expect(await child.exited).toBe(0);
    expect(child.signalCode).toBeNull();
  });
});
