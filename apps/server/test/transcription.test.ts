import { beforeEach, describe, expect, it } from "bun:test";
import { insertTranscription, latestTranscriptions } from "@landale/db";
import { testEngines } from "@landale/db/testing";
import {
  PUSH,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_SESSION,
  type Transcription,
  type TranscriptionPage,
  type TranscriptionSearchResults,
  type TranscriptionStats,
} from "@landale/shared";
import type { Hub } from "../src/hub";
import { connect, joinChannel, push, startTestHub, useTestDatabase } from "./support/hub";

const segment = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `seg-${n}`,
  session_id: "stream-1",
  ts: "2026-11-21T12:00:00.000Z",
  duration_ms: 1200,
  text: `hello number ${n}`,
  ...extra,
});

/** One database for the socket tests of this file; the API's run on every engine. */
const database = useTestDatabase("pglite");

describe("transcriptions", () => {
  beforeEach(() => database.reset());

  it("stores a submitted transcription, then pushes it to live and session listeners once", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const live = connect(hub).channel(TRANSCRIPTION_LIVE.name);
    const session = connect(hub).channel(TRANSCRIPTION_SESSION.topic("stream-1").name);
    const heard: Transcription[] = [];
    const heardInSession: Transcription[] = [];
    live.on(PUSH.newTranscription, (t: Transcription) => {
      heard.push(t);
    });
    session.on(PUSH.newTranscription, (t: Transcription) => {
      heardInSession.push(t);
    });
    await joinChannel(live);
    await joinChannel(session);

    expect(await push(live, "submit_transcription", segment(1, { confidence: 0.8 }))).toEqual({
      status: "ok",
      response: { id: "seg-1", stored: true },
    });
    expect(await push(live, "submit_transcription", segment(1))).toEqual({
      status: "ok",
      response: { id: "seg-1", stored: false },
    });
    await push(live, "ping", {});
    expect(heard).toEqual([{ ...segment(1), source_id: null, confidence: 0.8 }]);
    expect(heardInSession.map((t) => t.id)).toEqual(["seg-1"]);
    expect((await latestTranscriptions(database.current, 10)).map((row) => row.text)).toEqual([
      "hello number 1",
    ]);
  });

  it("refuses a bad transcription naming the field, and an overlay that tries to submit", async () => {
    const overlayToken = "overlay-token-0123456789";
    const hub = await startTestHub(
      { token: "control-token-0123456789", overlayToken },
      { database: database.current },
    );
    const worker = connect(hub, { params: { token: "control-token-0123456789" } }).channel(
      TRANSCRIPTION_LIVE.name,
    );
    await joinChannel(worker);
    expect(await push(worker, "submit_transcription", segment(2, { text: "" }))).toMatchObject({
      status: "error",
      response: { code: "invalid_transcription", details: [{ path: "text" }] },
    });
    const overlay = connect(hub, { params: { token: overlayToken } }).channel(
      TRANSCRIPTION_LIVE.name,
    );
    await joinChannel(overlay);
    expect(await push(overlay, "submit_transcription", segment(3))).toMatchObject({
      status: "error",
      response: { code: "forbidden" },
    });
  });
});

/** What the older system's phononmaser sent. */
const legacy = (extra: Record<string, unknown> = {}) => ({
  timestamp: "2026-11-21T04:00:00.250000-08:00",
  duration: 2.5,
  text: "hello from the old worker",
  source_id: "phononmaser",
  stream_session_id: "stream_2026_11_21",
  confidence: null,
  metadata: { source: "whisper_cpp", language: "en" },
  ...extra,
});

describe("transcriptions in the older system's shape", () => {
  beforeEach(() => database.reset());

  it("stores and pushes them in ours, with text and confidence for caption plugins", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const live = connect(hub).channel(TRANSCRIPTION_LIVE.name);
    const session = connect(hub).channel(TRANSCRIPTION_SESSION.topic("stream_2026_11_21").name);
    const heard: Transcription[] = [];
    const heardInSession: string[] = [];
    live.on(PUSH.newTranscription, (t: Transcription) => {
      heard.push(t);
    });
    session.on(PUSH.newTranscription, (t: Transcription) => {
      heardInSession.push(t.text);
    });
    await joinChannel(live);
    await joinChannel(session);

    const reply = await push(live, "submit_transcription", legacy());
    expect(reply.status).toBe("ok");
    const { id, transcription_id } = reply.response as { id: string; transcription_id: string };
    expect(transcription_id).toBe(id);
    await push(live, "ping", {});
    expect(heard).toEqual([
      {
        id,
        session_id: "stream_2026_11_21",
        ts: "2026-11-21T12:00:00.250Z",
        duration_ms: 2500,
        text: "hello from the old worker",
        source_id: "phononmaser",
        confidence: null,
      },
    ]);
    expect(heardInSession).toEqual(["hello from the old worker"]);
    const [row] = await latestTranscriptions(database.current, 1);
    expect(row?.meta).toEqual({ source: "whisper_cpp", language: "en" });
  });

  it("refuses one naming the older shape's field", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const live = connect(hub).channel(TRANSCRIPTION_LIVE.name);
    await joinChannel(live);
    expect(await push(live, "submit_transcription", legacy({ duration: -1 }))).toMatchObject({
      status: "error",
      response: { code: "invalid_transcription", details: [{ path: "duration" }] },
    });
    expect(await push(live, "submit_transcription", legacy({ timestamp: 12 }))).toMatchObject({
      status: "error",
      response: { code: "invalid_transcription", details: [{ path: "timestamp" }] },
    });
    expect(await latestTranscriptions(database.current, 10)).toEqual([]);
  });
});

