/**
 * When the Stream info editor reads the channel again by itself after a failed read: a failure
 * that passes by itself (Twitch or the link away for a while, not a refusal) is tried again with
 * the client's backoff, on one owned timer, and at once when the status says Twitch is back.
 */
import { type BackoffOptions, backoff } from "@landale/client";
import type { TwitchStatus } from "@landale/shared";
import { onCleanup } from "solid-js";

/** The hub's and the client's codes for a failure that passes by itself. */
const PASSING = new Set([
  "twitch_unreachable",
  "twitch_unavailable",
  "twitch_rate_limited",
  "store_unavailable",
  "stopped",
  "timeout",
  "dropped",
  "closed",
]);

/** Worth another try without the streamer: Twitch's refusals and a sign-out are not. */
export function passes(code: string): boolean {
  return PASSING.has(code);
}

/**
 * The status says the hub reaches Twitch: signed in, the EventSub session connected and no
 * `twitch_unreachable` problem. Its turning true after a failed read is the moment to read again.
 */
export function reachesTwitch(status: TwitchStatus | null): boolean {
  return (
    status?.state === "connected" &&
    status.eventsub.state === "connected" &&
    status.problem?.code !== "twitch_unreachable"
  );
}

/** 1 s, doubling to 30 s (with the client's jitter): a long outage costs a read every 30 s. */
export const RETRY_BACKOFF = { baseMs: 1_000, maxMs: 30_000 } as const;

export interface Retry {
  /** Runs `run` after the next delay, each longer than the last; replaces a try already waiting. */
  schedule(run: () => void): void;
  /** Drops the try waiting, if any. */
  cancel(): void;
  /** Drops the try waiting, if any, and starts the delays over. */
  reset(): void;
}

/** Must run inside an owner: its one timer is cleared with it. */
export function createRetry(options: BackoffOptions = RETRY_BACKOFF): Retry {
  const delay = backoff(options);
  let tries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  onCleanup(cancel);
  return {
    schedule(run) {
      cancel();
      tries++;
      timer = setTimeout(() => {
        timer = undefined;
        run();
      }, delay(tries));
    },
    cancel,
    reset() {
      cancel();
      tries = 0;
    },
  };
}
