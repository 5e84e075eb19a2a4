/** Transcription queries: one row per segment of speech, idempotent by id. */
import { desc, eq, sql } from "drizzle-orm";
import type { Database } from "./connect";
import { type TranscriptionRow, transcriptions } from "./schema";

export type NewTranscription = typeof transcriptions.$inferInsert;

/** Stores one transcription; false when its id was already stored (nothing written). */
export async function insertTranscription(
  database: Database,
  row: NewTranscription,
): Promise<boolean> {
  const conflict = database.timescale
    ? [transcriptions.id, transcriptions.ts]
    : [transcriptions.id];
  const inserted = await database.db
    .insert(transcriptions)
    .values(row)
    .onConflictDoNothing({ target: conflict })
    .returning({ id: transcriptions.id });
  return inserted.length > 0;
}

/** The latest transcriptions, newest first; of one session when given. */
export function latestTranscriptions(
  database: Database,
  limit: number,
  sessionId?: string,
): Promise<TranscriptionRow[]> {
  return database.db
    .select()
    .from(transcriptions)
    .where(sessionId === undefined ? sql`true` : eq(transcriptions.sessionId, sessionId))
    .orderBy(desc(transcriptions.ts))
    .limit(limit);
}
