/**
 * The Twitch integration's contract with the dashboard: its status (sign-in, EventSub session,
 * subscriptions), the channel information the Stream info editor reads and writes, category
 * search, and the paste-a-token body. The REST routes under `/api/twitch/*` and the `twitch:*`
 * commands on `dashboard:main` take and answer these same shapes.
 */
import { z } from "zod";

/**
 * Where the sign-in stands.
 * - `not_configured`: no `TWITCH_CLIENT_ID`; nothing to do until it is set.
 * - `signed_out`: configured, no grant stored.
 * - `awaiting_user`: a device code is out; the user enters `device.user_code` at `device.verification_uri`.
 * - `connected`: a grant is stored and Twitch accepted it at the last validation.
 * - `invalid`: the stored grant was revoked or expired and could not be refreshed; `problem` says what to do.
 */
export const TWITCH_AUTH_STATES = [
  "not_configured",
  "signed_out",
  "awaiting_user",
  "connected",
  "invalid",
] as const;
export const TwitchAuthState = z.enum(TWITCH_AUTH_STATES);
export type TwitchAuthState = z.infer<typeof TwitchAuthState>;

/** Where the EventSub WebSocket session stands. */
export const EVENTSUB_STATES = ["stopped", "connecting", "connected", "reconnecting"] as const;
export const EventSubState = z.enum(EVENTSUB_STATES);
export type EventSubState = z.infer<typeof EventSubState>;

/** A problem the streamer has to act on, in words: what happened and what to do. */
export const TwitchProblem = z.object({
  code: z.string(),
  message: z.string(),
  action: z.string(),
});
export type TwitchProblem = z.infer<typeof TwitchProblem>;

export const TwitchUser = z.object({
  id: z.string(),
  login: z.string(),
});
export type TwitchUser = z.infer<typeof TwitchUser>;

/** An outstanding device-code sign-in, as the dashboard shows it. */
export const TwitchDeviceCode = z.object({
  user_code: z.string(),
  verification_uri: z.string(),
  expires_at: z.string(),
});
export type TwitchDeviceCode = z.infer<typeof TwitchDeviceCode>;

/**
 * One subscription the hub wants for its session. `status` is Twitch's (`enabled`,
 * `authorization_revoked`, …), or the hub's own `pending` (not created yet) and `failed` (Twitch
 * refused the create: `error` has its message).
 */
export const TwitchSubscriptionStatus = z.object({
  type: z.string(),
  version: z.string(),
  id: z.string().nullable(),
  status: z.string(),
  error: z.string().nullable(),
});
export type TwitchSubscriptionStatus = z.infer<typeof TwitchSubscriptionStatus>;

export const TwitchStatus = z.object({
  state: TwitchAuthState,
  user: TwitchUser.nullable(),
  /** The scopes the stored grant has, and those the hub asks for that it lacks. */
  scopes: z.array(z.string()),
  missing_scopes: z.array(z.string()),
  /**
   * When the access token expires (it is renewed before), and when Twitch last confirmed the grant:
   * a validation, or a renewal (Twitch renews only a grant it still honours).
   */
  expires_at: z.string().nullable(),
  validated_at: z.string().nullable(),
  device: TwitchDeviceCode.nullable(),
  problem: TwitchProblem.nullable(),
  eventsub: z.object({
    state: EventSubState,
    session_id: z.string().nullable(),
    connected_at: z.string().nullable(),
    keepalive_seconds: z.int().nullable(),
    subscriptions: z.array(TwitchSubscriptionStatus),
    /**
     * Since start-up: notifications stored; those the hub refused for the event itself (the
     * catalogue's 422: not stored, logged with the fields at fault); redeliveries ignored;
     * sessions reconnected.
     */
    notifications: z.int().nonnegative(),
    refused: z.int().nonnegative(),
    duplicates: z.int().nonnegative(),
    reconnects: z.int().nonnegative(),
  }),
});
export type TwitchStatus = z.infer<typeof TwitchStatus>;

/** `POST /api/twitch/token`: a grant minted elsewhere (e.g. `twitch token -u`). */
export const TwitchTokenInput = z.object({
  access_token: z.string().min(1).max(512),
  refresh_token: z.string().min(1).max(512).nullable().optional(),
  expires_in: z.int().positive().nullable().optional(),
  scope: z.union([z.array(z.string()), z.string()]).optional(),
});
export type TwitchTokenInput = z.infer<typeof TwitchTokenInput>;

/** Helix "Get Channel Information", the fields the editor shows (Twitch may send more). */
export const TwitchChannelInfo = z.looseObject({
  broadcaster_id: z.string(),
  broadcaster_login: z.string(),
  broadcaster_name: z.string(),
  broadcaster_language: z.string(),
  game_id: z.string(),
  game_name: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
});
export type TwitchChannelInfo = z.infer<typeof TwitchChannelInfo>;

/** Twitch's rule for a tag: up to 25 letters and digits, no spaces or symbols. */
const Tag = z
  .string()
  .min(1)
  .max(25)
  .regex(/^[\p{L}\p{N}]+$/u, "a tag is letters and digits only (no spaces or symbols)");

/** Helix "Modify Channel Information": what the editor may change; at least one field. */
export const TwitchChannelUpdate = z
  .object({
    title: z.string().trim().min(1, "the title cannot be empty").max(140).optional(),
    game_id: z.string().max(32).optional(),
    broadcaster_language: z
      .string()
      .regex(/^([a-z]{2}|other)$/, "an ISO 639-1 two-letter code, or other")
      .optional(),
    tags: z.array(Tag).max(10, "at most 10 tags").optional(),
  })
  .strict()
  .refine((update) => Object.keys(update).length > 0, "nothing to update");
export type TwitchChannelUpdate = z.infer<typeof TwitchChannelUpdate>;

export const TwitchCategory = z.looseObject({
  id: z.string(),
  name: z.string(),
  box_art_url: z.string(),
});
export type TwitchCategory = z.infer<typeof TwitchCategory>;

/** `twitch:search_categories` and `GET /api/twitch/categories?query=`. */
export const TwitchCategorySearch = z.object({
  query: z.string().trim().min(1, "type part of a category's name").max(100),
});

export const TwitchCategories = z.object({ categories: z.array(TwitchCategory) });
export type TwitchCategories = z.infer<typeof TwitchCategories>;

/** A chat emote by name, for the feed and the ticker's emote stats. */
export const TwitchEmote = z.object({ id: z.string(), name: z.string(), url: z.string() });
export type TwitchEmote = z.infer<typeof TwitchEmote>;

export const TwitchEmotes = z.object({ emotes: z.array(TwitchEmote) });
export type TwitchEmotes = z.infer<typeof TwitchEmotes>;

/** The `twitch:*` commands on `dashboard:main`; each has a REST mirror under `/api/twitch/`. */
export const TWITCH_COMMANDS = [
  "twitch:status",
  "twitch:sign_in",
  "twitch:sign_out",
  "twitch:get_channel_info",
  "twitch:update_channel_info",
  "twitch:search_categories",
] as const;
export type TwitchCommandName = (typeof TWITCH_COMMANDS)[number];
