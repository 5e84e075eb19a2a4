/**
 * One pass of creating EventSub subscriptions for a WebSocket session over Helix: the critical
 * group first, one at a time and in the plan's order, then the rest a few at a time. Twitch's 409
 * ("subscription already exists") counts as enabled; any other failure is that one's `failed`,
 * said to pass or not (`./eventsub-retry`), and the others carry on. A 401 has already been
 * through the auth (the Helix core).
 */
import type { Logger } from "@landale/logger";
import type { TwitchSubscriptionStatus } from "@landale/shared";
import { isTransient } from "./eventsub-retry";
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
  /** Each outcome as it comes, by its index in `plan`; `transient`: it may succeed if tried again. */
  onResult(index: number, status: TwitchSubscriptionStatus, transient: boolean): void;
  concurrency?: number;
}

/** One create's outcome; `transient`: it failed for a reason that passes (tried again later). */
async function createOne(
  options: CreateSubscriptionsOptions,
  planned: PlannedSubscription,
): Promise<{ status: TwitchSubscriptionStatus; transient: boolean }> {
  const { type, version } = planned;
  const outcome = (id: string | null, status: string, error: string | null, transient = false) => ({
    status: { type, version, id, status, error },
    transient,
  });
  try {
    const created = await options.helix.createSubscription({
      type,
      version,
      condition: { ...planned.condition },
      transport: { method: "websocket", session_id: options.sessionId },
    });
    return outcome(created.id, created.status, null);
  } catch (err) {
    if (err instanceof HelixError && err.status === 409) return outcome(null, "enabled", null);
    const message = err instanceof Error ? err.message : String(err);
    const status = err instanceof HelixError ? err.status : null;
    // One that passes is tried again with the others of its pass, which says so once.
    if (isTransient(err)) {
      options.logger.debug({ type, version, status, message }, "EventSub subscription not created");
      return outcome(null, "failed", message, true);
    }
    options.logger.warn(
      { type, version, status, message },
      "Twitch refused an EventSub subscription",
    );
    return outcome(null, "failed", message);
  }
}

/** Creates every planned subscription for the session; resolves when all were answered. */
export async function createSubscriptions(options: CreateSubscriptionsOptions): Promise<void> {
  const indexed = options.plan.map((planned, index) => ({ planned, index }));
  const run = async ({ planned, index }: (typeof indexed)[number]) => {
    if (!options.isCurrent()) return;
    const { status, transient } = await createOne(options, planned);
    if (options.isCurrent()) options.onResult(index, status, transient);
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
