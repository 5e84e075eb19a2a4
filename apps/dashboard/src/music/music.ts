/** Rainwave's status in one sentence, for the Now playing panel. */
import type { RainwaveStatus } from "@landale/shared";

export function describeMusic(status: RainwaveStatus): string {
  if (!status.configured)
    return "Rainwave is not set up: set RAINWAVE_USER_ID and RAINWAVE_API_KEY.";
  if (!status.enabled) return `Off (station: ${status.station_name}).`;
  const now = status.now_playing;
  if (now === null) return `Listening for ${status.station_name}…`;
  if (!now.listening || now.title === null) return `Tuned out of ${status.station_name}.`;
  const by = now.artists.length > 0 ? ` — ${now.artists.join(", ")}` : "";
  const album = now.album === null ? "" : ` (${now.album})`;
  return `${now.title}${by}${album} on ${status.station_name}`;
}
