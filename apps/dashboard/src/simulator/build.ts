/**
 * The event simulator's core: a form as the streamer filled it in → the events it stands for,
 * Twitch-shaped (`twitch-events.ts`), checked with the hub's own catalogue (`parseEventInputs`)
 * before anything is sent. An issue names the form field it came from, so "Bits (data.bits): Too
 * small" points at the input to fix. A burst is N events with numbered users, sent as one array
 * (all or nothing, as the hub takes arrays).
 */
import { type EventInput, MAX_EVENTS_PER_INPUT, parseEventInputs } from "@landale/shared";
import { FIELD_LABELS, numberOf, type SimulatorField, type SimulatorForm } from "./form";
import { type BuildContext, eventFor } from "./twitch-events";

/** A problem with the form: the field it belongs to (null when none does), the event path, why. */
export interface FormIssue {
  field: SimulatorField | null;
  path: string;
  message: string;
}

export type BuildResult = { ok: true; events: EventInput[] } | { ok: false; issues: FormIssue[] };

/** The field an event path comes from: `data.bits` → bits, `[3].data.user_id` → user. */
export function fieldOfPath(path: string): SimulatorField | null {
  const inData = path.replace(/^\[\d+\]\./, "");
  if (!inData.startsWith("data.")) return null;
  const key = inData.slice("data.".length);
  if (/^(user|chatter_user|from_broadcaster_user)_(id|login|name)$/.test(key)) return "user";
  if (key === "tier") return "tier";
  if (key === "total") return "count";
  if (key === "bits") return "bits";
  if (key === "viewers") return "viewers";
  if (key === "message" || key.startsWith("message.") || key === "user_input") return "message";
  if (key.startsWith("reward.title")) return "reward";
  if (key.startsWith("reward.cost")) return "cost";
  return null;
}

/** "Bits (data.bits): Too small: expected number to be >0"; "Burst: must be …". */
export function issueText(issue: FormIssue): string {
  const label = issue.field === null ? null : FIELD_LABELS[issue.field];
  if (label !== null && issue.path !== "") return `${label} (${issue.path}): ${issue.message}`;
  if (label !== null) return `${label}: ${issue.message}`;
  return issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`;
}

function burstOf(form: SimulatorForm): number | FormIssue {
  const burst = numberOf(form.burst) ?? 1;
  if (!Number.isInteger(burst) || burst < 1 || burst > MAX_EVENTS_PER_INPUT) {
    return {
      field: "burst",
      path: "",
      message: `must be a whole number from 1 to ${MAX_EVENTS_PER_INPUT}`,
    };
  }
  return burst;
}

/** Builds the form's events and checks them against the catalogue; nothing invalid comes out. */
export function buildEvents(form: SimulatorForm, context: BuildContext): BuildResult {
  const burst = burstOf(form);
  if (typeof burst !== "number") return { ok: false, issues: [burst] };
  const events: EventInput[] = [];
  for (let index = 0; index < burst; index++) {
    const name = burst === 1 ? form.user.trim() : `${form.user.trim()}${index + 1}`;
    events.push(eventFor(form, name, context));
  }
  const parsed = parseEventInputs(events.length === 1 ? events[0] : events);
  if (parsed.ok) return { ok: true, events };
  // Every event of a burst has the same shape: report each field once, without the index.
  const seen = new Set<string>();
  const issues: FormIssue[] = [];
  for (const issue of parsed.issues) {
    const path = issue.path.replace(/^\[\d+\]\.?/, "");
    const key = `${path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ field: fieldOfPath(path), path, message: issue.message });
  }
  return { ok: false, issues };
}

/** An id for simulated events, from the platform's random source (works outside secure contexts). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `sim-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
