/**
 * What the ironmon show's ticker items, the now-playing item and the IronMON checkpoint alert say.
 * Their data is the hub's (`TICKER_DATA`, `ironmon.run.checkpoint` in the catalogue), parsed here;
 * a payload that does not fit renders nothing rather than half a bar.
 */
import { IronmonRunCheckpoint, TICKER_DATA } from "@landale/shared";
import type { AlertView } from "./alerts";
import { count } from "./format";
import type { TickerView } from "./layers";

export type GameTickerType =
  | "ticker.ironmon_run"
  | "ticker.ironmon_progress"
  | "ticker.now_playing";

export function gameTicker(type: GameTickerType, data: unknown): TickerView | null {
  switch (type) {
    case "ticker.ironmon_run": {
      const parsed = TICKER_DATA[type].safeParse(data);
      if (!parsed.success) return null;
      const run = parsed.data;
      if (run.run_id === null) {
        return { view: "ticker", label: "IronMON", entries: [], empty: "Waiting for a seed" };
      }
      const entries: TickerView["entries"] = [
        { label: "run", value: `#${count(run.attempt ?? 0)}` },
        {
          label: "checkpoints",
          value: `${count(run.cleared)} / ${count(run.total)}`,
          progress: run.total > 0 ? Math.min(1, run.cleared / run.total) : 0,
        },
      ];
      if (run.current !== null) entries.push({ label: "last cleared", value: run.current.name });
      return { view: "ticker", label: "IronMON", entries, empty: "" };
    }
    case "ticker.ironmon_progress": {
      const parsed = TICKER_DATA[type].safeParse(data);
      if (!parsed.success) return null;
      const { next, clear_rate: rate, reached } = parsed.data;
      if (next === null) {
        return { view: "ticker", label: "Up next", entries: [], empty: "Every checkpoint cleared" };
      }
      const entries: TickerView["entries"] = [
        { label: `checkpoint ${count(next.order)}`, value: next.name ?? "Unknown" },
      ];
      // The seed data names "None" where no trainer stands (the lab).
      if (next.trainer !== null && next.trainer !== "None") {
        entries.push({ label: "vs", value: next.trainer });
      }
      if (rate !== null) {
        entries.push({
          label: `clear rate (${count(reached)} ${reached === 1 ? "run" : "runs"})`,
          value: `${Math.round(rate * 100)}%`,
          progress: rate,
        });
      } else {
        entries.push({ label: "never reached before" });
      }
      return { view: "ticker", label: "Up next", entries, empty: "" };
    }
    case "ticker.now_playing": {
      const parsed = TICKER_DATA[type].safeParse(data);
      if (!parsed.success) return null;
      const song = parsed.data;
      const entries: TickerView["entries"] = [{ label: song.title, value: "♪" }];
      if (song.artists.length > 0) entries.push({ label: `by ${song.artists.join(", ")}` });
      if (song.album !== null) entries.push({ label: `from ${song.album}` });
      return { view: "ticker", label: "Now playing", entries, empty: "" };
    }
  }
}

/** `ironmon.run.checkpoint`: a checkpoint cleared in the run. */
export function checkpointAlert(base: AlertView, data: unknown): AlertView {
  const event = IronmonRunCheckpoint.safeParse(data);
  const kicker = "Checkpoint cleared";
  if (!event.success) return { ...base, accent: "hype", kicker };
  return {
    ...base,
    accent: "hype",
    kicker,
    name: event.data.name,
    detail: `Run #${count(event.data.run_id)}`,
    amount: count(event.data.order),
    unit: "checkpoint",
  };
}
