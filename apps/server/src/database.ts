/**
 * The hub's database connection at start-up: retry while the database is away (doubling the wait
 * up to 10 s), and stop with `DatabaseConfigError` when it refuses for a reason no retry fixes.
 */
import { classifyConnectError, connect, type Database } from "@landale/db";
import type { Logger } from "@landale/logger";

const CONNECT_RETRY_MS = { first: 500, max: 10_000 } as const;

/**
 * The database refused the hub for a reason no retry fixes (it does not exist, the role may not
 * log in or create the schema, the host does not resolve): start-up stops and says why.
 */
export class DatabaseConfigError extends Error {
  override name = "DatabaseConfigError";
}

/** Connects and migrates, retrying until the database answers or `cancelled()` says stop. */
export async function connectWithRetry(
  config: { databaseUrl: string | null; dataDir: string },
  logger: Logger,
  cancelled: () => boolean,
): Promise<Database> {
  for (let attempt = 1, wait: number = CONNECT_RETRY_MS.first; ; attempt++) {
    try {
      return await connect({ url: config.databaseUrl, dataDir: config.dataDir });
    } catch (err) {
      if (cancelled() || config.databaseUrl === null) throw err;
      const failure = classifyConnectError(err);
      if (failure.permanent) {
        throw new DatabaseConfigError(
          `the database refused the hub: ${failure.cause}. Check DATABASE_URL.`,
        );
      }
      logger.warn({ cause: failure.cause, attempt, retry_ms: wait }, "database not reachable yet");
      await Bun.sleep(wait);
      wait = Math.min(wait * 2, CONNECT_RETRY_MS.max);
    }
  }
}
