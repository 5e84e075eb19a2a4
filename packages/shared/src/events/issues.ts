/**
 * What is wrong with an input, as `EventIssue`s named by path (`[3].data.bits`): zod's issues
 * said plainly, and a sink that keeps the first `MAX_ISSUES` of them.
 */
import type { z } from "zod";

/** One thing wrong with the input: `path` is like `data.user_id` or `[3].data.bits`, "" for the whole. */
export type EventIssue = { path: string; message: string };

/**
 * Most issues one answer carries. A batch of a thousand broken events would otherwise answer with
 * tens of thousands; the first ones say what is wrong, and a last issue says how many were left out.
 */
export const MAX_ISSUES = 100;

export function addZodIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
  root: unknown,
  sink: IssueSink,
): void {
  for (const issue of issues) {
    const path = join(prefix, ...issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) sink.add(join(path, key), "is not a known field");
    } else if (issue.code !== "custom" && valueAt(root, issue.path) === undefined) {
      // JSON has no undefined: the field is missing, and "required" says so plainly
      sink.add(path, requiredMessage(issue));
    } else {
      sink.add(path, issue.message);
    }
  }
}

function requiredMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") {
    return `is required (one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")})`;
  }
  // zod says "nonoptional" for a required `unknown`, which tells the reader nothing
  if (issue.code === "invalid_type" && issue.expected !== "nonoptional") {
    return `is required (expected ${issue.expected})`;
  }
  return "is required";
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `data` + `user_id` → `data.user_id`; `data` + 0 → `data[0]`; "" + `type` → `type`. */
export function join(prefix: string, ...segments: readonly PropertyKey[]): string {
  let path = prefix;
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += path === "" ? String(segment) : `.${String(segment)}`;
  }
  return path;
}

export function failure(path: string, message: string): { ok: false; issues: EventIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

/** Collects issues up to MAX_ISSUES and counts the rest. */
export class IssueSink {
  private readonly issues: EventIssue[] = [];
  private dropped = 0;

  add(path: string, message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, message });
    else this.dropped++;
  }

  isEmpty(): boolean {
    return this.issues.length === 0;
  }

  failure(): { ok: false; issues: EventIssue[] } {
    if (this.dropped === 0) return { ok: false, issues: this.issues };
    return {
      ok: false,
      issues: [...this.issues, { path: "", message: `and ${this.dropped} more issues` }],
    };
  }
}
