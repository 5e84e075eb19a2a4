/** Sample `data` for the ironmon.* event types, as the tracker and the run tracking make them. */
import type { z } from "zod";
import type { IRONMON_EVENT_SCHEMAS, IronmonEventType } from "./ironmon";

type Samples = { readonly [K in IronmonEventType]: z.input<(typeof IRONMON_EVENT_SCHEMAS)[K]> };

const SQUIRTLE = { species: "Squirtle", level: 14, hp: { current: 38, max: 38 } };

export const IRONMON_SAMPLES: Samples = {
  "ironmon.init": { version: "2.0.1", game: 3 },
  "ironmon.seed": { count: 1337 },
  "ironmon.checkpoint": { id: 5, name: "BROCK", seed: 1337 },
  "ironmon.location": { id: 87 },
  "ironmon.battle_start": { trainer: "Brock", pokemon: [{ species: "Onix", level: 14 }] },
  "ironmon.battle_end": { result: "win", pokemon: [SQUIRTLE] },
  "ironmon.pokemon_update": { team: [SQUIRTLE] },
  "ironmon.item_update": { items: [{ id: 13, name: "Potion", quantity: 3 }] },
  "ironmon.stats_update": { stats: { attempts: 1337, resets: 12 } },
  "ironmon.error": { code: "memory_read", message: "could not read the party" },
  "ironmon.run.started": { run_id: 42, seed: 1337, challenge: "Kaizo IronMON", attempt: 42 },
  "ironmon.run.checkpoint": {
    run_id: 42,
    checkpoint_id: 5,
    name: "BROCK",
    order: 5,
    cleared: true,
  },
  "ironmon.run.failed": { run_id: 42, checkpoint_id: 6, name: "RIVAL3" },
};
