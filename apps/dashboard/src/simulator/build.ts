/**
 * The event simulator's core: a form as the streamer filled it in → the events it stands for,
 * Twitch-shaped (on the samples of `@landale/shared/fixtures/twitch`), checked with the hub's own
 * catalogue (`parseEventInputs`) before anything is sent. An issue names the form field it came
 * from, so "Bits (data.bits): Too small" points at the input to fix. A burst is N events with
 * numbered users, sent as one array (all or nothing, as the hub takes arrays).
 */
import { type EventInput, MAX_EVENTS_PER_INPUT, parseEventInputs } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";

export const SIMULATOR_KINDS = [
  { id: "follow", label: "Follow", type: "channel.follow" },
  { id: "sub", label: "Subscription", type: "channel.subscribe" },
  { id: "gift", label: "Gifted subs", type: "channel.subscription.gift" },
  { id: "cheer", label: "Cheer (bits)", type: "channel.cheer" },
  { id: "raid", label: "Raid", type: "channel.raid" },
  {
    id: "redemption",
    label: "Channel-point redemption",
    type: "channel.channel_points_custom_reward_redemption.add",
  },
  { id: "chat", label: "Chat message", type: "channel.chat.message" },
  { id: "online", label: "Stream online", type: "stream.online" },
  { id: "offline", label: "Stream offline", type: "stream.offline" },
] as const;
export type SimulatorKind = (typeof SIMULATOR_KINDS)[number]["id"];

/** Form fields, as the inputs give them (text), so a half-typed number is still representable. */
export interface SimulatorForm {
  kind: SimulatorKind;
  user: string;
  tier: string;
  count: string;
  bits: string;
  viewers: string;
  message: string;
  reward: string;
  cost: string;
  emotes: string;
  anonymous: boolean;
  burst: string;
}

export type SimulatorField = Exclude<keyof SimulatorForm, "kind">;

export const FIELD_LABELS: Record<SimulatorField, string> = {
  user: "User name",
  tier: "Tier",
  count: "Number of subs",
  bits: "Bits",
  viewers: "Viewers",
  message: "Message",
  reward: "Reward",
  cost: "Cost",
  emotes: "Emotes",
  anonymous: "Anonymous",
  burst: "Burst",
};

/** Which fields each kind shows (besides the burst count every kind has). */
export const KIND_FIELDS: Record<SimulatorKind, readonly SimulatorField[]> = {
  follow: ["user"],
  sub: ["user", "tier"],
  gift: ["user", "anonymous", "count", "tier"],
  cheer: ["user", "anonymous", "bits", "message"],
  raid: ["user", "viewers"],
  redemption: ["user", "reward", "cost", "message"],
  chat: ["user", "message", "emotes"],
  online: [],
  offline: [],
};

export const DEFAULT_FORM: SimulatorForm = {
  kind: "follow",
  user: "Cool_User",
  tier: "1000",
  count: "5",
  bits: "100",
  viewers: "42",
  message: "",
  reward: "Hydrate!",
  cost: "500",
  emotes: "Kappa PogChamp LUL",
  anonymous: false,
  burst: "1",
};

/** A problem with the form: the field it belongs to (null when none does), the event path, why. */
export interface FormIssue {
  field: SimulatorField | null;
  path: string;
  message: string;
}

export type BuildResult = { ok: true; events: EventInput[] } | { ok: false; issues: FormIssue[] };

export interface BuildContext {
  /** Epoch ms. */
  now: number;
  /** A fresh unique id (chat message ids, stream ids). */
  newId: () => string;
}

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

/** A login Twitch would allow from a display name: lower case, letters, digits and `_`. */
export function loginOf(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "");
}

