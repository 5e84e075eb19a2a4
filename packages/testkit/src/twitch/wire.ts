/** What every part of the fake Twitch writes the same way: timestamps, ids and error bodies. */

/** RFC3339 with nanoseconds, as Twitch writes its timestamps. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

export function randomId(bytes = 18): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `length` characters drawn from `alphabet` (Twitch's user codes are 8 capital letters). */
export function randomCode(length: number, alphabet = LETTERS): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

/** An opaque token in the shape Twitch's are (30 lowercase letters and digits). */
export function randomToken(length = 30): string {
  return randomCode(length, ALPHANUMERIC);
}

/** Helix's error body: `{error, status, message}`. */
export function helixError(status: number, error: string, message: string): Response {
  return Response.json({ error, status, message }, { status });
}

/** The id service's error body: `{status, message}` (no `error` field). */
export function oauthError(status: number, message: string): Response {
  return Response.json({ status, message }, { status });
}

/** Form fields from the query string and an urlencoded body together, as Twitch accepts both. */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const fields = Object.fromEntries(new URL(request.url).searchParams);
  const body = await request.text().catch(() => "");
  for (const [key, value] of new URLSearchParams(body)) fields[key] = value;
  return fields;
}

/** Pushes onto a log, dropping the oldest entries beyond `limit`; returns how many were dropped. */
export function pushBounded<T>(log: T[], entry: T, limit: number): number {
  log.push(entry);
  const excess = log.length - limit;
  if (excess > 0) log.splice(0, excess);
  return Math.max(0, excess);
}
