/** The broadcaster's creator goals as they stand, stored as progress events when a session starts. */
import type { Logger } from "@landale/logger";
import { type EventSubInput, notificationEvent } from "./events";
import { twitchError } from "./failures";
import type { HelixPort } from "./ports";

export interface GoalSeedDeps {
  helix: HelixPort;
  /** Ingests an event until it is stored (the service's line into the pipeline). */
  store(input: EventSubInput, messageId: string): Promise<void>;
  logger: Logger;
}

/**
 * Seeds the user's goals, once per signed-in user (again after another user's); a seed that failed
 * is tried again at the user's next session.
 */
export function createGoalSeed(
  deps: GoalSeedDeps,
): (user: { id: string; login: string }) => Promise<void> {
  const { helix, store, logger } = deps;
  let seededGoalsFor: string | null = null;

  return async (user) => {
    if (seededGoalsFor === user.id) return;
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
        await store(notificationEvent(messageId, "channel.goal.progress", event), messageId);
      }
    } catch (err) {
      seededGoalsFor = null;
      logger.warn({ err: twitchError(err).message }, "Twitch goals not loaded");
    }
  };
}
