/**
 * `@landale/client/solid`: the client in a Solid app. The app's root provides its client with
 * `ClientContext`; `useSubscription` subscribes for as long as the calling owner lives, typed by
 * the topic's declaration and the event, so a component never opens a socket nor unsubscribes.
 */
import type { PushName, PushPayload, Topic } from "@landale/shared";
import { createContext, onCleanup, useContext } from "solid-js";
import type { LandaleClient } from "./client";

export const ClientContext = createContext<LandaleClient>();

/** The client the app's root provides. */
export function useClient(): LandaleClient {
  const client = useContext(ClientContext);
  if (client === undefined) throw new Error("useClient() outside a ClientContext.Provider");
  return client;
}

/**
 * Calls `handler` with each `event` on `topic` that passes its schema, until the calling owner
 * is cleaned up. The handler runs outside any reactive scope, as the socket calls it. The client
 * is the context's unless given.
 */
export function useSubscription<T extends Topic, E extends PushName<T>>(
  topic: T,
  event: E,
  handler: (payload: PushPayload<T, E>) => void,
  client: LandaleClient = useClient(),
): void {
  onCleanup(client.subscribe(topic, event, handler));
}
