import { describe, expect, it } from "bun:test";
import { MAX_TRANSCRIPTION_CHARS, parseTranscriptionSubmission } from "@landale/shared";
import { daySessionId, toTranscriptionInput } from "./link-input";
import type { Transcription } from "./transcriber";

const local = (y: number, m: number, d: number, h: number, min = 0) =>
  new Date(y, m - 1, d, h, min).getTime();

const transcription: Transcription = {
  id: "01a24000-0000-7000-8000-000000000001",
  sourceId: "mic",
  sourceName: "Mic/Aux",
  startedAt: Date.UTC(2026, 11, 4, 20, 15, 30, 250),
  durationMs: 2345.5,
  text: "  the quick brown fox  ",
  confidence: null,
};

describe("the day's session", () => {
  it("is stream_YYYY_MM_DD of the local day, which turns at 06:00", () => {
    expect(daySessionId(local(2026, 12, 4, 20))).toBe("stream_2026_12_04");
    expect(daySessionId(local(2026, 12, 5, 1, 30))).toBe("stream_2026_12_04");
    expect(daySessionId(local(2026, 12, 5, 5, 59))).toBe("stream_2026_12_04");
    expect(daySessionId(local(2026, 12, 5, 6))).toBe("stream_2026_12_05");
    expect(daySessionId(local(2027, 1, 1, 3))).toBe("stream_2026_12_31");
  });
});

describe("a transcription for the hub", () => {
  it("carries the segment's id, start, duration, words, source and engine", () => {
    const input = toTranscriptionInput(transcription, { sessionId: null, engine: "pocketsphinx" });
    expect(input).toEqual({
      id: transcription.id,
      session_id: daySessionId(transcription.startedAt),
      ts: "2026-12-04T20:15:30.250Z",
      duration_ms: 2346,
      text: "the quick brown fox",
      source_id: "mic",
      meta: { engine: "pocketsphinx", source_name: "Mic/Aux" },
    });
    // The hub reads it as our shape, not the older one.
    expect(parseTranscriptionSubmission(input)).toMatchObject({ success: true, legacy: false });
  });

  it("uses the configured session, and keeps a confidence within 0..1", () => {
    const input = toTranscriptionInput(
      { ...transcription, confidence: 1.2 },
      { sessionId: "friday-stream", engine: "openai" },
    );
    expect(input).toMatchObject({ session_id: "friday-stream", confidence: 1 });
  });

  it("cuts what is past the hub's bounds rather than lose the words", () => {
    const input = toTranscriptionInput(
      {
        ...transcription,
        text: "word ".repeat(2000),
        sourceId: "s".repeat(200),
        sourceName: "n".repeat(5000),
      },
      { sessionId: null, engine: "whisper-cpp" },
    );
    expect(input?.text.length).toBeLessThanOrEqual(MAX_TRANSCRIPTION_CHARS);
    expect(input?.text.length).toBeGreaterThan(MAX_TRANSCRIPTION_CHARS - 5);
    expect(input?.source_id?.length).toBe(128);
    expect(input?.meta).toEqual({ engine: "whisper-cpp" });
  });
});
