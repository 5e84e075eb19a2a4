/**
 * The page's one link to the hub, owned by the page's root: `createHub` opens the client and
 * closes it when the root is disposed; `useSubscription` subscribes for as long as the calling
 * component lives. Components never open sockets of their own.
 */
import { type ClientStatus, createClient, type LandaleClient } from "@landale/client";
import { type Accessor, createContext, createSignal, onCleanup, useContext } from "solid-js";
import type { z } from "zod";
import type { PageConfig } from "../page/config";

export interface Hub {
  client: LandaleClient;
  status: Accessor<ClientStatus>;
}

export const HubContext = createContext<Hub>();

/** Opens the client; must run inside an owner, which closes it on cleanup. */
export function createHub(config: PageConfig): Hub {
  const client = createClient({ url: config.socketUrl, params: config.params });
  const [status, setStatus] = createSignal<ClientStatus>(client.status());
  const stopStatus = client.onStatus(setStatus);
  onCleanup(() => {
    stopStatus();
    client.close();
  });
  return { client, status };
}

export function useHub(): Hub {
  const hub = useContext(HubContext);
  if (hub === undefined) throw new Error("useHub() outside a page root");
  return hub;
}

/**
 * Calls `handler` with each `event` on `topic` that passes `schema`, until the calling owner is
 * cleaned up. The handler runs outside any reactive scope, as the socket calls it.
 */
export function useSubscription<S extends z.ZodType>(
  topic: string,
  event: string,
  schema: S,
  handler: (payload: z.infer<S>) => void,
): void {
  const stop = useHub().client.subscribe(topic, event, schema, handler);
  onCleanup(stop);
}
