/**
 * Creating a WebSocket session's EventSub subscriptions over Helix: the critical group first, one
 * at a time and in the plan's order, then the rest a few at a time. Twitch's 409 ("subscription
 * already exists") counts as enabled; any other refusal marks that one `failed` with Twitch's
 * message and the others carry on. A 401 has already been through the auth (the Helix core). When
 * the plan changes on a live session (the grant's scopes did), what it adds is created there and
 * what it drops is deleted at Twitch.
 */
import type { Logger } from "@landale/logger";
import type { TwitchSubscriptionStatus } from "@landale/shared";
import { type Helix, HelixError } from "./helix";

/** Non-critical subscriptions created at once. */
export const SUBSCRIBE_CONCURRENCY = 4;

/** One subscription the hub wants, its condition already filled in for the broadcaster. */
export interface PlannedSubscription {
  type: string;
  version: string;
  /** Created first and in order: the stream's state and the alerts depend on these. */
  critical: boolean;
  scopes: readonly string[];
  condition: Readonly<Record<string, string>>;
}

export interface CreateSubscriptionsOptions {
  sessionId: string;
  plan: readonly PlannedSubscription[];
  helix: Pick<Helix, "createSubscription">;
  logger: Logger;
  /** False once the session was replaced or the client stopped: nothing more is created. */
  isCurrent(): boolean;
  /** Each outcome as it comes, by its index in `plan`. */
  onResult(index: number, status: TwitchSubscriptionStatus): void;
  concurrency?: number;
}

/** The plan as statuses before anything was asked of Twitch. */
export function pendingStatuses(
  plan: readonly PlannedSubscription[],
  status = "pending",
): TwitchSubscriptionStatus[] {
  return plan.map(({ type, version }) => ({ type, version, id: null, status, error: null }));
}

async function createOne(
  options: CreateSubscriptionsOptions,
  planned: PlannedSubscription,
): Promise<TwitchSubscriptionStatus> {
  const { type, version } = planned;
  try {
    const created = await options.helix.createSubscription({
      type,
      version,
      condition: { ...planned.condition },
      transport: { method: "websocket", session_id: options.sessionId },
    });
    return { type, version, id: created.id, status: created.status, error: null };
  } catch (err) {
    if (err instanceof HelixError && err.status === 409) {
      return { type, version, id: null, status: "enabled", error: null };
    }
    const message = err instanceof Error ? err.message : String(err);
    options.logger.warn(
      { type, version, status: err instanceof HelixError ? err.status : null, message },
      "Twitch refused an EventSub subscription",
    );
    return { type, version, id: null, status: "failed", error: message };
  }
}

/** Creates every planned subscription for the session; resolves when all were answered. */
export async function createSubscriptions(options: CreateSubscriptionsOptions): Promise<void> {
  const indexed = options.plan.map((planned, index) => ({ planned, index }));
  const run = async ({ planned, index }: (typeof indexed)[number]) => {
    if (!options.isCurrent()) return;
    const status = await createOne(options, planned);
    if (options.isCurrent()) options.onResult(index, status);
  };
  for (const item of indexed.filter(({ planned }) => planned.critical)) await run(item);

  const rest = indexed.filter(({ planned }) => !planned.critical);
  const workers = Array.from(
    { length: Math.min(rest.length, options.concurrency ?? SUBSCRIBE_CONCURRENCY) },
    async () => {
      for (let item = rest.shift(); item !== undefined; item = rest.shift()) await run(item);
    },
  );
  await Promise.all(workers);
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
  /** Creation for fresh sessions; `replanning` is the loop applying new plans. */
  const creating = new Set<Promise<void>>();
  let replanning: Promise<void> | null = null;
  let statuses: TwitchSubscriptionStatus[] = [];
  /** Bumped per session and on stop: an older session's loop then creates nothing more. */
  let epoch = 0;
  /** The session subscriptions are created on; null while there is none, or it is moving. */
  let session: string | null = null;
  /** A new plan waits to be applied to the session. */
  let due = false;
  let stopped = false;

  /** Creates `plan[i]` for each of `indexes` on the session, writing each result at its index. */
  const create = (sessionId: string, plan: readonly PlannedSubscription[], indexes: number[]) => {
    const mine = epoch;
    return createSubscriptions({
      sessionId,
      plan: indexes.map((index) => plan[index] as PlannedSubscription),
      helix,
      logger,
      isCurrent: () => !stopped && epoch === mine,
      onResult: (k, result) => {
        statuses = statuses.map((sub, i) => (i === indexes[k] ? result : sub));
        options.onChange(result.status === "enabled");
      },
    });
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
      session = sessionId;
      due = false;
      statuses = pendingStatuses(plan);
      const run = create(
        sessionId,
        plan,
        plan.map((_, index) => index),
      )
        .catch((err) => logger.error({ err }, "EventSub subscriptions not created"))
        .finally(() => creating.delete(run));
      creating.add(run);
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
      session = null;
      statuses = statuses.map((sub) =>
        sub.status === "enabled" ? { ...sub, status: "websocket_disconnected" } : sub,
      );
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...creating, replanning]);
    },
  };
}
