/**
 * `/api/twitch/*` (control scope): the REST mirror of the `twitch:*` commands on `dashboard:main`
 * — status, device-code sign-in, a pasted token, sign-out, channel information, category search
 * and emotes. Bodies and answers are the shapes in `@landale/shared` (`api/twitch.ts`); Twitch's
 * refusals answer with Twitch's message (`../twitch/failures`).
 */
import { TwitchCategorySearch, TwitchChannelUpdate, TwitchTokenInput } from "@landale/shared";
import { Hono } from "hono";
import { invalidInput } from "../errors";
import type { TwitchService } from "../twitch/service";
import { jsonBody } from "./body";

export function twitchRoutes(twitch: TwitchService): Hono {
  return new Hono()
    .get("/status", (c) => c.json(twitch.status()))
    .post("/device", async (c) => c.json(await twitch.signIn()))
    .post("/token", async (c) => {
      const input = TwitchTokenInput.safeParse(await jsonBody(c.req.raw));
      if (!input.success) throw invalidInput(400, "invalid_token", input.error);
      return c.json(await twitch.acceptToken(input.data));
    })
    .delete("/token", async (c) => c.json(await twitch.signOut()))
    .get("/channel", async (c) => c.json(await twitch.channelInfo()))
    .patch("/channel", async (c) => {
      const update = TwitchChannelUpdate.safeParse(await jsonBody(c.req.raw));
      if (!update.success) throw invalidInput(400, "invalid_channel_update", update.error);
      return c.json(await twitch.updateChannelInfo(update.data));
    })
    .get("/categories", async (c) => {
      const search = TwitchCategorySearch.safeParse({ query: c.req.query("query") ?? "" });
      if (!search.success) throw invalidInput(400, "invalid_query", search.error);
      return c.json({ categories: await twitch.searchCategories(search.data.query) });
    })
    .get("/emotes", async (c) => c.json({ emotes: await twitch.emotes() }));
}
