/**
 * Two channels servers sharing broadcasts through the Redis adapter, seen by a scenario as one
 * server: the sockets join the subscriber node, the broadcast runs on the publisher node, so every
 * message a client times has crossed Redis. CPU is both processes'; RSS is the subscriber's.
 */
import type { ProcessGroup } from "../lib/processes";
import type { ServerStats } from "./control";
import { type ServerHandle, startServerProcess } from "./servers";

const CONNECT_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

export async function startRedisPair(group: ProcessGroup): Promise<ServerHandle> {
  // A channel of its own, so nothing else on the shared Redis hears the bench or speaks into it.
  const args = [`bench:fanout:${crypto.randomUUID()}`];
  const publisher = await startServerProcess(group, "channels", args);
  const subscriber = await startServerProcess(group, "channels", args);
  await Promise.all([connected(publisher), connected(subscriber)]);
  return {
    port: subscriber.port,
    async stats(options) {
      const [from, to] = await Promise.all([publisher.stats(options), subscriber.stats(options)]);
      return merge(from, to);
    },
    broadcast: (rate, durationS) => publisher.broadcast(rate, durationS),
    async stop() {
      await Promise.all([publisher.stop(), subscriber.stop()]);
    },
  };
}

function merge(publisher: ServerStats, subscriber: ServerStats): ServerStats {
  return {
    ...subscriber,
    cpu: {
      user: publisher.cpu.user + subscriber.cpu.user,
      system: publisher.cpu.system + subscriber.cpu.system,
    },
    broadcast: publisher.broadcast,
    server: { publisher: publisher.server, subscriber: subscriber.server },
  };
}

/** Waits for the node's adapter to be subscribed: a broadcast before that would be lost. */
async function connected(node: ServerHandle): Promise<void> {
  const deadline = performance.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    const adapter = (await node.stats()).server.adapter as { connected?: boolean } | undefined;
    if (adapter?.connected === true) return;
    if (performance.now() > deadline) throw new Error("the Redis adapter did not connect");
    await Bun.sleep(POLL_MS);
  }
}
