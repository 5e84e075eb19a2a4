/**
 * The stored Twitch grant: one row per id (`main`), replaced whole. The tokens arrive sealed by the
 * hub; this module stores and returns them as they are, and never sees them in the clear.
 */
import { eq } from "drizzle-orm";
import type { Database } from "./connect";
import { twitchGrants } from "./schema";

export const MAIN_TWITCH_GRANT = "main";

export interface StoredTwitchGrant {
  /** The tokens, sealed (`v1.<iv>.<ciphertext>`). */
  sealed: string;
  userId: string;
  login: string;
  scopes: string[];
  /** When the access token expires; null for one that does not. */
  expiresAt: Date | null;
}

export async function loadTwitchGrant(
  database: Database,
  id = MAIN_TWITCH_GRANT,
): Promise<(StoredTwitchGrant & { updatedAt: Date }) | null> {
  const [row] = await database.db
    .select()
    .from(twitchGrants)
    .where(eq(twitchGrants.id, id))
    .limit(1);
  if (row === undefined) return null;
  return {
    sealed: row.sealed,
    userId: row.userId,
    login: row.login,
    scopes: row.scopes,
    expiresAt: row.expiresAt,
    updatedAt: row.updatedAt,
  };
}

export async function saveTwitchGrant(
  database: Database,
  grant: StoredTwitchGrant,
  id = MAIN_TWITCH_GRANT,
  now = new Date(),
): Promise<void> {
  const values = { ...grant, updatedAt: now };
  await database.db
    .insert(twitchGrants)
    .values({ id, ...values })
    .onConflictDoUpdate({ target: twitchGrants.id, set: values });
}

/** True when there was a grant to delete. */
export async function deleteTwitchGrant(
  database: Database,
  id = MAIN_TWITCH_GRANT,
): Promise<boolean> {
  const deleted = await database.db
    .delete(twitchGrants)
    .where(eq(twitchGrants.id, id))
    .returning({ id: twitchGrants.id });
  return deleted.length > 0;
}
