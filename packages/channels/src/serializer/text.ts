/** Shared helpers for the JSON serializers: bounded peeking into frames that were refused. */

const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const NULL_OR_STRING = `(null|${JSON_STRING})`;
/** How much of a frame's head and tail `peek` looks at; enough for the envelope fields. */
export const PEEK_BYTES = 512;

export function parseJsonString(literal: string | undefined): string | null {
  if (literal === undefined || literal === "null") return null;
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

export const V2_HEAD = new RegExp(
  String.raw`^\s*\[\s*${NULL_OR_STRING}\s*,\s*${NULL_OR_STRING}\s*,\s*(${JSON_STRING})`,
);

export function fieldPattern(name: string): RegExp {
  return new RegExp(String.raw`"${name}"\s*:\s*${NULL_OR_STRING}`);
}

export function headAndTail(text: string): string {
  return text.length <= PEEK_BYTES * 2
    ? text
    : `${text.slice(0, PEEK_BYTES)}\n${text.slice(-PEEK_BYTES)}`;
}

export function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === "string";
}
