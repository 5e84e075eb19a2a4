/**
 * The Stream context view's state. It follows `new_context` on `contexts:live` and reads the
 * stored contexts back (`GET /api/contexts`) when the view opens and whenever the connection comes
 * back (what the AI worker stored while it was down), merged by id and bounded. Created in the
 * view's owner; its subscription ends with it.
 */
import type { ClientStatus, LandaleClient } from "@landale/client";
import { CONTEXTS_LIVE, PUSH, type StreamContext } from "@landale/shared";
import type { Accessor } from "solid-js";
import type { Api } from "../hub/api";
import { createLiveList, type LiveList } from "../hub/live-list";
import { HISTORY_LIMIT, mergeContexts } from "./context";

/** Newest window first. */
export type ContextFeed = LiveList<StreamContext>;

/** Must run inside an owner. */
export function createContextFeed(
  client: LandaleClient,
  api: Api,
  status: Accessor<ClientStatus>,
): ContextFeed {
  return createLiveList({
    status,
    follow: (take) => client.subscribe(CONTEXTS_LIVE, PUSH.newContext, take),
    readBack: async () => (await api.contexts(HISTORY_LIMIT)).contexts,
    merge: mergeContexts,
  });
}
