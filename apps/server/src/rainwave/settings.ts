/**
 * The streamer's switch and station, kept across restarts in the `rainwave` row of
 * `integration_settings`. Read once at start (a row the schema refuses, or a database that cannot
 * be read, leaves the integration as configured); written after each change in the background,
 * one write at a time, the newest choice winning, so a slow or absent database never holds up the
 * dashboard's command.
 */
import type { Logger } from "@landale/logger";
import { RainwaveSettings } from "@landale/shared";

export interface RainwaveSettingsStore {
  load(): Promise<unknown | null>;
  save(settings: RainwaveSettings): Promise<void>;
}

export interface KeptSettings {
  /** What was saved before this start, or null for none (or none readable). */
  readonly saved: RainwaveSettings | null;
  /** Writes `settings` once the write in flight (if any) is done; a newer call replaces it. */
  keep(settings: RainwaveSettings): void;
  /** Waits for the writes under way. */
  stop(): Promise<void>;
}

export async function openKeptSettings(
  store: RainwaveSettingsStore,
  logger: Logger,
): Promise<KeptSettings> {
  const saved = await readSaved(store, logger);
  let next: RainwaveSettings | null = null;
  let writing: Promise<void> | null = null;

  const write = async (): Promise<void> => {
    while (next !== null) {
      const settings = next;
      next = null;
      try {
        await store.save(settings);
      } catch (err) {
        logger.warn(
          { err: err instanceof Error ? err.message : err, settings },
          "Rainwave settings not saved; a restart starts with the last ones saved",
        );
      }
    }
  };

  return {
    saved,
    keep(settings) {
      next = settings;
      writing ??= write().finally(() => {
        writing = null;
      });
    },
    async stop() {
      await writing;
    },
  };
}

async function readSaved(
  store: RainwaveSettingsStore,
  logger: Logger,
): Promise<RainwaveSettings | null> {
  let raw: unknown;
  try {
    raw = await store.load();
  } catch (err) {
    logger.warn(
      { err: err instanceof Error ? err.message : err },
      "Rainwave settings not read; starting as configured",
    );
    return null;
  }
  if (raw === null) return null;
  const parsed = RainwaveSettings.safeParse(raw);
  if (!parsed.success) {
    logger.warn(
      { issues: parsed.error.issues.slice(0, 3) },
      "saved Rainwave settings are not valid; starting as configured",
    );
    return null;
  }
  return parsed.data;
}