const MINUTE = 60_000;

describe("reading transcriptions back on the channel", () => {
  beforeEach(() => database.reset());

  /** Stores `text` spoken `minutesAgo` minutes ago in `session`. */
  const said = (n: number, minutesAgo: number, session = "s1") =>
    insertTranscription(database.current, {
      id: `r-${n}`,
      sessionId: session,
      ts: new Date(Date.now() - minutesAgo * MINUTE),
      durationMs: 1000,
      text: `line ${n}`,
    });

  it("answers get_recent with the last minutes, newest first, of the session on its topic", async () => {
    await said(1, 90);
    await said(2, 3);
    await said(3, 1, "s2");
    const hub = await startTestHub({}, { database: database.current });
    const live = connect(hub).channel(TRANSCRIPTION_LIVE.name);
    const s1 = connect(hub).channel(TRANSCRIPTION_SESSION.topic("s1").name);
    await joinChannel(live);
    await joinChannel(s1);
    const ids = (reply: { response: unknown }) =>
      (reply.response as { transcriptions: Transcription[] }).transcriptions.map((t) => t.id);

    const fiveMinutes = await push(live, "get_recent", {});
    expect(fiveMinutes.response).toMatchObject({ count: 2, truncated: false });
    expect(ids(fiveMinutes)).toEqual(["r-3", "r-2"]);
    expect(ids(await push(live, "get_recent", { minutes: 120 }))).toEqual(["r-3", "r-2", "r-1"]);
    expect(ids(await push(s1, "get_recent", { minutes: 120 }))).toEqual(["r-2", "r-1"]);
    expect(await push(live, "get_recent", { minutes: 1441 })).toMatchObject({
      status: "error",
      response: { code: "invalid_payload", details: [{ path: "minutes" }] },
    });
  });

  it("answers get_session_transcriptions with the session's latest, in spoken order", async () => {
    for (let n = 1; n <= 5; n++) await said(n, 10 - n);
    await said(6, 0, "other");
    const hub = await startTestHub({}, { database: database.current });
    const s1 = connect(hub).channel(TRANSCRIPTION_SESSION.topic("s1").name);
    const live = connect(hub).channel(TRANSCRIPTION_LIVE.name);
    await joinChannel(s1);
    await joinChannel(live);

    const reply = await push(s1, "get_session_transcriptions", { limit: 3 });
    expect(reply.response).toMatchObject({ session_id: "s1", count: 3, truncated: true });
    const { transcriptions } = reply.response as { transcriptions: Transcription[] };
    expect(transcriptions.map((t) => t.text)).toEqual(["line 3", "line 4", "line 5"]);
    expect((await push(s1, "get_session_transcriptions", {})).response).toMatchObject({
      count: 5,
      truncated: false,
    });
    expect(await push(s1, "get_session_transcriptions", { limit: 0 })).toMatchObject({
      status: "error",
      response: { code: "invalid_payload", details: [{ path: "limit" }] },
    });
    expect(await push(live, "get_session_transcriptions", {})).toMatchObject({
      status: "error",
      response: { code: "unhandled_event" },
    });
    expect(await push(s1, "submit_transcription", segment(9))).toMatchObject({
      status: "error",
      response: { code: "unhandled_event" },
    });
  });

  it("refuses to join a session topic whose id no submission could carry", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const bad = connect(hub).channel(TRANSCRIPTION_SESSION.topic("has spaces").name);
    expect(await joinChannel(bad)).toMatchObject({
      status: "error",
      response: { code: "invalid_topic" },
    });
  });
});

