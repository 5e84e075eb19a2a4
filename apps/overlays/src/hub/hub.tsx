/**
 * The page's one link to the hub, owned by the page's root: `createHub` opens the client and
 * closes it when the root is disposed; the root provides the client to `useSubscription`
 * (`@landale/client/solid`). Components never open sockets of their own.
 */
import { type ClientStatus, createClient, type LandaleClient } from "@landale/client";
import { type Accessor, createContext, createSignal, onCleanup, useContext } from "solid-js";
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
