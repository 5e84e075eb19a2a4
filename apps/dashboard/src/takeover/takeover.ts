/**
 * Takeovers as the streamer starts them: three presets for the moments that need one click,
 * and a form (type, message, duration in seconds) checked with the hub's `TakeoverCommand`
 * schema before it is sent, each problem named by its field.
 */
import { TAKEOVER_TYPES, TakeoverCommand, type TakeoverType } from "@landale/shared";

export const TAKEOVER_LABELS: Record<TakeoverType, string> = {
  "technical-difficulties": "Technical difficulties",
  "please-stand-by": "Please stand by",
  "screen-cover": "Screen cover",
  custom: "Custom message",
};

export const TAKEOVER_PRESETS: readonly { type: TakeoverType; duration: number }[] = [
  { type: "technical-difficulties", duration: 30 },
  { type: "please-stand-by", duration: 15 },
  { type: "screen-cover", duration: 10 },
];

export interface TakeoverForm {
  type: string;
  message: string;
  /** Seconds, as typed; empty covers until cleared. */
  duration: string;
}

export type TakeoverField = keyof TakeoverForm;

export type TakeoverResult =
  | { ok: true; command: TakeoverCommand }
  | { ok: false; issues: { field: TakeoverField | null; message: string }[] };

export const DEFAULT_TAKEOVER: TakeoverForm = {
  type: TAKEOVER_TYPES[0],
  message: "",
  duration: "",
};

/** The command the form stands for, or what is wrong with it. */
export function takeoverCommand(form: TakeoverForm): TakeoverResult {
  const duration = form.duration.trim();
  const message = form.message.trim();
  const raw = {
    type: form.type,
    ...(message === "" ? {} : { message }),
    ...(duration === "" ? {} : { duration: Number(duration) }),
  };
  const parsed = TakeoverCommand.safeParse(raw);
  if (parsed.success) return { ok: true, command: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const key = issue.path[0];
      const field = key === "type" || key === "message" || key === "duration" ? key : null;
      return { field, message: issue.message };
    }),
  };
}
