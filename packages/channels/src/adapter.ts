/**
 * How broadcasts leave one channel server for the others, as Phoenix.PubSub's adapters do. A
 * server without an adapter is the local one: `server.publish` fan-out on this node and nothing
 * else, at no extra cost. With an adapter, every broadcast made here is also handed to
 * `publish`, and the adapter hands broadcasts made on other nodes back to `deliver`, which fans
 * them out to this node's subscribers only (never back to the adapter).
 */
import type { Payload } from "./message";

export interface RemoteBroadcast {
  readonly topic: string;
  readonly event: string;
  readonly payload: Payload;
}

export interface AdapterStats {
  /** True while the adapter can both send and receive. */
  connected: boolean;
  /** Broadcasts handed to the transport. */
  published: number;
  /** Broadcasts refused because `maxBuffered` were already waiting for the transport. */
  publishDropped: number;
  /** Broadcasts the transport failed to take (in flight when the connection was lost). */
  publishFailed: number;
  /** Broadcasts from other nodes delivered here. */
  received: number;
  /** Broadcasts from other nodes known lost: gaps in a publisher's sequence numbers. */
  missed: number;
  /** Messages on the transport that were not broadcasts this adapter understands. */
  malformed: number;
  /** Connections re-established after a loss. */
  reconnects: number;
}

export interface PubSubAdapter {
  /** Called once by the server before any broadcast. */
  start(deliver: (message: RemoteBroadcast) => void): void;
  /** A broadcast made on this node, already delivered to its local subscribers. It must be
   * serialized now: the payload may change after this returns. */
  publish(message: RemoteBroadcast): void;
  stats(): AdapterStats;
  /** Releases every connection and timer; later publishes are ignored. */
  close(): void;
}
