/**
 * Memory back after an overload. Refused requests leave their garbage behind (bodies, parsed
 * events, answers), and the JavaScript engine starts a full collection only when the hub allocates
 * again, so an idle hub would keep an overload's peak RSS for as long as it stays idle. Once
 * refusals have stopped for a quiet period and nothing is pending, one full collection hands that
 * memory back; nothing else ever triggers it, so a hub that is not overloaded never pays for it.
 */
import type { Logger } from "@landale/logger";
import { type Scheduler, systemScheduler } from "../scheduler";

export interface ReclaimOptions {
  /** Requests and events refused for back-pressure so far (any count that grows under overload). */
  refusals: () => number;
  /** Events waiting to be written. */
  pending: () => number;
  logger: Logger;
  /** How long refusals must have stopped before collecting. */
  quietMs?: number;
  scheduler?: Scheduler;
  /** A full, synchronous collection. */
  collect?: () => void;
}

export const RECLAIM_QUIET_MS = 1_000;

export interface Reclaimer {
  /** Full collections made after an overload. */
  collections(): number;
  stop(): void;
}

export function reclaimAfterOverload(options: ReclaimOptions): Reclaimer {
  const scheduler = options.scheduler ?? systemScheduler;
  const quietMs = options.quietMs ?? RECLAIM_QUIET_MS;
  const collect = options.collect ?? (() => Bun.gc(true));
  let seen = options.refusals();
  let pressured = false;
  let collections = 0;
  let timer: unknown = null;
  const check = () => {
    const refusals = options.refusals();
    if (refusals > seen) {
      seen = refusals;
      pressured = true;
    } else if (pressured && options.pending() === 0) {
      pressured = false;
      collect();
      collections++;
      options.logger.info({ refusals }, "overload over: memory collected");
    }
    timer = scheduler.setTimeout(check, quietMs);
  };
  timer = scheduler.setTimeout(check, quietMs);
  return {
    collections: () => collections,
    stop() {
      scheduler.clearTimeout(timer);
      timer = null;
    },
  };
}
