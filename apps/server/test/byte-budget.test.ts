/**
 * The byte budget on ingest (`LANDALE_MAX_PENDING_BYTES`): an HTTP request whose declared size
 * would pass it is answered 503 before its body is read; a channel push, read already, is refused
 * by its frame's length before it is validated; and the events accepted meanwhile are all stored,
 * none of the refused.
 */
import { beforeEach, describe, expect, it } from "bun:test";
import { eventById, eventsAfter } from "@landale/db";
import { testEngines } from "@landale/db/testing";
import { INGEST } from "@landale/shared";
import type { Hub } from "../src/hub";
import {
  connect,
  healthOf,
  joinChannel,
  postEvents,
  push,
  startTestHub,
  useTestDatabase,
} from "./support/hub";

const TEST_TIMEOUT_MS = 60_000;
const BUDGET = 64 * 1024;

const note = (id: string, text = "hello") => ({
  id,
  type: "custom.note",
  data: { message: { text } },
});

/**
 * Sends the request line, the headers and only `sent` bytes of a body declared `declared` bytes
 * long, then resolves with what the hub answers — never sending the rest.
 */
function postPartly(hub: Hub, declared: number, sent: number): Promise<string> {
  const { hostname, port } = new URL(hub.url);
  const head =
    `POST /api/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`;
  return new Promise((resolve, reject) => {
    let answer = "";
    Bun.connect({
      hostname,
      port: Number(port),
      socket: {
        open(socket) {
          socket.write(`${head}[${" ".repeat(sent - 1)}`);
        },
        data(socket, chunk) {
          answer += chunk.toString();
          // The whole answer is in once its JSON body has closed.
          if (answer.includes("\r\n\r\n") && answer.trimEnd().endsWith("}")) {
            socket.end();
            resolve(answer);
          }
        },
        close() {
          resolve(answer);
        },
        error(_socket, err) {
          reject(err);
        },
      },
    }).catch(reject);
  });
}

describe.each(testEngines())("the ingest byte budget on %s", (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => database.reset());

  it(
    "answers 503 backpressure before reading a body declared past the budget",
    async () => {
      const hub = await startTestHub({ maxPendingBytes: BUDGET }, { database: database.current });
      const answer = await postPartly(hub, BUDGET + 1, 1024);
      expect(answer).toStartWith("HTTP/1.1 503");
      expect(answer.toLowerCase()).toContain("retry-after: 1");
      expect(answer).toContain('"code":"backpressure"');

      expect((await postEvents(hub, note("after"))).status).toBe(202);
      expect((await healthOf(hub)).events).toMatchObject({
        refused_requests: 1,
        refused_backpressure: 0,
        reading_bytes: 0,
        pending_bytes: 0,
        max_pending_bytes: BUDGET,
      });
      expect(await eventById(database.current, "after")).not.toBeNull();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "stores every event it accepted while refusing others for the budget, and none it refused",
    async () => {
      const hub = await startTestHub(
        { maxPendingBytes: BUDGET, batchWindowMs: 200 },
        { database: database.current },
      );
      // 40 requests of about 10 KB at once: the budget holds some of them, not all.
      const bodies = Array.from({ length: 40 }, (_, i) => [note(`load-${i}`, "x".repeat(10_000))]);
      const answers = await Promise.all(bodies.map((body) => postEvents(hub, body)));
      const accepted = answers.flatMap((answer, i) => (answer.status === 202 ? [`load-${i}`] : []));
      const refused = answers.flatMap((answer, i) => (answer.status === 503 ? [`load-${i}`] : []));
      expect(accepted.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      expect(accepted.length + refused.length).toBe(40);
      for (const answer of answers.filter((a) => a.status === 503)) {
        expect(answer.body).toMatchObject({ code: "backpressure" });
      }

      const stored = await eventsAfter(database.current, 0, 100);
      expect(stored.map((row) => row.id).sort()).toEqual(accepted.sort());
      const seqs = answers.flatMap((answer) =>
        answer.status === 202 ? (answer.body.accepted as { seq: number }[]).map((a) => a.seq) : [],
      );
      expect(stored.map((row) => row.seq).sort((a, b) => a - b)).toEqual(
        seqs.sort((a, b) => a - b),
      );
      expect((await healthOf(hub)).events.refused_requests).toBe(refused.length);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "refuses a channel push past the byte budget with backpressure before validating it, and counts it",
    async () => {
      const hub = await startTestHub({ maxPendingBytes: 4096 }, { database: database.current });
      const ingest = connect(hub).channel(INGEST.name);
      await joinChannel(ingest);
      const big = await push(ingest, "ingest", note("big", "x".repeat(8192)));
      expect(big).toMatchObject({ status: "error", response: { code: "backpressure" } });
      expect((await push(ingest, "ingest", note("small"))).status).toBe("ok");
      expect((await healthOf(hub)).events).toMatchObject({
        refused_requests: 1,
        refused_backpressure: 0,
        reading_bytes: 0,
        max_pending_bytes: 4096,
      });
      expect(await eventById(database.current, "big")).toBeNull();
    },
    TEST_TIMEOUT_MS,
  );
});
