/**
 * A recorded IronMON session, as the tracker (a Lua script in the emulator) sends it on the TCP
 * ingest: init, a seed, checkpoints and battles, a heartbeat, a run lost at the third checkpoint,
 * a new seed and its first clear, and the same seed said again (the tracker reconnecting).
 * `playIronmonSession` writes its frames to a hub, cut at random boundaries.
 */
import { connect } from "node:net";

const party = (level: number) => [
  { species: "Charmander", nickname: "Ember ✨", level, hp: { current: 20, max: 24 } },
];

/** The session's messages, in the order the tracker sent them (older `metadata` ones included). */
export const IRONMON_SESSION: readonly Record<string, unknown>[] = [
  { type: "init", metadata: { version: "2.1.0", game: 3 } },
  { type: "seed", data: { count: 412 }, timestamp: 1_764_849_600, frame: 1 },
  { type: "location", data: { id: 5 }, frame: 240 },
  { type: "checkpoint", data: { id: 1, name: "LAB", seed: 412 }, frame: 1800 },
  {
    type: "battle_start",
    data: { trainer: "Rival", pokemon: [{ species: "Squirtle", level: 5 }] },
  },
  { type: "heartbeat", data: {} },
  { type: "battle_end", data: { result: "win", pokemon: party(6) } },
  { type: "checkpoint", metadata: { id: 2, name: "RIVAL1" } },
  { type: "pokemon_update", data: { team: party(9) } },
  { type: "item_update", data: { items: [{ id: 13, name: "Potion", quantity: 2 }] } },
  { type: "location", data: { id: 87 } },
  { type: "battle_start", data: { trainer: "Youngster Ben", pokemon: [{ species: "Rattata" }] } },
  { type: "battle_end", data: { result: "loss", pokemon: party(9) } },
  { type: "stats_update", data: { stats: { attempts: 412, deaths: 1 } } },
  { type: "error", data: { code: "memory_read", message: "party slot 2 unreadable" } },
  { type: "seed", data: { count: 413 } },
  { type: "checkpoint", data: { id: 1, name: "LAB" } },
  { type: "seed", data: { count: 413 } },
];

/** `<length> <json>` for each message, one buffer. */
export function encodeIronmonFrames(messages: readonly unknown[]): Uint8Array {
  return Buffer.concat(
    messages.map((message) => {
      const body = Buffer.from(JSON.stringify(message), "utf8");
      return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
    }),
  );
}

/** A small seeded generator, so a failing cut can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes `bytes` to host:port in pieces of random size (1 byte to a few frames), each written only
 * once the previous one was handed to the kernel, then closes. Resolves once the socket is closed.
 */
export function playIronmonBytes(options: {
  host?: string;
  port: number;
  bytes: Uint8Array;
  seed: number;
}): Promise<void> {
  const next = seededRandom(options.seed);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? "127.0.0.1", port: options.port });
    socket.setNoDelay(true);
    socket.on("error", reject);
    socket.on("close", () => resolve());
    socket.on("connect", async () => {
      let at = 0;
      while (at < options.bytes.length) {
        const size = next() < 0.7 ? 1 + Math.floor(next() * 12) : 1 + Math.floor(next() * 600);
        const piece = options.bytes.subarray(at, at + size);
        at += size;
        await new Promise<void>((done) => socket.write(piece, () => done()));
      }
      socket.end();
    });
  });
}

/** Plays the recorded session (or `messages`) to a hub's TCP ingest. */
export function playIronmonSession(options: {
  host?: string;
  port: number;
  seed: number;
  messages?: readonly unknown[];
}): Promise<void> {
  return playIronmonBytes({
    ...options,
    bytes: encodeIronmonFrames(options.messages ?? IRONMON_SESSION),
  });
}
