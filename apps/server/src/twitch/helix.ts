/**
 * The Helix (Twitch API) calls the hub makes, on the request core in `./helix-request` (tokens,
 * rate limits, errors). Answers are parsed with the shared schemas where the dashboard sees them
 * (channel info, categories, emotes) and with Helix's documented shapes otherwise.
 */
import {
  TwitchCategory,
  TwitchChannelInfo,
  type TwitchChannelUpdate,
  type TwitchEmote,
} from "@landale/shared";
import { z } from "zod";
import { createHelixRequest, type HelixCall, HelixError, type HelixOptions } from "./helix-request";

export { type HelixAuth, HelixError, type HelixOptions } from "./helix-request";

/** Pages of subscriptions read at most (100 each). */
export const MAX_SUBSCRIPTION_PAGES = 20;

export const HelixUser = z.looseObject({
  id: z.string(),
  login: z.string(),
  display_name: z.string(),
});
export type HelixUser = z.infer<typeof HelixUser>;

/** Get Creator Goals. */
export const HelixGoal = z.looseObject({
  id: z.string(),
  broadcaster_id: z.string(),
  type: z.string(),
  description: z.string(),
  current_amount: z.number(),
  target_amount: z.number(),
  created_at: z.string(),
});
export type HelixGoal = z.infer<typeof HelixGoal>;

const HelixEmote = z.looseObject({
  id: z.string(),
  name: z.string(),
  images: z.looseObject({ url_1x: z.string().optional() }).optional(),
  format: z.array(z.string()).default([]),
  theme_mode: z.array(z.string()).default([]),
});
const Emotes = z.object({ data: z.array(HelixEmote), template: z.string().optional() });

export const HelixSubscription = z.looseObject({
  id: z.string(),
  status: z.string(),
  type: z.string(),
  version: z.string(),
  condition: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});
export type HelixSubscription = z.infer<typeof HelixSubscription>;

/** Create EventSub Subscription's body for the WebSocket transport. */
export interface CreateSubscriptionBody {
  type: string;
  version: string;
  condition: Record<string, string>;
  transport: { method: "websocket"; session_id: string };
}

const Pagination = z.object({ cursor: z.string().optional() }).optional();
const dataOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), pagination: Pagination });

export interface Helix {
  /** The token's own user. */
  getUsers(): Promise<HelixUser[]>;
  getChannel(broadcasterId: string): Promise<TwitchChannelInfo>;
  updateChannel(broadcasterId: string, update: TwitchChannelUpdate): Promise<void>;
  searchCategories(query: string): Promise<TwitchCategory[]>;
  getGoals(broadcasterId: string): Promise<HelixGoal[]>;
  getChannelEmotes(broadcasterId: string): Promise<TwitchEmote[]>;
  getGlobalEmotes(): Promise<TwitchEmote[]>;
  createSubscription(body: CreateSubscriptionBody): Promise<HelixSubscription>;
  deleteSubscription(id: string): Promise<void>;
  listSubscriptions(): Promise<HelixSubscription[]>;
}

/** The emote's 1x image, or Twitch's template filled in (static, dark when offered, 1.0). */
function emoteOf(emote: z.infer<typeof HelixEmote>, template: string | undefined): TwitchEmote {
  const fromTemplate = () =>
    (template ?? "")
      .replace("{{id}}", emote.id)
      .replace("{{format}}", emote.format.includes("static") ? "static" : (emote.format[0] ?? ""))
      .replace(
        "{{theme_mode}}",
        emote.theme_mode.includes("dark") ? "dark" : (emote.theme_mode[0] ?? ""),
      )
      .replace("{{scale}}", "1.0");
  const url = emote.images?.url_1x || fromTemplate();
  return { id: emote.id, name: emote.name, url };
}

export function createHelix(options: HelixOptions): Helix {
  const { json, empty } = createHelixRequest(options);
  return {
    async getUsers() {
      return (await json({ method: "GET", path: "/users" }, dataOf(HelixUser))).data;
    },
    async getChannel(broadcasterId) {
      const query = { broadcaster_id: broadcasterId };
      const { data } = await json(
        { method: "GET", path: "/channels", query },
        dataOf(TwitchChannelInfo),
      );
      const [channel] = data;
      if (!channel)
        throw new HelixError(404, "Not Found", `Twitch has no channel ${broadcasterId}`);
      return channel;
    },
    updateChannel(broadcasterId, update) {
      return empty({
        method: "PATCH",
        path: "/channels",
        query: { broadcaster_id: broadcasterId },
        body: update,
      });
    },
    async searchCategories(query) {
      const call: HelixCall = {
        method: "GET",
        path: "/search/categories",
        query: { query, first: "20" },
      };
      return (await json(call, dataOf(TwitchCategory))).data;
    },
    async getGoals(broadcasterId) {
      const query = { broadcaster_id: broadcasterId };
      return (await json({ method: "GET", path: "/goals", query }, dataOf(HelixGoal))).data;
    },
    async getChannelEmotes(broadcasterId) {
      const query = { broadcaster_id: broadcasterId };
      const { data, template } = await json({ method: "GET", path: "/chat/emotes", query }, Emotes);
      return data.map((emote) => emoteOf(emote, template));
    },
    async getGlobalEmotes() {
      const { data, template } = await json({ method: "GET", path: "/chat/emotes/global" }, Emotes);
      return data.map((emote) => emoteOf(emote, template));
    },
    async createSubscription(body) {
      const call: HelixCall = { method: "POST", path: "/eventsub/subscriptions", body };
      const { data } = await json(call, dataOf(HelixSubscription));
      const [created] = data;
      if (!created) throw new HelixError(502, "Bad Gateway", "Twitch created no subscription");
      return created;
    },
    deleteSubscription(id) {
      return empty({ method: "DELETE", path: "/eventsub/subscriptions", query: { id } });
    },
    async listSubscriptions() {
      const all: HelixSubscription[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_SUBSCRIPTION_PAGES; page++) {
        const query: Record<string, string> = cursor === undefined ? {} : { after: cursor };
        const call: HelixCall = { method: "GET", path: "/eventsub/subscriptions", query };
        const answer = await json(call, dataOf(HelixSubscription));
        all.push(...answer.data);
        cursor = answer.pagination?.cursor;
        if (!cursor) break;
      }
      return all;
    },
  };
}
