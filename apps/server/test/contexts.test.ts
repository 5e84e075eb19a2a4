/**
 * `contexts:live` through a real hub: a submitted context is stored, then pushed once, as stored;
 * a re-sent one is answered without a push; a bad one is refused naming the field; and who may
 * submit, join and read (the worker and control scopes may submit and read; the overlay may only
 * listen) — on the socket and over HTTP.
 */
import { beforeEach, describe, expect, it } from "bun:test";
import { listContexts } from "@landale/db";
import { CONTEXTS_LIVE, PUSH, type StreamContext } from "@landale/shared";
import { sampleAnalysis, sampleContext } from "@landale/shared/fixtures/context";
import type { Hub } from "../src/hub";
import { connect, joinChannel, push, startTestHub, useTestDatabase } from "./support/hub";

const CONTROL = "control-token-0123456789";
const OVERLAY = "overlay-token-0123456789";
const WORKER = "worker-token-0123456789";

const database = useTestDatabase("pglite");

function listen(hub: Hub, token: string | null = null) {
  const socket = connect(hub, token === null ? {} : { params: { token } });
  const channel = socket.channel(CONTEXTS_LIVE.name);
  const heard: StreamContext[] = [];
  channel.on(PUSH.newContext, (context: StreamContext) => {
    heard.push(context);
  });
  return { channel, heard };
}

async function get(hub: Hub, path: string, token: string | null) {
  const headers: Record<string, string> =
    token === null ? {} : { authorization: `Bearer ${token}` };
  const response = await fetch(`${hub.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe(CONTEXTS_LIVE.name, () => {
  beforeEach(() => database.reset());

  it("stores a submitted context, then pushes it once, in UTC as a read gives it back", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const { channel, heard } = listen(hub);
    expect((await joinChannel(channel)).status).toBe("ok");
    const submitted = sampleContext(1, {
      started_at: "2026-11-21T04:00:00.000-08:00",
      ended_at: "2026-11-21T04:02:00.000-08:00",
    });

    expect(await push(channel, "submit_context", submitted)).toEqual({
      status: "ok",
      response: { id: "ctx-1", stored: true },
    });
    expect(await push(channel, "submit_context", submitted)).toEqual({
      status: "ok",
      response: { id: "ctx-1", stored: false },
    });
    await push(channel, "ping", {});
    const expected = {
      ...submitted,
      started_at: "2026-11-21T12:00:00.000Z",
      ended_at: "2026-11-21T12:02:00.000Z",
    };
    expect(heard).toEqual([expected]);
    const rows = await listContexts(database.current, { limit: 10 });
    expect(rows.map((row) => [row.id, row.sentiment, row.energy, row.source])).toEqual([
      ["ctx-1", "positive", 0.62, "model"],
    ]);
    const read = await get(hub, "/api/contexts", null);
    expect(read.body.contexts).toEqual([expected]);
  });

  it("refuses a bad context naming the field, and stores nothing", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const { channel, heard } = listen(hub);
    await joinChannel(channel);
    const refusals: [object, string][] = [
      [
        sampleContext(1, { analysis: sampleAnalysis({ energy: 2 }) }),
        "analysis.patterns.energy_level",
      ],
      [sampleContext(1, { session_id: "" }), "session_id"],
      [sampleContext(1, { ended_at: "yesterday" }), "ended_at"],
      [sampleContext(1, { ended_at: "2026-11-21T11:00:00.000Z" }), "ended_at"],
      [{ ...sampleContext(1), source: { kind: "oracle", detail: "x" } }, "source.kind"],
    ];
    for (const [payload, field] of refusals) {
      const reply = await push(channel, "submit_context", payload);
      const response = reply.response as {
        code: string;
        message: string;
        details: { path: string }[];
      };
      expect({
        field,
        status: reply.status,
        code: response.code,
        at: response.details[0]?.path,
      }).toEqual({
        field,
        status: "error",
        code: "invalid_context",
        at: field,
      });
      expect(response.message).toStartWith(`${field}: `);
    }
    expect(await push(channel, "get_recent", {})).toMatchObject({
      status: "error",
      response: { code: "unhandled_event" },
    });
    await push(channel, "ping", {});
    expect(heard).toEqual([]);
    expect(await listContexts(database.current, { limit: 10 })).toEqual([]);
  });

  it("takes submissions from the worker and control scopes, and lets an overlay only listen", async () => {
    const hub = await startTestHub(
      { token: CONTROL, overlayToken: OVERLAY, workerToken: WORKER },
      { database: database.current },
    );
    const overlay = listen(hub, OVERLAY);
    const worker = listen(hub, WORKER);
    const control = listen(hub, CONTROL);
    for (const scope of [overlay, worker, control]) {
      expect((await joinChannel(scope.channel)).status).toBe("ok");
    }
    expect(await push(overlay.channel, "submit_context", sampleContext(1))).toMatchObject({
      status: "error",
      response: { code: "forbidden" },
    });
    expect(await push(worker.channel, "submit_context", sampleContext(2))).toMatchObject({
      status: "ok",
      response: { stored: true },
    });
    expect(await push(control.channel, "submit_context", sampleContext(3))).toMatchObject({
      status: "ok",
      response: { stored: true },
    });
    await push(overlay.channel, "ping", {});
    expect(overlay.heard.map((context) => context.id)).toEqual(["ctx-2", "ctx-3"]);
  });

  it("lets the worker and control tokens read the API, and keeps the overlay token and no token off it", async () => {
    const hub = await startTestHub(
      { token: CONTROL, overlayToken: OVERLAY, workerToken: WORKER },
      { database: database.current },
    );
    const paths = ["/api/contexts", "/api/contexts/search?q=temple", "/api/contexts/stats?hours=2"];
    const answers: [string, string, number][] = [];
    for (const path of paths) {
      for (const [name, token] of [
        ["worker", WORKER],
        ["control", CONTROL],
        ["overlay", OVERLAY],
        ["none", null],
      ] as const) {
        answers.push([path, name, (await get(hub, path, token)).status]);
      }
    }
    expect(answers).toEqual(
      paths.flatMap((path) => [
        [path, "worker", 200],
        [path, "control", 200],
        [path, "overlay", 403],
        [path, "none", 401],
      ]),
    );
  });
});
