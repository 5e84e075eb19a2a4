/**
 * The `ironmon:*` queries of `dashboard:main`, named as the older system's channel named them
 * (the REST mirror is `/api/ironmon/*`): the TCP ingest's status, challenges, checkpoints, their
 * stats with clear rates, recent results, and the active run (`ironmon:active_challenge`).
 */
import {
  IronmonChallengeQuery,
  type IronmonCommandName,
  IronmonResultsQuery,
} from "@landale/shared";
import type { IronmonService } from "../ironmon/service";
import { commandPayload } from "./payload";

export function ironmonCommand(
  ironmon: IronmonService,
  command: IronmonCommandName,
  payload: unknown,
): Promise<object> {
  switch (command) {
    case "ironmon:status":
      return Promise.resolve(ironmon.status());
    case "ironmon:challenges":
      return ironmon.challenges();
    case "ironmon:checkpoints":
      return ironmon.checkpoints(commandPayload(IronmonChallengeQuery, payload).challenge_id);
    case "ironmon:checkpoint_stats":
      return ironmon.checkpointStats(commandPayload(IronmonChallengeQuery, payload).challenge_id);
    case "ironmon:recent_results":
      return ironmon.recentResults(commandPayload(IronmonResultsQuery, payload).limit);
    case "ironmon:active_challenge":
      return ironmon.activeRun();
  }
}
