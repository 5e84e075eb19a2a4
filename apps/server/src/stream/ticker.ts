/**
 * The ticker on the background: turning to the next of the show's items, and keeping the item
 * showing up to date when the games or the music change. Pure, part of the reducer.
 */
import type { EngineConfig } from "./config";
import { activeTickerItems, type EngineState } from "./core";
import { ironmonProgressData, ironmonRunData, nowPlayingData } from "./games";

/**
 * After a game or music change: the item showing takes the new figures (same id, so it updates
 * without re-animating), and an item with nothing left to say (tuned out) gives way at once.
 */
export function refreshTicker(core: EngineState, now: number, config: EngineConfig): void {
  const item = core.ticker.item;
  if (item === null) return;
  const kind = item.type.slice("ticker.".length);
  if (!activeTickerItems(core, config).includes(kind)) {
    turnTicker(core, now, config, 0);
    return;
  }
  core.ticker.item = { ...item, data: tickerData(core, kind, config) };
}

/** Puts `kind` on the ticker now, for a full turn, when the show rotates it; else refreshes. */
export function showTickerItem(
  core: EngineState,
  now: number,
  config: EngineConfig,
  kind: string,
): void {
  const index = activeTickerItems(core, config).indexOf(kind);
  if (index === -1) {
    refreshTicker(core, now, config);
    return;
  }
  core.ticker.index = index;
  turnTicker(core, now, config, 0);
}

/** Moves the ticker on by `turns` items and shows the item with today's figures. */
export function turnTicker(
  core: EngineState,
  now: number,
  config: EngineConfig,
  turns: number,
): void {
  const items = activeTickerItems(core, config);
  if (items.length === 0) {
    core.ticker = { index: 0, next_at: null, item: null };
    return;
  }
  const index = (core.ticker.index + turns) % items.length;
  const kind = items[index] ?? "daily_counts";
  const nextAt = new Date(now + config.tickerIntervalMs).toISOString();
  core.serial++;
  core.ticker = {
    index,
    next_at: nextAt,
    item: {
      id: `ticker:${core.serial}`,
      kind: "ticker",
      type: `ticker.${kind}`,
      priority: 0,
      started_at: new Date(now).toISOString(),
      expires_at: nextAt,
      data: tickerData(core, kind, config),
      source_event_id: null,
    },
  };
}

function tickerData(
  core: EngineState,
  kind: string,
  config: EngineConfig,
): Record<string, unknown> {
  const { stats } = core;
  switch (kind) {
    case "ironmon_run":
      return ironmonRunData(core.games, config.ironmonCheckpoints);
    case "ironmon_progress":
      return ironmonProgressData(core.games, config.ironmonCheckpoints);
    case "now_playing":
      return nowPlayingData(core.games) ?? {};
    case "recent_follows":
      return { followers: stats.recent_followers };
    case "goals":
      return { goals: Object.values(stats.goals) };
    case "top_emotes":
      return {
        emotes: Object.entries(stats.emotes)
          .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
          .slice(0, 5)
          .map(([name, count]) => ({ name, count })),
      };
    default:
      return {
        day: stats.day,
        follows: stats.follows,
        subs: stats.subs,
        gifted: stats.gifted,
        bits: stats.bits,
        raids: stats.raids,
        redemptions: stats.redemptions,
      };
  }
}
