/**
 * What each overlay layer holds, in words, for the layer view: an alert as the feed says it, the
 * sub train's count, the timeline's latest entries, the ticker item's figures, or forced content.
 */
import { type LayerContent, tierLabel } from "@landale/shared";
import { describeEvent } from "../feed/describe";
import { formatCount, plural } from "../format/format";

type Data = Record<string, unknown>;

const KIND_LABELS: Record<string, string> = {
  alert: "Alert",
  sub_train: "Sub train",
  timeline: "Timeline",
  ticker: "Ticker",
  forced: "Forced",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

const arrayOf = (value: unknown): Data[] =>
  Array.isArray(value)
    ? value.filter((item): item is Data => typeof item === "object" && item !== null)
    : [];

const text = (value: unknown, fallback = "?"): string =>
  typeof value === "string" && value !== "" ? value : fallback;

const count = (value: unknown): number => (typeof value === "number" ? value : 0);

/** One line for a layer's content. */
export function describeLayer(content: LayerContent): string {
  const data = content.data as Data;
  switch (content.kind) {
    case "alert": {
      if (content.type === "ironmon.run.checkpoint") {
        return `IronMON checkpoint cleared: ${text(data.name)} (#${count(data.order)}, run ${count(data.run_id)})`;
      }
      const summary = describeEvent(content.type, data);
      return [summary.actor, summary.action].filter(Boolean).join(" ");
    }
    case "sub_train": {
      const latest = (data.latest ?? {}) as Data;
      return `${plural(count(data.count), "sub")} in the train · latest ${text(latest.user_name)} (${tierLabel(latest.tier)})`;
    }
    case "timeline": {
      const items = arrayOf(data.items);
      if (items.length === 0) return "No interactions yet";
      return items
        .slice(0, 3)
        .map((item) => `${text(item.user_name)} ${text(item.summary, "")}`.trim())
        .join(" · ");
    }
    case "ticker":
      return describeTicker(content.type, data);
    default:
      return `${content.type}${Object.keys(data).length > 0 ? ` ${JSON.stringify(data)}` : ""}`;
  }
}

function describeTicker(type: string, data: Data): string {
  switch (type) {
    case "ticker.recent_follows": {
      const followers = Array.isArray(data.followers) ? data.followers.map((f) => text(f)) : [];
      return followers.length === 0
        ? "Recent follows: none yet"
        : `Recent follows: ${followers.join(", ")}`;
    }
    case "ticker.daily_counts":
      return [
        plural(count(data.follows), "follow"),
        plural(count(data.subs), "sub"),
        `${formatCount(count(data.gifted))} gifted`,
        `${formatCount(count(data.bits))} bits`,
        plural(count(data.raids), "raid"),
        plural(count(data.redemptions), "redemption"),
      ]
        .join(" · ")
        .replace(/^/, "Today: ");
    case "ticker.goals": {
      const goals = arrayOf(data.goals);
      return goals.length === 0
        ? "Goals: none active"
        : `Goals: ${goals.map((goal) => `${text(goal.description, text(goal.type))} ${formatCount(count(goal.current))}/${formatCount(count(goal.target))}`).join(" · ")}`;
    }
    case "ticker.top_emotes": {
      const emotes = arrayOf(data.emotes);
      return emotes.length === 0
        ? "Top emotes: none yet"
        : `Top emotes: ${emotes.map((emote) => `${text(emote.name)} ×${formatCount(count(emote.count))}`).join(", ")}`;
    }
    case "ticker.ironmon_run": {
      if (data.run_id === null || data.run_id === undefined) return "IronMON: waiting for a seed";
      const current = (data.current ?? null) as Data | null;
      const last = current === null ? "" : ` · last cleared ${text(current.name)}`;
      return `IronMON: run #${formatCount(count(data.attempt))} · ${count(data.cleared)}/${count(data.total)} checkpoints${last}`;
    }
    case "ticker.ironmon_progress": {
      const next = (data.next ?? null) as Data | null;
      if (next === null) return "Up next: every checkpoint cleared";
      const rate =
        typeof data.clear_rate === "number"
          ? `${Math.round(data.clear_rate * 100)}% clear rate over ${plural(count(data.reached), "run")}`
          : "never reached before";
      const trainer =
        typeof next.trainer === "string" && next.trainer !== "None" ? ` vs ${next.trainer}` : "";
      return `Up next: checkpoint ${count(next.order)} ${text(next.name, "(unknown)")}${trainer} · ${rate}`;
    }
    case "ticker.now_playing": {
      const artists = Array.isArray(data.artists) ? data.artists.map((a) => text(a)) : [];
      const by = artists.length === 0 ? "" : ` by ${artists.join(", ")}`;
      return `Now playing: ${text(data.title)}${by} (${text(data.station, "Rainwave")})`;
    }
    default:
      return type;
  }
}
