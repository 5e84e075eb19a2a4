/**
 * Bad content and bounds at the HTTP level: one bad event among good ones is answered alone and
 * never fails the others; a spool poisoned by an event the database refuses still drains, the
 * event kept in the quarantine and reported; retention runs at start-up. (The byte budget:
 * `byte-budget.test.ts`.)
 */
import { beforeEach, describe, expect, it, onTestFinished } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventsAfter, insertEventWindow } from "@landale/db";
import { sampleEvent, testEngines } from "@landale/db/testing";
import { EVENTS, type EventBatch, PUSH, QuarantineList } from "@landale/shared";
import type { Hub } from "../src/hub";
import {
  connect,
  healthOf,
  joinChannel,
  postEvents,
  startTestHub,
  testConfig,
  useTestDatabase,
} from "./support/hub";
import { REFUSED_CODE, refuseEventId } from "./support/refusing";

const WAIT_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 60_000;

const note = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `note-${n}`,
  type: "custom.note",
  data: { message: { text: `hello ${n}` } },
  ...extra,
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + WAIT_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await Bun.sleep(25);
  }
  throw new Error(`gave up after ${WAIT_TIMEOUT_MS} ms waiting for ${what}`);
}

/** 20 good requests and one bad one (the 8th), all at once; the answers in sending order. */
async function twentyGoodOneBad(hub: Hub, bad: unknown) {
  const bodies = Array.from({ length: 21 }, (_, i) => (i === 7 ? bad : note(i)));
  return Promise.all(bodies.map((body) => postEvents(hub, body)));
}

describe.each(testEngines())("refusals, quarantine and bounds on %s", (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => database.reset());

  it(
    "answers a lone surrogate with 422 naming its path, and the 20 others with 202",
    async () => {
      const hub = await startTestHub({}, { database: database.current });
      const answers = await twentyGoodOneBad(
        hub,
        note(99, { data: { message: { text: "\ud800" } } }),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 202)).toHaveLength(20);
      expect(answers[7]?.status).toBe(422);
      expect(answers[7]?.body).toMatchObject({
        code: "invalid_event",
        message: expect.stringContaining("data.message.text"),
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "answers an event the database refuses with 422 store_refused, stores the 20 others, and leaves no seq gap",
    async () => {
      onTestFinished(await refuseEventId(database.current, "note-99"));
      const hub = await startTestHub({}, { database: database.current });
      const channel = connect(hub).channel(EVENTS.topic("all").name, {});
      const batches: EventBatch[] = [];
      channel.on(PUSH.eventBatch, (batch: EventBatch) => {
        batches.push(batch);
      });
      await joinChannel(channel);

      const answers = await twentyGoodOneBad(hub, note(99));
      expect(answers[7]).toMatchObject({
        status: 422,
        body: { code: "store_refused", message: expect.stringContaining(REFUSED_CODE) },
      });
      const accepted = answers
        .filter((_, i) => i !== 7)
        .map((answer) => {
          expect(answer.status).toBe(202);
          return (answer.body.accepted as { id: string; seq: number }[])[0]?.id ?? "";
        });

      const rows = await eventsAfter(database.current, 0, 100);
      expect(rows.map((row) => row.id).sort()).toEqual(accepted.sort());
      // The refused event took no seq: what was stored is numbered without a gap.
      const seqs = rows.map((row) => row.seq);
      const first = seqs[0] ?? 0;
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => first + i));

      // A subscriber sees batches that follow each other: each from_seq is the last to_seq + 1.
      await waitFor("the fan-out of the 20 events", async () =>
        batches.flatMap((batch) => batch.events).length >= 20 ? true : undefined,
      );
      const breaks = batches.filter(
        (batch, i) => i > 0 && batch.from_seq !== (batches[i - 1]?.to_seq ?? 0) + 1,
      );
      expect(breaks).toEqual([]);
      expect((await healthOf(hub)).events).toMatchObject({ refused_store: 1, failed_windows: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "drains a spool poisoned by an event the database refuses: quarantines it and reports it",
    async () => {
      // What an outage left behind: acknowledged windows in the spool, one with a bad event.
      const dataDir = testConfig().dataDir;
      mkdirSync(join(dataDir, "spool"), { recursive: true });
      const spooled = (seq: number) =>
        sampleEvent(seq, { userId: null, userLogin: null, data: { seq } });
      const windows = [
        [spooled(1), spooled(2)],
        [spooled(3), spooled(4), spooled(5)],
        [spooled(6)],
      ];
      onTestFinished(await refuseEventId(database.current, "evt-4"));
      writeFileSync(
        join(dataDir, "spool", "events.spool.ndjson"),
        windows.map((window) => `${JSON.stringify(window)}\n`).join(""),
      );

      const hub = await startTestHub({ dataDir }, { database: database.current });
      const drained = await waitFor("the spool to drain", async () => {
        const now = await healthOf(hub);
        return now.events.spooled === 0 ? now : undefined;
      });
      expect(drained.status).toBe("ok");
      expect(drained.events.quarantined).toBe(1);
      const rows = await eventsAfter(database.current, 0, 100);
      expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 5, 6]);

      const list = QuarantineList.parse(
        await (await fetch(`${hub.url}/api/health/quarantine`)).json(),
      );
      expect(list.total).toBe(1);
      expect(list.events.map((entry) => entry.event.id)).toEqual(["evt-4"]);
      expect(list.events[0]?.reason).toContain(REFUSED_CODE);

      // New events are stored straight away, after the drained ones.
      const after = await postEvents(hub, note(7));
      expect(after.status).toBe(202);
      expect((await healthOf(hub)).events.spooled).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "deletes events past retention at start-up, not an hour later",
    async () => {
      const old = sampleEvent(1, { id: "ancient", ts: "2020-01-01T00:00:00.000Z" });
      const recent = sampleEvent(2, { id: "recent", ts: new Date().toISOString() });
      await insertEventWindow(database.current, [old, recent]);
      await startTestHub({ retentionDays: 30 }, { database: database.current });
      await waitFor("retention to delete the old event", async () => {
        const rows = await eventsAfter(database.current, 0, 10);
        return rows.some((row) => row.id === "ancient") ? undefined : rows;
      });
      expect((await eventsAfter(database.current, 0, 10)).map((row) => row.id)).toEqual(["recent"]);
    },
    TEST_TIMEOUT_MS,
  );
});
