/**
 * A WebSocket session's EventSub subscriptions and their statuses. At a welcome the plan is
 * created for the session (`./eventsub-create`: the critical group first and in order, then the
 * rest). Those that failed for a reason that passes (`./eventsub-retry`: Twitch not reached, a
 * 5xx, a 429) show `failed` with the error and are created again, one more pass after a capped,
 * jittered backoff, until each succeeds, Twitch refuses it for good, or the session ends; any
 * other refusal stays `failed` with Twitch's message. When the plan changes on a live session
 * (the grant's scopes did), what it adds is created there and what it drops is deleted at Twitch.
 */
import type { Logger } from "@landale/logger";
import type { TwitchSubscriptionStatus } from "@landale/shared";
import { type Scheduler, systemScheduler } from "../scheduler";
import { createSubscriptions, type PlannedSubscription } from "./eventsub-create";
import { type Backoff, backoffDelay, CREATE_RETRY_BACKOFF } from "./eventsub-retry";
import type { Helix } from "./helix";

export type { PlannedSubscription } from "./eventsub-create";

/** The plan as statuses before anything was asked of Twitch. */
export function pendingStatuses(
  plan: readonly PlannedSubscription[],
  status = "pending",
): TwitchSubscriptionStatus[] {
  return plan.map(({ type, version }) => ({ type, version, id: null, status, error: null }));
}

/** The statuses once Twitch revoked `revoked` (matched by id, or by type for a 409's unknown id). */
export function markRevoked(
  statuses: readonly TwitchSubscriptionStatus[],
  revoked: { id: string; type: string; version: string; status: string },
): TwitchSubscriptionStatus[] {
  const index = statuses.findIndex(
    (sub) =>
      sub.id === revoked.id ||
      (sub.id === null && sub.type === revoked.type && sub.version === revoked.version),
  );
  return statuses.map((sub, i) =>
    i === index ? { ...sub, id: revoked.id, status: revoked.status } : sub,
  );
}

export interface SubscriptionBook {
  list(): TwitchSubscriptionStatus[];
  /** A fresh session: every planned subscription is created for it, from pending. */
  subscribe(sessionId: string): void;
  /**
   * The plan changed (the grant's scopes did): once what is under way has settled, the session
   * gets what the plan adds (and what failed before) and loses, at Twitch too, what it drops.
   * Without a session, or while it moves to a reconnect_url, this waits for `moved`; a fresh
   * session's `subscribe` reads the plan anyway.
   */
  replan(): void;
  /** A session_reconnect: the session is moving; nothing is created until `moved`. */
  moving(): void;
  /** The reconnect's welcome: the subscriptions are on `sessionId` now. */
  moved(sessionId: string): void;
  revoked(subscription: { id: string; type: string; version: string; status: string }): void;
  /** The session is gone: Twitch disabled its subscriptions; creating for it stops. */
  disconnected(): void;
  /** Stops creating and waits for the requests under way. */
  stop(): Promise<void>;
}

export interface SubscriptionBookOptions {
  plan(): readonly PlannedSubscription[];
  helix: Pick<Helix, "createSubscription" | "deleteSubscription">;
  logger: Logger;
  /** A status changed; `enabled` when that change enabled a subscription. */
  onChange(enabled: boolean): void;
  /** A create went through after one had failed for a reason that passes: Twitch answers again. */
  onRecovered?(): void;
  /** The waits before what failed for a reason that passes is tried again (1 s doubling to 60 s). */
  backoff?: Backoff;
  /** The waits' timers (tests pass a manual one). */
  scheduler?: Scheduler;
}

/**
 * The statuses for a new plan, in its order: those it keeps as they are, and pending ones for what
 * it adds or what failed before (`create`, indexes into `plan`); `drop` is what it no longer has.
 */
export function replanStatuses(
  statuses: readonly TwitchSubscriptionStatus[],
  plan: readonly PlannedSubscription[],
): { next: TwitchSubscriptionStatus[]; create: number[]; drop: TwitchSubscriptionStatus[] } {
  const left = [...statuses];
  const create: number[] = [];
  const next = plan.map((wanted, index) => {
    const at = left.findIndex((sub) => sub.type === wanted.type && sub.version === wanted.version);
    const [kept] = at < 0 ? [] : left.splice(at, 1);
    if (kept !== undefined && kept.status !== "failed") return kept;
    create.push(index);
    return pendingStatuses([wanted])[0] as TwitchSubscriptionStatus;
  });
  return { next, create, drop: left };
}

