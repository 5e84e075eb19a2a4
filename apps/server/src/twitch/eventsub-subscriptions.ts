/**
 * Creating a WebSocket session's EventSub subscriptions over Helix: the critical group first, one
 * at a time and in the plan's order, then the rest a few at a time. Twitch's 409 ("subscription
 * already exists") counts as enabled; any other refusal marks that one `failed` with Twitch's
 * message and the others carry on. A 401 has already been through the auth (the Helix core).
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
  revoked(subscription: { id: string; type: string; version: string; status: string }): void;
  /** The session is gone: Twitch disabled its subscriptions; creating for it stops. */
  disconnected(): void;
  /** Stops creating and waits for the requests under way. */
  stop(): Promise<void>;
}

export interface SubscriptionBookOptions {
  plan(): readonly PlannedSubscription[];
  helix: Pick<Helix, "createSubscription">;
  logger: Logger;
  /** A status changed; `enabled` when that change enabled a subscription. */
  onChange(enabled: boolean): void;
}

/** The statuses of the current session's subscriptions, and their creation. */
export function createSubscriptionBook(options: SubscriptionBookOptions): SubscriptionBook {
  const running = new Set<Promise<void>>();
  let statuses: TwitchSubscriptionStatus[] = [];
  /** Bumped per session and on stop: an older session's loop then creates nothing more. */
  let epoch = 0;
  let stopped = false;

  return {
    list: () => statuses.map((sub) => ({ ...sub })),
    subscribe(sessionId) {
      const plan = options.plan();
      const mine = ++epoch;
      statuses = pendingStatuses(plan);
      const run = createSubscriptions({
        sessionId,
        plan,
        helix: options.helix,
        logger: options.logger,
        isCurrent: () => !stopped && epoch === mine,
        onResult: (index, result) => {
          statuses = statuses.map((sub, i) => (i === index ? result : sub));
          options.onChange(result.status === "enabled");
        },
      })
        .catch((err) => options.logger.error({ err }, "EventSub subscriptions not created"))
        .finally(() => running.delete(run));
      running.add(run);
    },
    revoked(subscription) {
      statuses = markRevoked(statuses, subscription);
      options.onChange(false);
    },
    disconnected() {
      epoch += 1;
      statuses = statuses.map((sub) =>
        sub.status === "enabled" ? { ...sub, status: "websocket_disconnected" } : sub,
      );
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...running]);
    },
  };
}
