/**
 * One request to Rainwave's `info` API (rainwave.cc/api4/info: a form POST of `sid`, `user_id`
 * and `key`), its answer checked with zod and read into a `rainwave.update`. Only the fields the
 * hub shows are read, loosely, since Rainwave owns the shape. The key is sent, never logged.
 */
import type { RainwaveStation, RainwaveUpdate } from "@landale/shared";
import { z } from "zod";

export interface RainwaveCredentials {
  userId: string;
  apiKey: string;
}

/** Why a request failed, in words the dashboard shows. */
export class RainwaveRequestError extends Error {
  constructor(
    readonly code:
      | "rainwave_timeout"
      | "rainwave_refused"
      | "rainwave_unreachable"
      | "rainwave_unexpected_answer"
      | "rainwave_auth_failed",
    message: string,
  ) {
    super(message);
    this.name = "RainwaveRequestError";
  }
}

const Text = z.string().max(1024);

const Song = z.looseObject({
  title: Text,
  artists: z
    .array(z.looseObject({ name: Text }))
    .max(64)
    .default([]),
  albums: z
    .array(z.looseObject({ name: Text, art: z.string().max(1024).nullable().optional() }))
    .max(16)
    .default([]),
});

export const RainwaveInfo = z.looseObject({
  user: z.looseObject({
    id: z.union([z.int(), z.string()]),
    tuned_in: z.boolean().default(false),
    sid: z.int().nullable().optional(),
  }),
  sched_current: z
    .looseObject({
      start_actual: z.number().nullable().optional(),
      start: z.number().nullable().optional(),
      end: z.number().nullable().optional(),
      songs: z.array(Song).max(16).default([]),
    })
    .nullable()
    .optional(),
});
export type RainwaveInfo = z.infer<typeof RainwaveInfo>;

const ErrorBody = z.looseObject({
  error: z.looseObject({ tl_key: z.string().optional(), text: z.string().optional() }),
});

/** Album art lives on rainwave.cc whatever the API's base URL; `_320.jpg` is its mid size. */
const ART_ORIGIN = "https://rainwave.cc";

function instant(seconds: number | null | undefined): string | null {
  return typeof seconds === "number" && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

function artUrl(art: string | null | undefined): string | null {
  if (art === null || art === undefined || art === "") return null;
  try {
    return new URL(`${art}_320.jpg`, ART_ORIGIN).toString();
  } catch {
    return null;
  }
}

/**
 * What the streamer hears: listening only while tuned in to the station polled (tuned in to
 * another, the polled station's song is not what is playing for them).
 */
export function toUpdate(info: RainwaveInfo, station: RainwaveStation): RainwaveUpdate {
  const listening = info.user.tuned_in && (info.user.sid ?? station) === station;
  const event = info.sched_current ?? null;
  const song = event?.songs[0];
  if (!listening || event === null || song === undefined) {
    return {
      station,
      listening,
      title: null,
      artists: [],
      album: null,
      art_url: null,
      started_at: null,
      ends_at: null,
    };
  }
  const album = song.albums[0];
  return {
    station,
    listening,
    title: song.title,
    artists: song.artists.map((artist) => artist.name),
    album: album?.name ?? null,
    art_url: artUrl(album?.art),
    started_at: instant(event.start_actual ?? event.start),
    ends_at: instant(event.end),
  };
}

export async function fetchInfo(
  apiUrl: string,
  credentials: RainwaveCredentials,
  station: RainwaveStation,
  timeoutMs: number,
): Promise<RainwaveInfo> {
  const body = new URLSearchParams({
    sid: String(station),
    user_id: credentials.userId,
    key: credentials.apiKey,
  });
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${apiUrl}/info`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
      throw new RainwaveRequestError(
        "rainwave_timeout",
        `Rainwave did not answer within ${timeoutMs} ms`,
      );
    }
    throw new RainwaveRequestError(
      "rainwave_unreachable",
      `Rainwave could not be reached: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RainwaveRequestError(
      "rainwave_unexpected_answer",
      `Rainwave answered ${response.status} with something other than JSON`,
    );
  }
  if (!response.ok) {
    const said = ErrorBody.safeParse(json);
    const words = said.success ? (said.data.error.text ?? said.data.error.tl_key ?? "") : "";
    const code =
      response.status === 403 || response.status === 401
        ? "rainwave_auth_failed"
        : "rainwave_refused";
    throw new RainwaveRequestError(
      code,
      `Rainwave answered ${response.status}${words === "" ? "" : `: ${words}`}`,
    );
  }
  const parsed = RainwaveInfo.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RainwaveRequestError(
      "rainwave_unexpected_answer",
      `Rainwave's answer is not as expected at ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "?"}`,
    );
  }
  return parsed.data;
}
