/**
 * What the hub says is on stream, as the dashboard keeps it: the last `stream_state` and
 * `queue_state` pushed (on join, after every change, and again after each reconnect). Held in a
 * store reconciled by id, so a push changes only what changed and a row a streamer is tabbing
 * through keeps its focus. While the link is down the last state stays on screen.
 */
import type { LandaleClient } from "@landale/client";
import {
  PUSH,
  type QueueState,
  STREAM_OVERLAYS,
  STREAM_QUEUE,
  type StreamState,
} from "@landale/shared";
import { onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";

export interface LiveState {
  stream: StreamState | null;
  queue: QueueState | null;
  /** When the last push arrived (epoch ms), null before the first. */
  receivedAt: number | null;
}

/** Must run inside an owner: the subscriptions end when it is cleaned up. */
export function createLiveState(client: LandaleClient): LiveState {
  const [live, setLive] = createStore<LiveState>({ stream: null, queue: null, receivedAt: null });
  const stops = [
    client.subscribe(STREAM_OVERLAYS, PUSH.streamState, (state) => {
      setLive("stream", reconcile(state, { key: "id" }));
      setLive("receivedAt", Date.now());
    }),
    client.subscribe(STREAM_QUEUE, PUSH.queueState, (state) => {
      setLive("queue", reconcile(state, { key: "id" }));
      setLive("receivedAt", Date.now());
    }),
  ];
  onCleanup(() => {
    for (const stop of stops) stop();
  });
  return live;
}
