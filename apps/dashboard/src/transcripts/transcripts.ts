/**
 * The Transcripts view's core: the live list (newest first, unique by id, bounded, however pushes
 * and a read-back interleave), the search box's input checked with the hub's own query schema,
 * and how a transcription is described (its day and time, its session, its duration).
 */
import { SEARCH_MAX_CHARS, type Transcription, TranscriptionSearchQuery } from "@landale/shared";
import { type Merged, mergeById, newestFirstBy } from "../hub/live-list";

/** How many transcriptions the live list keeps; older ones are let go (and counted). */
export const LIVE_MAX = 200;
/** How far back the live list reads when the view opens or the connection comes back. */
export const BACKFILL_MINUTES = 60;

/** By when it was said, newest first; ties by id, as the hub orders them. */
export const newestFirst = newestFirstBy<Transcription>((transcription) => transcription.ts);

/**
 * Merges `incoming` (any order, possibly repeating) into `existing` (newest first, unique by id).
 * Returns `existing` itself when nothing is new, so a repeated read-back changes nothing.
 */
export function mergeLive(
  existing: readonly Transcription[],
  incoming: readonly Transcription[],
  max: number = LIVE_MAX,
): Merged<Transcription> {
  return mergeById(existing, incoming, newestFirst, max);
}

export type SearchInput = { ok: true; q: string } | { ok: false; message: string };

/** The box's text as a query the hub takes, or why it is not one yet. */
export function searchInput(text: string): SearchInput {
  const parsed = TranscriptionSearchQuery.safeParse({ q: text });
  if (parsed.success) return { ok: true, q: parsed.data.q };
  if (text.trim() === "") return { ok: false, message: "type a word or a phrase to search for" };
  return { ok: false, message: `at most ${SEARCH_MAX_CHARS} characters` };
}

/** When it was said: the time today, else the date and time (local). */
export function describeWhen(iso: string, now: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString("en-GB", { hour12: false });
  const today = new Date(now).toDateString() === date.toDateString();
  if (today) return time;
  const day = date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
  return `${day} ${time}`;
}

/** A segment's length: "0.8 s", "12.4 s", "1 min 05 s". */
export function describeDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/** A confidence as a percentage, or nothing when the engine gave none. */
export function describeConfidence(confidence: number | null): string | null {
  return confidence === null ? null : `${Math.round(confidence * 100)} %`;
}