/** A stable numeric user id for a login, so the same simulated viewer is one user in history. */
export function userIdOf(login: string): string {
  if (login === "") return "";
  let hash = 2166136261;
  for (let i = 0; i < login.length; i++) {
    hash ^= login.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return String(100_000_000 + ((hash >>> 0) % 900_000_000));
}

/** A number from a text input; empty is missing, so the schema says "is required". */
function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === "" ? undefined : Number(trimmed);
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

function viewer(name: string) {
  const login = loginOf(name);
  return { user_id: userIdOf(login), user_login: login, user_name: name };
}

const ANONYMOUS = { user_id: null, user_login: null, user_name: null };

function eventFor(form: SimulatorForm, name: string, { now, newId }: BuildContext): EventInput {
  const ts = new Date(now).toISOString();
  const base = { source: "dashboard" as const, ts };
  switch (form.kind) {
    case "follow":
      return {
        ...base,
        type: "channel.follow",
        data: { ...TWITCH_SAMPLES["channel.follow"], ...viewer(name), followed_at: ts },
      };
    case "sub":
      return {
        ...base,
        type: "channel.subscribe",
        data: {
          ...TWITCH_SAMPLES["channel.subscribe"],
          ...viewer(name),
          tier: form.tier,
          is_gift: false,
        },
      };
    case "gift":
      return {
        ...base,
        type: "channel.subscription.gift",
        data: {
          ...TWITCH_SAMPLES["channel.subscription.gift"],
          ...(form.anonymous ? ANONYMOUS : viewer(name)),
          is_anonymous: form.anonymous,
          total: numberOf(form.count),
          tier: form.tier,
          cumulative_total: null,
        },
      };
    case "cheer":
      return {
        ...base,
        type: "channel.cheer",
        data: {
          ...TWITCH_SAMPLES["channel.cheer"],
          ...(form.anonymous ? ANONYMOUS : viewer(name)),
          is_anonymous: form.anonymous,
          bits: numberOf(form.bits),
          message: form.message,
        },
      };
    case "raid": {
      const raider = viewer(name);
      return {
        ...base,
        type: "channel.raid",
        data: {
          ...TWITCH_SAMPLES["channel.raid"],
          from_broadcaster_user_id: raider.user_id,
          from_broadcaster_user_login: raider.user_login,
          from_broadcaster_user_name: raider.user_name,
          viewers: numberOf(form.viewers),
        },
      };
    }
    case "redemption": {
      const sample = TWITCH_SAMPLES["channel.channel_points_custom_reward_redemption.add"];
      return {
        ...base,
        type: "channel.channel_points_custom_reward_redemption.add",
        data: {
          ...sample,
          ...viewer(name),
          id: newId(),
          user_input: form.message,
          status: "unfulfilled",
          reward: {
            ...sample.reward,
            id: `sim-${loginOf(form.reward) || "reward"}`,
            title: form.reward.trim(),
            cost: numberOf(form.cost),
          },
          redeemed_at: ts,
        },
      };
    }
    case "chat": {
      const chatter = viewer(name);
      return {
        ...base,
        type: "channel.chat.message",
        data: {
          ...TWITCH_SAMPLES["channel.chat.message"],
          chatter_user_id: chatter.user_id,
          chatter_user_login: chatter.user_login,
          chatter_user_name: chatter.user_name,
          message_id: newId(),
          message: { text: form.message, fragments: chatFragments(form.message, form.emotes) },
          badges: [],
          cheer: null,
          color: "",
          reply: null,
        },
      };
    }
    case "online":
      return {
        ...base,
        type: "stream.online",
        data: { ...TWITCH_SAMPLES["stream.online"], id: newId(), type: "live", started_at: ts },
      };
    case "offline":
      return { ...base, type: "stream.offline", data: { ...TWITCH_SAMPLES["stream.offline"] } };
  }
}

/**
 * Twitch's fragments for a typed message: words in `emotes` become emote fragments, `@name`
 * mentions, everything between them text — so overlays and the feed see emotes as Twitch sends
 * them.
 */
export function chatFragments(text: string, emotes: string) {
  const emoteSet = new Set(emotes.split(/[\s,]+/).filter((word) => word !== ""));
  const fragments: {
    type: string;
    text: string;
    cheermote: null;
    emote: { id: string; emote_set_id: string; owner_id: string; format: string[] } | null;
    mention: { user_id: string; user_name: string; user_login: string } | null;
  }[] = [];
  let pending = "";
  const flush = () => {
    if (pending !== "") fragments.push(plain(pending));
    pending = "";
  };
  // Split keeping the whitespace, so the fragments join back into the exact text.
  for (const part of text.split(/(\s+)/)) {
    if (emoteSet.has(part)) {
      flush();
      fragments.push({
        type: "emote",
        text: part,
        cheermote: null,
        emote: { id: `sim-${part}`, emote_set_id: "0", owner_id: "0", format: ["static"] },
        mention: null,
      });
    } else if (/^@\w+$/.test(part)) {
      flush();
      const mentioned = part.slice(1);
      const login = loginOf(mentioned);
      fragments.push({
        type: "mention",
        text: part,
        cheermote: null,
        emote: null,
        mention: { user_id: userIdOf(login), user_name: mentioned, user_login: login },
      });
    } else {
      pending += part;
    }
  }
  flush();
  return fragments;
}

function plain(text: string) {
  return { type: "text", text, cheermote: null, emote: null, mention: null };
}

/** An id for simulated events, from the platform's random source (works outside secure contexts). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `sim-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
