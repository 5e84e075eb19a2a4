import { beforeEach, describe, expect, it } from "bun:test";
import { insertTranscription, latestTranscriptions } from "@landale/db";
import {
  PUSH,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_SESSION,
  type Transcription,
} from "@landale/shared";
import { connect, joinChannel, push, startTestHub, useTestDatabase } from "./support/hub";

const segment = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `seg-${n}`,
  session_id: "stream-1",
  ts: "2026-11-21T12:00:00.000Z",
  duration_ms: 1200,
  text: `hello number ${n}`,
  ...extra,
});

/** One database for the whole file (the REST API's tests, on every engine, are in transcription-api.test.ts). */
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
