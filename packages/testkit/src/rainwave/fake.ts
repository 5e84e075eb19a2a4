/**
 * A fake Rainwave (rainwave.cc's api4) for the hub's poller: `POST /api4/info` over real HTTP on
 * 127.0.0.1, taking `sid`, `user_id` and `key` as a form (or a query string) as Rainwave does,
 * and answering in its shape — `user` ({id, name, tuned_in, sid}), `sched_current` (an event
 * with `start_actual` / `end` in epoch seconds and its `songs`, each with `artists` and
 * `albums` whose `art` is a path the client appends `_320.jpg` to), and `api_info`. A wrong key
 * is Rainwave's 403 `auth_failed`; a station outside 1–5 its 400. A test can make it hang, fail
 * or talk nonsense, and tune the listener in and out.
 */
import type { Server } from "bun";

export interface FakeRainwaveSong {
  title: string;
  artists: readonly string[];
  album: string;
  /** Seconds. */
  length: number;
  /** Rainwave's art path (no size suffix); null when the album has none. */
  art?: string | null;
}

export type FakeRainwaveMode = "ok" | "hang" | "error" | "garbage";

export interface FakeRainwaveRequest {
  method: string;
  sid: string | null;
  userId: string | null;
  /** Whether a key was sent (the key itself is never kept). */
  keyed: boolean;
}

export interface FakeRainwaveOptions {
  userId?: number;
  apiKey?: string;
  userName?: string;
}

export interface FakeRainwave {
  readonly url: string;
  /** The base URL the hub's RAINWAVE_API_URL takes: `<url>/api4`. */
  readonly apiUrl: string;
  /** Puts `song` on `station` now (it started at `startedAt` epoch seconds, default now). */
  play(station: number, song: FakeRainwaveSong, startedAt?: number): void;
  /** The user tunes in to `station`, or out (null). */
  tune(station: number | null): void;
  setMode(mode: FakeRainwaveMode): void;
  requests(): readonly FakeRainwaveRequest[];
  stop(): Promise<void>;
}

const REQUESTS_KEPT = 1_000;
const HELD_MAX = 1_000;

interface Playing {
  song: FakeRainwaveSong;
  start: number;
}

export function startFakeRainwave(options: FakeRainwaveOptions = {}): FakeRainwave {
  const userId = options.userId ?? 4242;
  const apiKey = options.apiKey ?? "fake-rainwave-key";
  const userName = options.userName ?? "streamer";
  const playing = new Map<number, Playing>();
  const received: FakeRainwaveRequest[] = [];
  const held = new Set<(response: Response) => void>();
  let tunedTo: number | null = null;
  let mode: FakeRainwaveMode = "ok";

  function error(status: number, tlKey: string, text: string): Response {
    return Response.json({ error: { code: status, tl_key: tlKey, text } }, { status });
  }

  function infoBody(sid: number, user: { id: number; name: string } | null) {
    const now = playing.get(sid);
    const event =
      now === undefined
        ? null
        : {
            id: sid * 100_000 + Math.round(now.start),
            type: "Election",
            sid,
            start: now.start,
            start_actual: now.start,
            end: now.start + now.song.length,
            songs: [
              {
                id: 1,
                title: now.song.title,
                length: now.song.length,
                artists: now.song.artists.map((name, index) => ({ id: index + 1, name })),
                albums: [{ id: 1, name: now.song.album, art: now.song.art ?? null }],
              },
            ],
          };
    return {
      api_info: { time: Math.floor(Date.now() / 1000), version: "fake" },
      user:
        user === null
          ? { id: 1, name: "Anonymous", tuned_in: false, sid }
          : { id: user.id, name: user.name, tuned_in: tunedTo !== null, sid: tunedTo ?? sid },
      sched_current: event,
    };
  }

  async function info(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    if (request.method === "POST") {
      const form = new URLSearchParams(await request.text());
      for (const [key, value] of form) params.set(key, value);
    }
    const sid = params.get("sid");
    const user = params.get("user_id");
    const key = params.get("key");
    received.push({ method: request.method, sid, userId: user, keyed: key !== null });
    if (received.length > REQUESTS_KEPT) received.splice(0, received.length - REQUESTS_KEPT);
    if (mode === "hang") {
      if (held.size >= HELD_MAX) return error(503, "busy", "Too many requests.");
      return new Promise((resolve) => held.add(resolve));
    }
    if (mode === "error") return error(500, "internal_error", "Internal server error.");
    if (mode === "garbage") return new Response("<html>Bad gateway</html>", { status: 200 });
    const station = Number(sid);
    if (!Number.isInteger(station) || station < 1 || station > 5) {
      return error(400, "invalid_station_id", "Invalid station ID.");
    }
    if (user !== null || key !== null) {
      if (user !== String(userId) || key !== apiKey) {
        return error(403, "auth_failed", "Authorization failed.");
      }
      return Response.json(infoBody(station, { id: userId, name: userName }));
    }
    return Response.json(infoBody(station, null));
  }

  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/api4/info") return info(request);
      return error(404, "not_found", "Not found.");
    },
  });
  const url = `http://127.0.0.1:${server.port}`;

  return {
    url,
    apiUrl: `${url}/api4`,
    play(station, song, startedAt = Math.floor(Date.now() / 1000)) {
      playing.set(station, { song, start: startedAt });
    },
    tune(station) {
      tunedTo = station;
    },
    setMode(next) {
      mode = next;
      if (next !== "hang") {
        for (const resolve of held) resolve(error(503, "busy", "Released."));
        held.clear();
      }
    },
    requests: () => [...received],
    async stop() {
      for (const resolve of held) resolve(error(503, "busy", "Stopping."));
      held.clear();
      await server.stop(true);
    },
  };
}
