/**
 * A countdown to `expiresAt`, with a bar for the part of `startedAt → expiresAt` that remains.
 * Its one interval exists only while it is on screen (a legitimate timer: the time left changes
 * with the clock, not with anything the hub pushes) and is cleared when it leaves.
 */
import { createSignal, onCleanup, Show } from "solid-js";
import { formatCountdown } from "../format/format";

const TICK_MS = 250;

export function TimeLeft(props: { startedAt: string; expiresAt: string | null; label: string }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), TICK_MS);
  onCleanup(() => clearInterval(timer));

  const left = () =>
    props.expiresAt === null ? null : Math.max(0, Date.parse(props.expiresAt) - now());
  const fraction = () => {
    if (props.expiresAt === null) return 1;
    const total = Date.parse(props.expiresAt) - Date.parse(props.startedAt);
    return total > 0 ? Math.min(1, (left() ?? 0) / total) : 0;
  };

  return (
    <div class="time-left">
      <span class="time-left-label">{props.label}</span>
      <Show when={left() !== null} fallback={<span class="time-left-value">until cleared</span>}>
        <span class="time-left-value" data-testid="time-left">
          {formatCountdown(left() ?? 0)}
        </span>
      </Show>
      <span class="time-left-bar" aria-hidden="true">
        <span style={{ width: `${fraction() * 100}%` }} />
      </span>
    </div>
  );
}
