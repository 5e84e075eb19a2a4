import { describe, expect, it } from "bun:test";
import { TranscriptionQuery, TranscriptionSearchQuery } from "../api/transcriptions";
import {
  GetRecentTranscriptions,
  GetSessionTranscriptions,
  isLegacyTranscription,
  MAX_TRANSCRIPTION_META_BYTES,
  parseTranscriptionSubmission,
} from "./transcription";

/** What the older system's phononmaser sent, field for field. */
const legacy = (extra: Record<string, unknown> = {}) => ({
  timestamp: "2026-11-21T04:00:00.123456-08:00",
  duration: 1.5,
  text: "  hello chat  ",
  source_id: "phononmaser",
  stream_session_id: "stream_2026_11_21",
  confidence: null,
  metadata: { original_timestamp_us: 1_795_262_400_123_456, source: "whisper_cpp", language: "en" },
  ...extra,
});

const ours = (extra: Record<string, unknown> = {}) => ({
  id: "seg-1",
  session_id: "stream-1",
  ts: "2026-11-21T12:00:00.000Z",
  duration_ms: 1200,
  text: "hello chat",
  ...extra,
});

/** The dotted paths of a refusal's issues. */
function refusedFields(payload: unknown): string[] {
  const result = parseTranscriptionSubmission(payload);
  if (result.success) throw new Error("expected a refusal");
  return result.error.issues.map((issue) => issue.path.join("."));
}

describe("parseTranscriptionSubmission", () => {
  it("takes our shape as it is", () => {
    const result = parseTranscriptionSubmission(ours({ confidence: 0.5, meta: { engine: "x" } }));
    expect(result).toEqual({
      success: true,
      legacy: false,
      data: ours({ confidence: 0.5, meta: { engine: "x" } }),
    });
  });

  it("maps the older shape to ours: UTC ts, milliseconds, session, metadata kept as meta", () => {
    expect(parseTranscriptionSubmission(legacy())).toEqual({
      success: true,
      legacy: true,
      data: {
        session_id: "stream_2026_11_21",
        ts: "2026-11-21T12:00:00.123Z",
        duration_ms: 1500,
        text: "hello chat",
        source_id: "phononmaser",
        meta: {
          original_timestamp_us: 1_795_262_400_123_456,
          source: "whisper_cpp",
          language: "en",
        },
      },
    });
  });

  it("names the day's session after the timestamp's own date when the older shape has none", () => {
    const result = parseTranscriptionSubmission(
      legacy({ stream_session_id: null, timestamp: "2026-11-21T23:30:00-08:00" }),
    );
    // The older worker wrote Los Angeles time and named the day by it, not by UTC's next day.
    expect(result.success && result.data.session_id).toBe("stream_2026_11_21");
    const { stream_session_id: _, ...without } = legacy();
    const absent = parseTranscriptionSubmission(without);
    expect(absent.success && absent.data.session_id).toBe("stream_2026_11_21");
  });

  it("keeps a confidence the older shape gives, and rounds a tiny duration up to 1 ms", () => {
    const result = parseTranscriptionSubmission(legacy({ confidence: 0.75, duration: 0.0001 }));
    expect(result.success && result.data.confidence).toBe(0.75);
    expect(result.success && result.data.duration_ms).toBe(1);
    const bare = parseTranscriptionSubmission({
      timestamp: "2026-11-21T12:00:00Z",
      duration: 2,
      text: "hi",
    });
    expect(bare).toEqual({
      success: true,
      legacy: true,
      data: {
        session_id: "stream_2026_11_21",
        ts: "2026-11-21T12:00:00.000Z",
        duration_ms: 2000,
        text: "hi",
      },
    });
  });

  it("refuses the older shape naming its own fields", () => {
    expect(refusedFields(legacy({ duration: 0 }))).toEqual(["duration"]);
    expect(refusedFields(legacy({ duration: "1.5" }))).toEqual(["duration"]);
    expect(refusedFields(legacy({ timestamp: 1_795_262_400_123_456 }))).toEqual(["timestamp"]);
    expect(refusedFields(legacy({ timestamp: "yesterday" }))).toEqual(["timestamp"]);
    expect(refusedFields(legacy({ confidence: 1.5 }))).toEqual(["confidence"]);
    expect(refusedFields(legacy({ text: "   " }))).toEqual(["text"]);
    expect(refusedFields(legacy({ stream_session_id: "has spaces" }))).toEqual([
      "stream_session_id",
    ]);
    expect(refusedFields(legacy({ metadata: "whisper" }))).toEqual(["metadata"]);
    expect(
      refusedFields(legacy({ metadata: { blob: "x".repeat(MAX_TRANSCRIPTION_META_BYTES) } })),
    ).toEqual(["metadata"]);
    expect(refusedFields(legacy({ session_id: "mixed" }))).toEqual([""]);
  });

  it("refuses our shape naming its fields, and a payload in neither", () => {
    expect(refusedFields(ours({ duration_ms: 0 }))).toEqual(["duration_ms"]);
    expect(refusedFields(ours({ ts: "soon" }))).toEqual(["ts"]);
    expect(refusedFields(ours({ confidence: null }))).toEqual(["confidence"]);
    expect(refusedFields({ text: "hi" }).sort()).toEqual(["duration_ms", "session_id", "ts"]);
    expect(refusedFields("hello")).toEqual([""]);
  });

  it("tells the shapes apart by the keys only the older one has", () => {
    expect(isLegacyTranscription(legacy())).toBe(true);
    expect(isLegacyTranscription({ duration: 1 })).toBe(true);
    expect(isLegacyTranscription(ours())).toBe(false);
    expect(isLegacyTranscription(null)).toBe(false);
  });
});

describe("read commands and queries", () => {
  it("bounds get_recent to a day and defaults it to 5 minutes", () => {
    expect(GetRecentTranscriptions.parse({})).toEqual({ minutes: 5 });
    expect(GetRecentTranscriptions.parse({ minutes: 1440 })).toEqual({ minutes: 1440 });
    expect(GetRecentTranscriptions.safeParse({ minutes: 1441 }).success).toBe(false);
    expect(GetRecentTranscriptions.safeParse({ minutes: 1.5 }).success).toBe(false);
    expect(GetSessionTranscriptions.parse({})).toEqual({ limit: 500 });
    expect(GetSessionTranscriptions.safeParse({ limit: 0 }).success).toBe(false);
  });

  it("reads query strings: limits coerced and bounded, an empty search refused", () => {
    expect(TranscriptionQuery.parse({ limit: "10", session: "s1" })).toEqual({
      limit: 10,
      session: "s1",
    });
    expect(TranscriptionQuery.safeParse({ limit: "501" }).success).toBe(false);
    expect(TranscriptionSearchQuery.parse({ q: " fox " })).toEqual({ q: "fox", limit: 25 });
    expect(TranscriptionSearchQuery.safeParse({ q: "   " }).success).toBe(false);
  });
});
