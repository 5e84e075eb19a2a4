/**
 * Stored transcriptions as the wire carries them, and the opaque keyset cursor of a page: the
 * last row's (ts, id), so the next page starts right below it whatever shares its timestamp.
 */
import type { TranscriptionKey, TranscriptionRow } from "@landale/db";
import type { Transcription } from "@landale/shared";
import { AppError } from "../errors";

export function toTranscription(row: TranscriptionRow): Transcription {
  return {
    id: row.id,
    session_id: row.sessionId,
    ts: row.ts.toISOString(),
    duration_ms: row.durationMs,
    text: row.text,
    source_id: row.sourceId,
    confidence: row.confidence,
  };
}

export function encodeCursor(key: TranscriptionKey): string {
  return Buffer.from(`${key.ts.getTime()}.${key.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): TranscriptionKey {
  const text = Buffer.from(cursor, "base64url").toString();
  const [, ms, id] = /^(\d{1,15})\.(.{1,128})$/.exec(text) ?? [];
  if (ms === undefined || id === undefined) {
    throw new AppError(400, "invalid_query", "cursor: must be a next_cursor from an earlier page", [
      { path: "cursor", message: "must be a next_cursor from an earlier page" },
    ]);
  }
  return { ts: new Date(Number(ms)), id };
}
