import { beforeEach, describe, expect, it } from "bun:test";
import { latestTranscriptions } from "@landale/db";
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

describe("transcriptions", () => {
  const database = useTestDatabase("pglite");
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
