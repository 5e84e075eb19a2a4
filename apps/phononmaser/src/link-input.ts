/**
 * A worker transcription in the hub's words (`TranscriptionInput`), and the session it belongs to.
 *
 * Sessions are named by the day, `stream_YYYY_MM_DD`, as the older worker named them, so a worker
 * the launcher restarts mid-stream stays in the same session. The day is the worker's local date
 * and turns at 06:00 rather than midnight: a stream running past midnight stays in the day it
 * started. `PHONONMASER_SESSION_ID` names one session for everything instead.
 */
import {
  MAX_TRANSCRIPTION_CHARS,
  MAX_TRANSCRIPTION_META_BYTES,
  TranscriptionInput,
} from "@landale/shared";
import type { Transcription } from "./transcriber";

/** The local hour at which a new day's session starts. */
export const SESSION_DAY_STARTS_AT_HOUR = 6;
const MAX_SOURCE_ID_CHARS = 128;
const HOUR_MS = 60 * 60 * 1000;

/** `stream_YYYY_MM_DD` of the local day (turning at 06:00) that `at` (epoch ms) falls in. */
export function daySessionId(at: number): string {
  const day = new Date(at - SESSION_DAY_STARTS_AT_HOUR * HOUR_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `stream_${day.getFullYear()}_${pad(day.getMonth() + 1)}_${pad(day.getDate())}`;
}

/**
 * The `submit_transcription` payload for one transcription; null (to be counted, never sent) when
 * even trimmed to the hub's bounds it would be refused.
 */
export function toTranscriptionInput(
  transcription: Transcription,
  options: { sessionId: string | null; engine: string },
): TranscriptionInput | null {
  const meta: Record<string, string> = { engine: options.engine };
  // The name is the streamer's label for the source: useful, never worth a refusal.
  if (
    transcription.sourceName !== "" &&
    fitsMeta({ ...meta, source_name: transcription.sourceName })
  )
    meta.source_name = transcription.sourceName;
  const input: TranscriptionInput = {
    id: transcription.id,
    session_id: options.sessionId ?? daySessionId(transcription.startedAt),
    ts: new Date(transcription.startedAt).toISOString(),
    duration_ms: Math.max(1, Math.round(transcription.durationMs)),
    text: transcription.text.trim().slice(0, MAX_TRANSCRIPTION_CHARS).trim(),
    meta,
  };
  const sourceId = transcription.sourceId.slice(0, MAX_SOURCE_ID_CHARS);
  if (sourceId !== "") input.source_id = sourceId;
  if (transcription.confidence !== null && Number.isFinite(transcription.confidence)) {
    input.confidence = Math.min(1, Math.max(0, transcription.confidence));
  }
  const parsed = TranscriptionInput.safeParse(input);
  return parsed.success ? parsed.data : null;
}

function fitsMeta(meta: Record<string, string>): boolean {
  return new TextEncoder().encode(JSON.stringify(meta)).length <= MAX_TRANSCRIPTION_META_BYTES;
}
