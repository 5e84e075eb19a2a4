/**
 * What a database error means for a window: the database is away (spool it and retry later), or
 * it refused the rows for their content (refuse or quarantine them), or neither.
 */

const UNAVAILABLE_CODES = new Set([
  "STORE_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * Whether an error means "the database is away" (retry later) rather than "this window is bad".
 * Drivers' errors arrive wrapped (drizzle puts them in `cause`), so the chain is searched.
 */
export function isUnavailable(err: unknown): boolean {
  for (let current = err, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    // SQLSTATE class 08 is connection exceptions; 57P01–57P03 are shutdowns and start-ups.
    if (
      typeof code === "string" &&
      (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code))
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Why the database refused a window for its content, or null if it did not. SQLSTATE classes 22
 * (data exception: bad JSON, an out-of-range date, an untranslatable character), 23 (integrity
 * constraint) and 54 (program limit: a value too big) say something in the rows is wrong; any
 * other failure (a full disk, the server going away) says nothing about them. A unique violation
 * (23505) is not the rows' fault either: ids never conflict (ON CONFLICT), so it is a seq clash,
 * which the batcher escapes only by burning the window's seqs, as a failed window does.
 */
export function refusalOf(err: unknown): string | null {
  if (isUnavailable(err)) return null;
  for (let current = err, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^(22|23|54)[0-9A-Z]{3}$/.test(code) && code !== "23505") {
      return `${code}: ${(current as { message?: unknown }).message ?? "refused"}`;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** An error as one line for the log and for health: its code (or name) and message. */
export function describe(err: unknown): string {
  return err instanceof Error
    ? `${(err as { code?: string }).code ?? err.name}: ${err.message}`
    : String(err);
}
