/** What the ingest bench samples from a hub on a timer while a phase runs: its RSS, and its pending count. */
import type { HubHandle } from "./hub";

const RSS_SAMPLE_MS = 250;
const PENDING_SAMPLE_MS = 1_000;

/** Samples the hub's RSS every RSS_SAMPLE_MS until stopped; resolves with [seconds, bytes] pairs. */
export function sampleRss(hub: HubHandle): { stop(): Promise<[number, number][]> } {
  const started = performance.now();
  const samples: [number, number][] = [];
  const take = async () => samples.push([(performance.now() - started) / 1000, await hub.rss()]);
  const timer = setInterval(take, RSS_SAMPLE_MS);
  void take();
  return {
    async stop() {
      clearInterval(timer);
      await take();
      return samples;
    },
  };
}

/** Asks the hub for its pending count every PENDING_SAMPLE_MS (one question at a time) until stopped. */
export function samplePending(hub: HubHandle): { stop(): Promise<[number, number, number][]> } {
  const started = performance.now();
  const samples: [number, number, number][] = [];
  let stopped = false;
  const run = (async () => {
    while (!stopped) {
      const asked = performance.now();
      const health = await hub.health().catch(() => null);
      const answered = performance.now();
      if (health !== null) {
        samples.push([(asked - started) / 1000, health.events.pending, answered - asked]);
      }
      await Bun.sleep(Math.max(0, PENDING_SAMPLE_MS - (answered - asked)));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await run;
      return samples;
    },
  };
}

/** The highest RSS of [seconds, bytes] samples; 0 for none. */
export function peak(samples: readonly [number, number][]): number {
  return samples.reduce((max, [, rss]) => Math.max(max, rss), 0);
}
