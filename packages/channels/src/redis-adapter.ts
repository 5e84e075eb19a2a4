/**
 * A pub/sub adapter over Redis, modelled on phoenix_pubsub_redis: every node publishes its
 * broadcasts on one Redis channel, tagged with its node id and a sequence number, and every node
 * subscribes to that channel and fans what it hears out to its own subscribers, skipping its own
 * messages (they were delivered locally already).
 *
 * One connection publishes and one subscribes (a subscribed Redis connection can do nothing
 * else). Publishes go out in order on the one connection, so each publisher's order holds on
 * every node. While Redis is unreachable, broadcasts wait in a queue of at most `maxBuffered`,
 * and past that are dropped and counted; those in flight when the connection is lost are counted
 * as failed. Redis pub/sub delivers at most once: receivers count the gaps in each publisher's
 * sequence as `missed`.
 */
import type { RedisClient } from "bun";
import { z } from "zod";
import type { AdapterStats, PubSubAdapter, RemoteBroadcast } from "./adapter";
import { type Logger, silentLogger } from "./logger";
import { isBinary } from "./message";
import { type Backoff, RedisLink } from "./redis-link";

export interface RedisAdapterOptions {
  /** Default: `redis://127.0.0.1:6379`. */
  url?: string;
  /** The Redis channel every node of one cluster shares. Default: `channels:broadcast`. */
  channel?: string;
  /** This node's id; must differ between nodes. Default: a random UUID. */
  nodeId?: string;
  /** Broadcasts that may wait for Redis; past them new ones are dropped. Default: 10,000. */
  maxBuffered?: number;
  /** Delay before reconnecting, doubling from `minMs` to `maxMs`. Default 100 ms to 5 s. */
  backoff?: Backoff;
  logger?: Logger;
}

export const REDIS_DEFAULTS = {
  url: "redis://127.0.0.1:6379",
  channel: "channels:broadcast",
  maxBuffered: 10_000,
  backoff: { minMs: 100, maxMs: 5000 },
} as const;

/** Publishers remembered for gap counting; the least recently heard is forgotten past this. */
const MAX_PUBLISHERS = 1024;

const Envelope = z.object({
  n: z.string().min(1),
  s: z.number().int().positive(),
  t: z.string(),
  e: z.string(),
  p: z.unknown().optional(),
  /** A binary payload, base64-encoded (Redis pub/sub messages reach Bun as strings). */
  b: z.string().optional(),
});

export interface RedisAdapter extends PubSubAdapter {
  readonly nodeId: string;
}

export function createRedisAdapter(options: RedisAdapterOptions = {}): RedisAdapter {
  const url = options.url ?? REDIS_DEFAULTS.url;
  const channel = options.channel ?? REDIS_DEFAULTS.channel;
  const nodeId = options.nodeId ?? crypto.randomUUID();
  const maxBuffered = options.maxBuffered ?? REDIS_DEFAULTS.maxBuffered;
  const backoff = options.backoff ?? REDIS_DEFAULTS.backoff;
  const logger = options.logger ?? silentLogger;
  const counts = {
    published: 0,
    publishDropped: 0,
    publishFailed: 0,
    received: 0,
    missed: 0,
    malformed: 0,
  };
  let queue: string[] = [];
  let inflight = 0;
  let seq = 0;
  let closed = false;
  let deliver: ((message: RemoteBroadcast) => void) | null = null;
  const lastSeq = new Map<string, number>();

  const onMessage = (text: string) => {
    let envelope: z.infer<typeof Envelope>;
    try {
      envelope = Envelope.parse(JSON.parse(text));
    } catch {
      counts.malformed++;
      return;
    }
    if (envelope.n === nodeId || deliver === null) return;
    const last = lastSeq.get(envelope.n);
    // A publisher that restarted begins again at 1: that is not a gap.
    if (last !== undefined && envelope.s > last + 1) counts.missed += envelope.s - last - 1;
    lastSeq.delete(envelope.n);
    lastSeq.set(envelope.n, envelope.s);
    if (lastSeq.size > MAX_PUBLISHERS) lastSeq.delete(lastSeq.keys().next().value as string);
    counts.received++;
    const payload =
      envelope.b === undefined ? envelope.p : new Uint8Array(Buffer.from(envelope.b, "base64"));
    deliver({ topic: envelope.t, event: envelope.e, payload });
  };

  const pump = () => {
    const client = publisher.client;
    if (client === null || queue.length === 0) return;
    const batch = queue;
    queue = [];
    for (const text of batch) {
      inflight++;
      client.publish(channel, text).then(
        () => {
          inflight--;
          counts.published++;
        },
        () => {
          inflight--;
          counts.publishFailed++;
        },
      );
    }
  };

  const subscriber = new RedisLink(
    url,
    "subscriber",
    async (client: RedisClient) => {
      await client.subscribe(channel, onMessage);
    },
    backoff,
    logger,
  );
  const publisher = new RedisLink(
    url,
    "publisher",
    async () => {},
    backoff,
    logger,
    () => pump(),
  );

  return {
    nodeId,
    start(deliverLocally) {
      deliver = deliverLocally;
      subscriber.start();
      publisher.start();
    },
    publish(message) {
      if (closed) return;
      if (queue.length + inflight >= maxBuffered) {
        counts.publishDropped++;
        return;
      }
      seq++;
      queue.push(encode(nodeId, seq, message));
      pump();
    },
    stats(): AdapterStats {
      return {
        ...counts,
        connected: subscriber.client !== null && publisher.client !== null,
        reconnects: subscriber.reconnects + publisher.reconnects,
      };
    },
    close() {
      closed = true;
      deliver = null;
      queue = [];
      lastSeq.clear();
      subscriber.close();
      publisher.close();
    },
  };
}

function encode(nodeId: string, seq: number, message: RemoteBroadcast): string {
  const { topic, event, payload } = message;
  if (isBinary(payload)) {
    const bytes = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
    return JSON.stringify({ n: nodeId, s: seq, t: topic, e: event, b: toBase64(bytes) });
  }
  return JSON.stringify({ n: nodeId, s: seq, t: topic, e: event, p: payload });
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