/** The statuses of the current session's subscriptions, and their creation. */
export function createSubscriptionBook(options: SubscriptionBookOptions): SubscriptionBook {
  const { helix, logger } = options;
  const scheduler = options.scheduler ?? systemScheduler;
  const backoff = options.backoff ?? CREATE_RETRY_BACKOFF;
  /** Creation for fresh sessions and tries again; `replanning` is the loop applying new plans. */
  const creating = new Set<Promise<void>>();
  /** Timers of the waits before trying again: one per pass of creation at most, so a few. */
  const waits = new Set<unknown>();
  /** A create failed for a reason that passes on this session, and none went through since. */
  let troubled = false;
  let replanning: Promise<void> | null = null;
  let statuses: TwitchSubscriptionStatus[] = [];
  /** Bumped per session and on stop: an older session's loop then creates nothing more. */
  let epoch = 0;
  /** The session subscriptions are created on; null while there is none, or it is moving. */
  let session: string | null = null;
  /** A new plan waits to be applied to the session. */
  let due = false;
  let stopped = false;

  const track = (run: Promise<void>) => {
    const tracked: Promise<void> = run
      .catch((err) => logger.error({ err }, "EventSub subscriptions not created"))
      .finally(() => creating.delete(tracked));
    creating.add(tracked);
  };

  const cancelWaits = () => {
    for (const wait of waits) scheduler.clearTimeout(wait);
    waits.clear();
  };

  /**
   * Creates `plan[i]` for each of `indexes` on the session, writing each result at its index;
   * those that failed for a reason that passes are created again after the pass (`tries` before).
   */
  const create = (
    sessionId: string,
    plan: readonly PlannedSubscription[],
    indexes: number[],
    tries = 0,
  ): Promise<void> => {
    const mine = epoch;
    const isCurrent = () => !stopped && epoch === mine;
    const again: number[] = [];
    return createSubscriptions({
      sessionId,
      plan: indexes.map((index) => plan[index] as PlannedSubscription),
      helix,
      logger,
      isCurrent,
      onResult: (k, result, transient) => {
        const index = indexes[k] as number;
        statuses = statuses.map((sub, i) => (i === index ? result : sub));
        if (transient) again.push(index);
        troubled ||= transient;
        options.onChange(result.status === "enabled");
        if (troubled && result.status === "enabled") {
          troubled = false;
          options.onRecovered?.();
        }
      },
    }).then(() => {
      if (again.length > 0 && isCurrent()) retryLater(plan, again, tries + 1);
    });
  };

  /** Waits, then creates `indexes` again on the session (after a move, on the new one). */
  const retryLater = (plan: readonly PlannedSubscription[], indexes: number[], tries: number) => {
    // A plan waiting to be applied creates again whatever failed, in its own order.
    if (due || stopped) return;
    const delayMs = backoffDelay(backoff, tries);
    const error = statuses[indexes[0] as number]?.error;
    logger.warn(
      { count: indexes.length, tries, delayMs, error },
      "EventSub subscriptions not created; tried again after a delay",
    );
    const wait = scheduler.setTimeout(() => {
      waits.delete(wait);
      if (session === null) return retryLater(plan, indexes, tries);
      track(create(session, plan, indexes, tries));
    }, delayMs);
    waits.add(wait);
  };

  /** Deletes at Twitch what the plan dropped (Twitch keeps a 409's, whose id the hub never got). */
  const remove = async (dropped: readonly TwitchSubscriptionStatus[]) => {
    for (const { id, type, status } of dropped) {
      if (id === null || status !== "enabled") continue;
      await helix.deleteSubscription(id).catch((err) => {
        logger.warn({ type, id, err: String(err) }, "EventSub subscription not deleted");
      });
    }
  };

  /** Applies the plan while one is due and there is a session, once creation under way settled. */
  const applyPlans = async () => {
    for (;;) {
      await Promise.allSettled([...creating]);
      if (!due || session === null || stopped) return;
      due = false;
      const plan = options.plan();
      const { next, create: added, drop } = replanStatuses(statuses, plan);
      statuses = next;
      logger.info(
        { added: added.length, dropped: drop.length },
        "EventSub plan changed with the grant's scopes",
      );
      options.onChange(false);
      await Promise.all([create(session, plan, added), remove(drop)]);
    }
  };

  const replan = () => {
    due = true;
    // The plan creates again what failed; a wait for the old plan's order would write out of it.
    cancelWaits();
    if (replanning !== null || session === null) return;
    replanning = applyPlans()
      .catch((err) => logger.error({ err }, "EventSub plan not applied"))
      .finally(() => {
        replanning = null;
        // Asked for again after the loop had looked for the last time.
        if (due && session !== null && !stopped) replan();
      });
  };

  return {
    list: () => statuses.map((sub) => ({ ...sub })),
    subscribe(sessionId) {
      const plan = options.plan();
      ++epoch;
      cancelWaits();
      session = sessionId;
      due = false;
      troubled = false;
      statuses = pendingStatuses(plan);
      track(
        create(
          sessionId,
          plan,
          plan.map((_, index) => index),
        ),
      );
    },
    replan,
    moving() {
      session = null;
    },
    moved(sessionId) {
      session = sessionId;
      if (due) replan();
    },
    revoked(subscription) {
      statuses = markRevoked(statuses, subscription);
      options.onChange(false);
    },
    disconnected() {
      epoch += 1;
      cancelWaits();
      session = null;
      statuses = statuses.map((sub) =>
        sub.status === "enabled" ? { ...sub, status: "websocket_disconnected" } : sub,
      );
    },
    async stop() {
      stopped = true;
      cancelWaits();
      await Promise.allSettled([...creating, replanning]);
    },
  };
}