async function getJson<T>(hub: Hub, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${hub.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

describe.each(testEngines())("the transcriptions API on %s", (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => database.reset());
  const EPOCH = Date.parse("2026-11-21T12:00:00Z");

  const store = async (n: number, text: string, session = "s1", at = EPOCH + n * 1000) => {
    await insertTranscription(database.current, {
      id: `a-${n}`,
      sessionId: session,
      ts: new Date(at),
      durationMs: 1000 * n,
      text,
    });
  };

  it("pages newest first by cursor, within a range and a session", async () => {
    for (let n = 1; n <= 5; n++) await store(n, `line ${n}`);
    await store(6, "line 6", "s2");
    const hub = await startTestHub({}, { database: database.current });
    const seen: string[] = [];
    let path = "/api/transcriptions?session=s1&limit=2";
    for (let page = 0; page < 5; page++) {
      const { status, body } = await getJson<TranscriptionPage>(hub, path);
      expect(status).toBe(200);
      seen.push(...body.transcriptions.map((t) => t.id));
      if (body.next_cursor === null) break;
      path = `/api/transcriptions?session=s1&limit=2&cursor=${body.next_cursor}`;
    }
    expect(seen).toEqual(["a-5", "a-4", "a-3", "a-2", "a-1"]);
    const since = new Date(EPOCH + 2000).toISOString();
    const until = new Date(EPOCH + 4000).toISOString();
    const ranged = await getJson<TranscriptionPage>(
      hub,
      `/api/transcriptions?since=${since}&until=${until}`,
    );
    expect(ranged.body).toEqual({
      transcriptions: [
        expect.objectContaining({ id: "a-4", ts: until, duration_ms: 4000, text: "line 4" }),
        expect.objectContaining({ id: "a-3" }),
        expect.objectContaining({ id: "a-2" }),
      ],
      next_cursor: null,
    });
  });

  it("refuses bad queries naming the parameter", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const refusals: [string, string][] = [
      ["/api/transcriptions?limit=0", "limit"],
      ["/api/transcriptions?cursor=bm9wZQ", "cursor"],
      ["/api/transcriptions?since=yesterday", "since"],
      ["/api/transcriptions?since=2026-11-22T00:00:00Z&until=2026-11-21T00:00:00Z", "since"],
      ["/api/transcriptions/search", "q"],
      ["/api/transcriptions/search?q=%20%20", "q"],
      ["/api/transcriptions/stats?since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z", "since"],
    ];
    for (const [path, field] of refusals) {
      const { status, body } = await getJson<{ code: string; details: { path: string }[] }>(
        hub,
        path,
      );
      expect({ path, status, code: body.code, field: body.details[0]?.path }).toEqual({
        path,
        status: 400,
        code: "invalid_query",
        field,
      });
    }
  });

  it("searches full text, best match first, with each hit's session and time", async () => {
    await store(1, "The quick brown foxes jumped over the lazy dog");
    await store(2, "a fox, a fox, a fox in the hole", "s2");
    await store(3, "hello chat and welcome back");
    const hub = await startTestHub({}, { database: database.current });
    const { body } = await getJson<TranscriptionSearchResults>(
      hub,
      "/api/transcriptions/search?q=fox",
    );
    expect(body.query).toBe("fox");
    expect(body.results.map((hit) => [hit.id, hit.session_id, hit.ts])).toEqual([
      ["a-2", "s2", new Date(EPOCH + 2000).toISOString()],
      ["a-1", "s1", new Date(EPOCH + 1000).toISOString()],
    ]);
    expect(body.results[0]?.rank).toBeGreaterThan(body.results[1]?.rank ?? 1);
    const phrase = await getJson<TranscriptionSearchResults>(
      hub,
      `/api/transcriptions/search?q=${encodeURIComponent('"welcome back" -fox')}&session=s1`,
    );
    expect(phrase.body.results.map((hit) => hit.id)).toEqual(["a-3"]);
    const none = await getJson<TranscriptionSearchResults>(hub, "/api/transcriptions/search?q=the");
    expect(none).toEqual({ status: 200, body: { query: "the", results: [] } });
  });

  it("counts speech over a range, by hour, and for one session", async () => {
    const hour = 60 * 60 * 1000;
    await store(1, "one", "s1", EPOCH + 60_000);
    await store(2, "two", "s2", EPOCH + 2 * 60_000);
    await store(3, "three", "s1", EPOCH + hour + 60_000);
    const hub = await startTestHub({}, { database: database.current });
    const since = new Date(EPOCH).toISOString();
    const until = new Date(EPOCH + 2 * hour).toISOString();
    const { body } = await getJson<TranscriptionStats>(
      hub,
      `/api/transcriptions/stats?since=${since}&until=${until}`,
    );
    expect(body).toEqual({
      since,
      until,
      count: 3,
      total_duration_ms: 6000,
      sessions: 2,
      buckets: [
        { bucket: since, count: 2, duration_ms: 3000 },
        { bucket: new Date(EPOCH + hour).toISOString(), count: 1, duration_ms: 3000 },
      ],
    });
    const one = await getJson<TranscriptionStats>(
      hub,
      `/api/transcriptions/stats?since=${since}&until=${until}&session=s2`,
    );
    expect([one.body.count, one.body.total_duration_ms, one.body.sessions]).toEqual([1, 2000, 1]);
  });
});
