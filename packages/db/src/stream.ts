/** The stream state engine's persistence: one JSON document per engine, replaced on each change. */
import { eq, sql } from "drizzle-orm";
import type { Database } from "./connect";
import { streamState } from "./schema";

export const MAIN_ENGINE = "main";

export async function loadStreamState(
  database: Database,
  id = MAIN_ENGINE,
): Promise<unknown | null> {
  const [row] = await database.db.select().from(streamState).where(eq(streamState.id, id)).limit(1);
  return row?.state ?? null;
}

export async function saveStreamState(
  database: Database,
  version: number,
  state: unknown,
  id = MAIN_ENGINE,
): Promise<void> {
  const now = new Date();
  await database.db
    .insert(streamState)
    .values({ id, version, state, updatedAt: now })
    .onConflictDoUpdate({
      target: streamState.id,
      set: { version, state: sql`excluded.state`, updatedAt: now },
    });
}
