/**
 * The broadcaster's creator goals as they stand, stored as progress events once per signed-in
 * user. A seed that failed (Twitch out of reach, or refusing) is tried again at the session's next
 * welcome, or when a subscription create goes through after one could not — Twitch answering
 * again — or when the grant's scopes change; never on a timer of its own, so an outage costs one
 * Helix call per EventSub session (or per return of Helix within one) at most.
 */
import type { Logger } from "@landale/logger";
import { AppError } from "../errors";
import { type EventSubInput, notificationEvent } from "./events";
import { twitchError } from "./failures";
import type { HelixPort } from "./ports";

/** Get Creator Goals needs it; without it there is nothing to ask for. */
export const GOALS_SCOPE = "channel:read:goals";

export interface GoalSeedDeps {
  helix: HelixPort;
  /** Ingests an event until it is stored (the service's line into the pipeline). */
  store(input: EventSubInput, messageId: string): Promise<void>;
  logger: Logger;
}

/** Seeds the user's goals if the grant's `scopes` allow it and they are not seeded yet. */
export function createGoalSeed(
  deps: GoalSeedDeps,
): (user: { id: string; login: string }, scopes: readonly string[]) => Promise<void> {
  const { helix, store, logger } = deps;
  /** The user seeded (or being seeded); null after a failure, so the next chance tries again. */
  let seededGoalsFor: string | null = null;

  return async (user, scopes) => {
    if (seededGoalsFor === user.id || !scopes.includes(GOALS_SCOPE)) return;
    seededGoalsFor = user.id;
    try {
      const goals = await helix.getGoals(user.id);
      for (const goal of goals) {
        // The goal as it stands now, as the progress event EventSub would send (its field names,
        // not Helix's): the ticker shows it at once, and the id (goal and amount) makes a restart
        // with nothing new store nothing new.
        const messageId = `goal-seed:${goal.id}:${goal.current_amount}`;
        const event = {
          id: goal.id,
          broadcaster_user_id: goal.broadcaster_id,
          broadcaster_user_login: goal.broadcaster_login ?? user.login,
          broadcaster_user_name: goal.broadcaster_name ?? user.login,
          type: goal.type,
          description: goal.description,
          current_amount: goal.current_amount,
          target_amount: goal.target_amount,
          started_at: goal.created_at,
        };
        await store(notificationEvent(messageId, "channel.goal.progress", event), messageId).catch(
          // The catalogue refused this goal (logged with its fields): the others still count.
          (err) => {
            if (!(err instanceof AppError && err.status === 422)) throw err;
          },
        );
      }
    } catch (err) {
      if (seededGoalsFor === user.id) seededGoalsFor = null;
      logger.warn({ err: twitchError(err).message }, "Twitch goals not loaded; tried again later");
    }
  };
}
