/**
 * The broadcaster's channel as Helix "Get Channel Information" shows it, and "Modify Channel
 * Information" applied to it with Twitch's rules: a non-empty title, a known game_id ("" or "0"
 * clears it), an ISO 639-1 language or "other", up to 10 tags of up to 25 letters and digits,
 * and `delay` only for partners (the fake's broadcaster is not one).
 */
import { z } from "zod";
import { CATEGORIES } from "./catalog";
import type { FakeTwitchUser } from "./state";

export interface FakeChannel {
  broadcaster_id: string;
  broadcaster_login: string;
  broadcaster_name: string;
  broadcaster_language: string;
  game_id: string;
  game_name: string;
  title: string;
  delay: number;
  tags: string[];
  content_classification_labels: string[];
  is_branded_content: boolean;
}

/** The channel fields a test may preset (the broadcaster fields come from the user). */
export type FakeChannelPreset = Partial<
  Omit<FakeChannel, "broadcaster_id" | "broadcaster_login" | "broadcaster_name">
>;

const TITLE_MAX = 140;
const TAGS_MAX = 10;
const TAG_MAX = 25;
const LABELS = [
  "DebatedSocialIssuesAndPolitics",
  "DrugsIntoxication",
  "SexualThemes",
  "ViolentGraphic",
  "Gambling",
  "ProfanityVulgarity",
] as const;

const Patch = z.object({
  title: z.string().optional(),
  game_id: z.string().optional(),
  broadcaster_language: z.string().optional(),
  tags: z.array(z.string()).optional(),
  delay: z.int().nonnegative().optional(),
  content_classification_labels: z
    .array(z.object({ id: z.string(), is_enabled: z.boolean() }))
    .optional(),
  is_branded_content: z.boolean().optional(),
});
type Patch = z.infer<typeof Patch>;

export function createChannel(user: FakeTwitchUser, preset: FakeChannelPreset = {}) {
  const channel: FakeChannel = {
    broadcaster_id: user.id,
    broadcaster_login: user.login,
    broadcaster_name: user.display_name,
    broadcaster_language: "en",
    game_id: "",
    game_name: "",
    title: "",
    delay: 0,
    tags: [],
    content_classification_labels: [],
    is_branded_content: false,
    ...preset,
  };

  /** Twitch's 400 message for the first rule the change breaks, or null. */
  const refusal = (patch: Patch): string | null => {
    if (Object.values(patch).every((value) => value === undefined)) {
      return "The request must specify at least one field to update.";
    }
    if (patch.title !== undefined && patch.title.trim() === "") {
      return "The title field may not contain an empty string.";
    }
    if (patch.title !== undefined && patch.title.length > TITLE_MAX) {
      return `The title may not be longer than ${TITLE_MAX} characters.`;
    }
    const game = patch.game_id;
    if (
      game !== undefined &&
      game !== "" &&
      game !== "0" &&
      !CATEGORIES.some((c) => c.id === game)
    ) {
      return "The ID in game_id is not valid.";
    }
    const language = patch.broadcaster_language;
    if (language !== undefined && !/^([a-z]{2}|other)$/.test(language)) {
      return 'The broadcaster_language field must be an ISO 639-1 two-letter code or "other".';
    }
    if (patch.tags !== undefined && patch.tags.length > TAGS_MAX) {
      return `A channel may specify a maximum of ${TAGS_MAX} tags.`;
    }
    const badTag = patch.tags?.find(
      (tag) => tag.length === 0 || tag.length > TAG_MAX || !/^[\p{L}\p{N}]+$/u.test(tag),
    );
    if (badTag !== undefined) {
      return `The tag "${badTag}" is not valid: a tag is 1 to ${TAG_MAX} letters and digits, without spaces or special characters.`;
    }
    if (patch.delay !== undefined) {
      return "To update the delay field, the broadcaster must have partner status.";
    }
    const label = patch.content_classification_labels?.find(
      ({ id }) => !(LABELS as readonly string[]).includes(id),
    );
    if (label) return `The content classification label "${label.id}" is not valid.`;
    return null;
  };

  const apply = (patch: Patch) => {
    if (patch.title !== undefined) channel.title = patch.title;
    if (patch.game_id !== undefined) {
      const game = CATEGORIES.find((c) => c.id === patch.game_id);
      channel.game_id = game?.id ?? "";
      channel.game_name = game?.name ?? "";
    }
    if (patch.broadcaster_language !== undefined) {
      channel.broadcaster_language = patch.broadcaster_language;
    }
    if (patch.tags !== undefined) channel.tags = [...patch.tags];
    for (const { id, is_enabled } of patch.content_classification_labels ?? []) {
      const others = channel.content_classification_labels.filter((label) => label !== id);
      channel.content_classification_labels = is_enabled ? [...others, id] : others;
    }
    if (patch.is_branded_content !== undefined) {
      channel.is_branded_content = patch.is_branded_content;
    }
  };

  return {
    /** A copy of the channel as Helix shows it. */
    info: (): FakeChannel => ({
      ...channel,
      tags: [...channel.tags],
      content_classification_labels: [...channel.content_classification_labels],
    }),
    /** Applies a PATCH body; returns Twitch's 400 message when the body is refused. */
    modify(body: unknown): string | null {
      const parsed = Patch.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return `The ${issue?.path.join(".") || "request body"} field is not valid: ${issue?.message ?? "malformed"}.`;
      }
      const refused = refusal(parsed.data);
      if (refused) return refused;
      apply(parsed.data);
      return null;
    },
  };
}

export type ChannelState = ReturnType<typeof createChannel>;
