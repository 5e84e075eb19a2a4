/** Words and numbers as the overlays print them. */

const NUMBER = new Intl.NumberFormat("en-US");

/** 1000 → "1,000". */
export function count(value: number): string {
  return NUMBER.format(value);
}

/** (3, "month") → "3 months"; (1, "month") → "1 month". */
export function plural(value: number, noun: string, nouns = `${noun}s`): string {
  return `${count(value)} ${value === 1 ? noun : nouns}`;
}

/** A non-empty string, else `fallback`: payload fields are read defensively. */
export function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : fallback;
}
