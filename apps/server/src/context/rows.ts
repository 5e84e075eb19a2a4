/**
 * Stream contexts between the wire and the `contexts` table: a submitted context as a row (its
 * times normalised to UTC, sentiment and energy copied out for the charts), a row as the wire
 * carries it, and the opaque keyset cursor of a page (the last row's ended_at and id, in the
 * transcriptions' cursor format).
 */
import type { ContextKey, ContextRow, NewContext } from "@landale/db";
import type { StreamContext } from "@landale/shared";
import { decodeCursor, encodeCursor } from "../transcription/rows";

export function toContextRow(context: StreamContext): NewContext {
  return {
    id: context.id,
    sessionId: context.session_id,
    startedAt: new Date(context.started_at),
    endedAt: new Date(context.ended_at),
    transcript: context.transcript,
    chat: context.chat,
    interactions: context.interactions,
    emotes: context.emotes,
    analysis: context.analysis,
    source: context.source.kind,
    sourceDetail: context.source.detail,
    sentiment: context.analysis.sentiment,
    energy: context.analysis.patterns.energy_level,
  };
}

/** The JSON columns hold what `toContextRow` wrote, parsed at submission: read back as such. */
export function toStreamContext(row: ContextRow): StreamContext {
  return {
    id: row.id,
    session_id: row.sessionId,
    started_at: row.startedAt.toISOString(),
    ended_at: row.endedAt.toISOString(),
    transcript: row.transcript,
    chat: row.chat as StreamContext["chat"],
    interactions: row.interactions,
    emotes: row.emotes as StreamContext["emotes"],
    analysis: row.analysis as StreamContext["analysis"],
    source: { kind: row.source as StreamContext["source"]["kind"], detail: row.sourceDetail },
  };
}

export function encodeContextCursor(key: ContextKey): string {
  return encodeCursor({ ts: key.endedAt, id: key.id });
}

export function decodeContextCursor(cursor: string): ContextKey {
  const { ts, id } = decodeCursor(cursor);
  return { endedAt: ts, id };
}
