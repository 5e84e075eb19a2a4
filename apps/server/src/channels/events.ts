/**
 * `events:<filter>`: the live event stream. For now it admits a known filter and answers `ping`;
 * the events pipeline adds replay (`since_seq`) and `event_batch` pushes.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import { EVENT_FILTERS, eventFilterOf } from "@landale/shared";
import type { Principal } from "../auth";
import { answersPing } from "./ping";

export const eventsChannel: ChannelHandler<Principal> = answersPing({
  join(topic) {
    const filter = eventFilterOf(topic);
    if (filter === null) {
      return error({
        code: "unknown_filter",
        message: `"${topic}" names no events filter`,
        details: { allowed: EVENT_FILTERS.map((name) => `events:${name}`) },
      });
    }
    return ok({ filter });
  },
});
