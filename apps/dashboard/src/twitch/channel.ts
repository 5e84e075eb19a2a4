/**
 * The Stream info editor's logic: the form a channel's information fills, the update that
 * carries only what changed (checked with the hub's `TwitchChannelUpdate` schema, so the rules
 * are Twitch's as the hub enforces them), adding a tag, box art at a size, and the languages.
 */
import { type TwitchChannelInfo, TwitchChannelUpdate } from "@landale/shared";

/** Twitch's limits, as `TwitchChannelUpdate` enforces them; named here for the counters. */
export const TITLE_MAX = 140;
export const TAGS_MAX = 10;
export const TAG_MAX = 25;

/** Box art as the results list shows it (Twitch's own size for search results). */
export const BOX_ART = { width: 52, height: 72 } as const;

export interface ChannelForm {
  title: string;
  /** "" is no category. */
  gameId: string;
  gameName: string;
  language: string;
  tags: string[];
}

export type ChannelField = "title" | "category" | "language" | "tags";

export function formOfChannel(info: TwitchChannelInfo): ChannelForm {
  return {
    title: info.title,
    gameId: info.game_id,
    gameName: info.game_name,
    language: info.broadcaster_language,
    tags: [...info.tags],
  };
}

export type UpdateResult =
  | { ok: true; update: TwitchChannelUpdate }
  | { ok: true; update: null }
  | { ok: false; issues: { field: ChannelField | null; message: string }[] };

/** The fields that differ from what Twitch has, as the update to send; `null` when none does. */
export function channelUpdate(original: TwitchChannelInfo, form: ChannelForm): UpdateResult {
  const raw: Record<string, unknown> = {};
  // Compared trimmed, as the schema trims: spaces around an unchanged title change nothing.
  if (form.title.trim() !== original.title) raw.title = form.title;
  if (form.gameId !== original.game_id) raw.game_id = form.gameId;
  if (form.language !== original.broadcaster_language) raw.broadcaster_language = form.language;
  if (!sameList(form.tags, original.tags)) raw.tags = form.tags;
  if (Object.keys(raw).length === 0) return { ok: true, update: null };
  const parsed = TwitchChannelUpdate.safeParse(raw);
  if (parsed.success) return { ok: true, update: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      field: fieldOf(issue.path[0]),
      message: issue.message,
    })),
  };
}

function fieldOf(key: PropertyKey | undefined): ChannelField | null {
  if (key === "title") return "title";
  if (key === "game_id") return "category";
  if (key === "broadcaster_language") return "language";
  if (key === "tags") return "tags";
  return null;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

export type TagResult = { ok: true; tags: string[] } | { ok: false; message: string };

/**
 * `tags` with `typed` added. A leading `#` is dropped (people type tags as hashtags); the rest is
 * checked with the update schema's own tag rules, and a tag already there (in any case) refused.
 */
export function addTag(tags: readonly string[], typed: string): TagResult {
  const tag = typed.trim().replace(/^#+/, "");
  if (tag === "") return { ok: false, message: "type a tag first" };
  if (tags.some((existing) => existing.toLowerCase() === tag.toLowerCase())) {
    return { ok: false, message: `“${tag}” is already a tag` };
  }
  const next = [...tags, tag];
  const parsed = TwitchChannelUpdate.safeParse({ tags: next });
  if (parsed.success) return { ok: true, tags: next };
  const issue = parsed.error.issues[0];
  if (issue?.code === "too_big" && issue.path.length === 1) {
    return { ok: false, message: `at most ${TAGS_MAX} tags` };
  }
  if (issue?.code === "too_big")
    return { ok: false, message: `a tag is at most ${TAG_MAX} characters` };
  return { ok: false, message: issue?.message ?? "not a tag Twitch takes" };
}

/** Twitch's box art address with its `{width}x{height}` placeholder filled in. */
export function boxArtUrl(template: string, size: { width: number; height: number } = BOX_ART) {
  return template.replace("{width}", String(size.width)).replace("{height}", String(size.height));
}

/** The languages Twitch lists for a broadcaster, most streamed first; `other` last. */
export const LANGUAGES: readonly { code: string; name: string }[] = [
  { code: "en", name: "English" },
  { code: "es", name: "Spanish" },
  { code: "pt", name: "Portuguese" },
  { code: "de", name: "German" },
  { code: "fr", name: "French" },
  { code: "ru", name: "Russian" },
  { code: "ja", name: "Japanese" },
  { code: "ko", name: "Korean" },
  { code: "zh", name: "Chinese" },
  { code: "it", name: "Italian" },
  { code: "pl", name: "Polish" },
  { code: "tr", name: "Turkish" },
  { code: "ar", name: "Arabic" },
  { code: "nl", name: "Dutch" },
  { code: "sv", name: "Swedish" },
  { code: "no", name: "Norwegian" },
  { code: "da", name: "Danish" },
  { code: "fi", name: "Finnish" },
  { code: "cs", name: "Czech" },
  { code: "hu", name: "Hungarian" },
  { code: "el", name: "Greek" },
  { code: "ro", name: "Romanian" },
  { code: "uk", name: "Ukrainian" },
  { code: "th", name: "Thai" },
  { code: "vi", name: "Vietnamese" },
  { code: "id", name: "Indonesian" },
  { code: "ms", name: "Malay" },
  { code: "tl", name: "Tagalog" },
  { code: "hi", name: "Hindi" },
  { code: "bg", name: "Bulgarian" },
  { code: "sk", name: "Slovak" },
  { code: "ca", name: "Catalan" },
  { code: "other", name: "Other" },
];

/**
 * The options of the language select: the list, with the channel's current language added when
 * the list lacks it, so the select never shows a language the channel does not have.
 */
export function languageOptions(current: string): { code: string; name: string }[] {
  if (current === "" || LANGUAGES.some((language) => language.code === current)) {
    return [...LANGUAGES];
  }
  return [{ code: current, name: current }, ...LANGUAGES];
}
