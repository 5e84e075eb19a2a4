/** The pieces every Twitch EventSub `event` schema is built from, and the rules they follow. */
import { z } from "zod";
import { SUB_TIERS } from "./tiers";

// Twitch owns these shapes and adds fields without a new version, so every object is loose: fields
// we do not know are kept (and stored), never stripped or refused. Value sets Twitch documents
// (goal types, message types, statuses, notice types) stay open strings for the same reason: a new
// value must not make the hub drop a real event. Only `tier` is closed; it has been
// 1000/2000/3000 for years and overlays branch on it.
//
// Fields a type's first release documented are required (nullable where Twitch sends null);
// fields added to a version later are optional, so payloads recorded before them still validate.

export const UserId = z.string().min(1);
export const Count = z.int().nonnegative();
export const Tier = z.enum(SUB_TIERS);

export const broadcaster = {
  broadcaster_user_id: UserId,
  broadcaster_user_login: z.string(),
  broadcaster_user_name: z.string(),
};

export const user = {
  user_id: UserId,
  user_login: z.string(),
  user_name: z.string(),
};

/** Anonymous gifts and cheers send null here (the Twitch CLI sends "" or a placeholder user). */
export const maybeAnonymousUser = {
  user_id: z.string().nullable(),
  user_login: z.string().nullable(),
  user_name: z.string().nullable(),
};

/** Money as Twitch counts it: 1050 with 2 decimal places is 10.50 of an ISO 4217 currency. */
export const MoneyAmount = z.looseObject({
  value: Count,
  decimal_places: Count,
  currency: z.string(),
});
