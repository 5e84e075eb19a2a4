/**
 * The labels of a chart's time axis as the dashboard's clocks read (24-hour, en-GB): "14:05", with
 * seconds only where ticks fall between whole minutes, and the day under the time ("14:05\n6 Dec")
 * where it changes from the tick before. uPlot's own first label carries the date beside the time
 * ("12/5/26 12:53pm"), wider than the space between ticks, and runs into the next.
 */

/** `splits` are epoch seconds, in order. */
export function timeLabels(splits: readonly number[]): string[] {
  const withSeconds = splits.some((split) => Math.round(split) % 60 !== 0);
  const time = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    ...(withSeconds ? { second: "2-digit" } : {}),
    hour12: false,
  });
  const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
  return splits.map((split, index) => {
    const date = new Date(split * 1000);
    const before = splits[index - 1];
    const newDay = before !== undefined && day.format(new Date(before * 1000)) !== day.format(date);
    return newDay ? `${time.format(date)}\n${day.format(date)}` : time.format(date);
  });
}
