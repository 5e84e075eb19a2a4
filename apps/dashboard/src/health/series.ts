/**
 * `GET /api/activity/stats` as chart columns: one point per hour over the window, hours with no
 * events as zero (the hub returns only hours that had some), split into alerts, chat and the
 * rest, in the column layout uPlot takes (`[x, ...series]`, x in epoch seconds).
 */
import type { ActivityStats } from "@landale/shared";
import { ALERT_TYPES } from "@landale/shared";

const HOUR_MS = 60 * 60 * 1000;

export interface HourlySeries {
  /** Start of each hour, epoch seconds. */
  hours: number[];
  alerts: number[];
  chat: number[];
  other: number[];
  total: number[];
}

/** The hour `ms` falls in, as epoch ms of its start (UTC hours: the hub buckets in UTC). */
export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

export function hourlySeries(stats: ActivityStats, hoursBack: number, now: number): HourlySeries {
  const last = hourStart(now);
  const first = last - (hoursBack - 1) * HOUR_MS;
  const series: HourlySeries = { hours: [], alerts: [], chat: [], other: [], total: [] };
  for (let hour = first; hour <= last; hour += HOUR_MS) {
    series.hours.push(hour / 1000);
    series.alerts.push(0);
    series.chat.push(0);
    series.other.push(0);
    series.total.push(0);
  }
  const alerts: ReadonlySet<string> = new Set(ALERT_TYPES);
  for (const { bucket, type, count } of stats.buckets) {
    const index = Math.round((hourStart(Date.parse(bucket)) - first) / HOUR_MS);
    if (index < 0 || index >= series.hours.length) continue;
    const column = alerts.has(type)
      ? series.alerts
      : type.startsWith("channel.chat.")
        ? series.chat
        : series.other;
    column[index] = (column[index] ?? 0) + count;
    series.total[index] = (series.total[index] ?? 0) + count;
  }
  return series;
}

/** The average events per minute over an hour's count. */
export function perMinute(countPerHour: number): number {
  return countPerHour / 60;
}
