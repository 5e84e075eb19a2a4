/**
 * Integration settings the streamer changes in the dashboard (`integration_settings`): one JSON
 * document per integration, replaced whole on each change. The integration parses what it reads.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "./connect";
import { integrationSettings } from "./schema";

/** The integration's saved settings, or null if none were saved. */
export async function loadIntegrationSettings(
  database: Database,
  integration: string,
): Promise<unknown | null> {
  const [row] = await database.db
    .select()
    .from(integrationSettings)
    .where(eq(integrationSettings.integration, integration))
    .limit(1);
  return row?.settings ?? null;
}

export async function saveIntegrationSettings(
  database: Database,
  integration: string,
  settings: unknown,
): Promise<void> {
  const now = new Date();
  await database.db
    .insert(integrationSettings)
    .values({ integration, settings, updatedAt: now })
    .onConflictDoUpdate({
      target: integrationSettings.integration,
      set: { settings: sql`excluded.settings`, updatedAt: now },
    });
}
