/**
 * IronMON: the messages the IronMON tracker (a Lua script in the emulator) sends on the TCP ingest
 * port, and the ironmon.* events the hub records from them and from its run tracking.
 *
 * A message is `{type, data | metadata, timestamp?, frame?}` (older trackers say `metadata`).
 * The tracker is not ours, so its objects are loose where they describe the game (a Pokémon, an
 * item) and strict only in the fields the hub acts on. The run events are the hub's: strict.
 */
import { z } from "zod";
import { FreeFormJson, FreeFormObject } from "./hub";

/** Bounds on the game's lists: a party is 6, a bag a few hundred; the rest is margin. */
export const MAX_IRONMON_POKEMON = 64;
export const MAX_IRONMON_ITEMS = 1000;

const Name = z.string().min(1).max(256);
const Count = z.int().nonnegative();
const GameObject = FreeFormObject;

/** The games the tracker knows: 1 Ruby/Sapphire, 2 Emerald, 3 FireRed/LeafGreen. */
export const IRONMON_GAMES = { 1: "Ruby/Sapphire", 2: "Emerald", 3: "FireRed/LeafGreen" } as const;

export const IronmonInit = z.strictObject({
  version: z.string().min(1).max(64),
  game: z.union([z.literal(1), z.literal(2), z.literal(3)]),
});
/** A new seed (attempt) was loaded; `count` is the tracker's attempt counter. */
export const IronmonSeed = z.strictObject({ count: Count });
/** A checkpoint was reached: `id` is its number in the challenge (1 = LAB). */
export const IronmonCheckpoint = z.strictObject({
  id: z.int().positive(),
  name: Name,
  seed: Count.optional(),
});
export const IronmonLocation = z.strictObject({ id: z.int().nonnegative() });
export const IronmonBattleStart = z.strictObject({
  trainer: z.string().max(256),
  pokemon: z.array(GameObject).max(MAX_IRONMON_POKEMON),
});
export const IronmonBattleEnd = z.strictObject({
  result: z.enum(["win", "loss", "run"]),
  pokemon: z.array(GameObject).max(MAX_IRONMON_POKEMON),
});
export const IronmonPokemonUpdate = z.strictObject({
  team: z.array(GameObject).max(MAX_IRONMON_POKEMON),
});
export const IronmonItemUpdate = z.strictObject({
  items: z.array(GameObject).max(MAX_IRONMON_ITEMS),
});
export const IronmonStatsUpdate = z.strictObject({
  stats: z.record(z.string().max(256), FreeFormJson),
});
/** The tracker reporting its own trouble. */
export const IronmonError = z.strictObject({
  code: z.string().min(1).max(128),
  message: z.string().max(4096),
});
export const IronmonHeartbeat = z.object({});

/** The data schema of each message type; `heartbeat` only keeps the link alive (no event). */
export const IRONMON_MESSAGE_SCHEMAS = {
  init: IronmonInit,
  seed: IronmonSeed,
  checkpoint: IronmonCheckpoint,
  location: IronmonLocation,
  battle_start: IronmonBattleStart,
  battle_end: IronmonBattleEnd,
  pokemon_update: IronmonPokemonUpdate,
  item_update: IronmonItemUpdate,
  stats_update: IronmonStatsUpdate,
  error: IronmonError,
  heartbeat: IronmonHeartbeat,
} as const;
export type IronmonMessageType = keyof typeof IRONMON_MESSAGE_SCHEMAS;
export const IRONMON_MESSAGE_TYPES = Object.keys(IRONMON_MESSAGE_SCHEMAS) as IronmonMessageType[];

/** One message's envelope, before its data is checked against its type. */
const IronmonEnvelope = z.object({
  type: z.enum(IRONMON_MESSAGE_TYPES as [IronmonMessageType, ...IronmonMessageType[]]),
  data: z.unknown().optional(),
  metadata: z.unknown().optional(),
  // seconds or milliseconds since the epoch, as the tracker's clock says
  timestamp: z.number().nonnegative().optional(),
  frame: z.int().nonnegative().optional(),
});

export type IronmonMessage = {
  [K in IronmonMessageType]: {
    type: K;
    data: z.infer<(typeof IRONMON_MESSAGE_SCHEMAS)[K]>;
    timestamp?: number;
    frame?: number;
  };
}[IronmonMessageType];

export type IronmonParse =
  | { ok: true; message: IronmonMessage }
  | { ok: false; issues: z.core.$ZodIssue[] };

/** Checks one decoded message: its type, then its `data` (or `metadata`) against that type. */
export function parseIronmonMessage(json: unknown): IronmonParse {
  const envelope = IronmonEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, issues: envelope.error.issues };
  const { type, timestamp, frame } = envelope.data;
  const raw = envelope.data.data ?? envelope.data.metadata ?? {};
  const data = IRONMON_MESSAGE_SCHEMAS[type].safeParse(raw);
  if (!data.success) {
    return {
      ok: false,
      issues: data.error.issues.map((i) => ({ ...i, path: ["data", ...i.path] })),
    };
  }
  const message = { type, data: data.data, timestamp, frame } as IronmonMessage;
  return { ok: true, message };
}

/** A run (one seed of a challenge) began. `seed` is the tracker's attempt counter. */
export const IronmonRunStarted = z.strictObject({
  run_id: z.int().positive(),
  seed: Count,
  challenge: Name,
  attempt: z.int().positive(),
});
export type IronmonRunStarted = z.infer<typeof IronmonRunStarted>;

/** The run cleared a checkpoint. */
export const IronmonRunCheckpoint = z.strictObject({
  run_id: z.int().positive(),
  checkpoint_id: z.int().positive(),
  name: Name,
  order: z.int().positive(),
  cleared: z.literal(true),
});
export type IronmonRunCheckpoint = z.infer<typeof IronmonRunCheckpoint>;

/** The run ended at this checkpoint (the next one it had not cleared): a new seed came first. */
export const IronmonRunFailed = z.strictObject({
  run_id: z.int().positive(),
  checkpoint_id: z.int().positive(),
  name: Name,
});
export type IronmonRunFailed = z.infer<typeof IronmonRunFailed>;

/** The ironmon.* event types, keyed by type: one per message type but heartbeat, and the runs'. */
export const IRONMON_EVENT_SCHEMAS = {
  "ironmon.init": IronmonInit,
  "ironmon.seed": IronmonSeed,
  "ironmon.checkpoint": IronmonCheckpoint,
  "ironmon.location": IronmonLocation,
  "ironmon.battle_start": IronmonBattleStart,
  "ironmon.battle_end": IronmonBattleEnd,
  "ironmon.pokemon_update": IronmonPokemonUpdate,
  "ironmon.item_update": IronmonItemUpdate,
  "ironmon.stats_update": IronmonStatsUpdate,
  "ironmon.error": IronmonError,
  "ironmon.run.started": IronmonRunStarted,
  "ironmon.run.checkpoint": IronmonRunCheckpoint,
  "ironmon.run.failed": IronmonRunFailed,
} as const;
export type IronmonEventType = keyof typeof IRONMON_EVENT_SCHEMAS;
