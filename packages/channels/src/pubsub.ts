/**
 * Fan-out through Bun's native pub/sub. A broadcast is encoded once per serializer and handed to
 * `server.publish` once per serializer topic (`v1:<topic>`, `v2:<topic>`), so V1 and V2 subscribers
 * of one topic each get their own encoding and no JS loop runs over sockets.
 *
 * The registry also counts each topic's members per serializer, so a broadcast nobody listens to
 * is never encoded, and finds the channels `info()` should reach.
 *
 * With a `PubSubAdapter`, each broadcast made here is also handed to it for the other nodes, and
 * broadcasts from them come back through `deliver`, which fans out on this node only. Without
 * one (the local default) nothing more happens than the fan-out.
 *
 * A publish that Bun reports as buffered (-1) or dropped (0) for some subscriber makes the
 * registry find the members past the back-pressure limit and close them as too slow, so no client
 * is left open while frames it never sees are dropped.
 */
import type { Server, ServerWebSocket } from "bun";
import type { PubSubAdapter } from "./adapter";
import type { Logger } from "./logger";
import type { Outbound, Payload } from "./message";
import { SERIALIZERS } from "./serializer";
import type { Serializer } from "./serializer/serializer";

/** A joined channel as the registry sees it. */
export interface Member {
  readonly topic: string;
  readonly serializer: Serializer;
  readonly ws: ServerWebSocket<unknown>;
  /** Counts a frame that back-pressure dropped for this member. */
  countDrop(): void;
  /** Closes this member's socket: more than the back-pressure limit waits for it. */
  closeTooSlow(): void;
  deliverInfo(message: unknown): void;
}

interface TopicEntry {
  members: Set<Member>;
  bySerializer: Record<Serializer["name"], number>;
  /** Members found with bytes waiting, checked on every publish Bun reports as buffered. */
  congested: Set<Member>;
  /** When all members were last checked for congestion. */
  scannedAt: number;
}

/**
 * How often a buffered publish may check every member of a topic (newly congested ones are found
 * then). A drop checks them all at once. Bun's own limit is twice ours, so a member has that
 * margin to be found before Bun drops anything for it.
 */
const RESCAN_MS = 100;

/** Bun's own back-pressure limit (past which it drops frames) is this multiple of ours. */
export const NATIVE_BACKPRESSURE_FACTOR = 2;

export interface PubSubStats {
  topics: number;
  broadcasts: number;
  /** Broadcasts back-pressure kept from at least one subscriber. (Named apart from the
   * per-client `dropped` count, which the server's stats carry next to it.) */
  broadcastsDropped: number;
}

export class PubSub {
  #server: Server<unknown> | null = null;
  readonly #topics = new Map<string, TopicEntry>();
  #broadcasts = 0;
  #dropped = 0;

  constructor(
    private readonly backpressureLimit: number,
    private readonly logger: Logger,
    private readonly adapter: PubSubAdapter | null = null,
  ) {}

  /** Publishing needs the Bun server; it is captured from the first upgrade. */
  attach(server: Server<unknown>): void {
    this.#server = server;
  }

  static nativeTopic(serializer: Serializer, topic: string): string {
    return `${serializer.name}:${topic}`;
  }

  join(member: Member): void {
    let entry = this.#topics.get(member.topic);
    if (entry === undefined) {
      entry = {
        members: new Set(),
        bySerializer: { v1: 0, v2: 0 },
        congested: new Set(),
        scannedAt: -RESCAN_MS,
      };
      this.#topics.set(member.topic, entry);
    }
    entry.members.add(member);
    entry.bySerializer[member.serializer.name]++;
    member.ws.subscribe(PubSub.nativeTopic(member.serializer, member.topic));
  }

  /** `socketOpen` is false once the socket has closed (Bun then unsubscribes it by itself). */
  leave(member: Member, socketOpen: boolean): void {
    const entry = this.#topics.get(member.topic);
    entry?.congested.delete(member);
    if (entry?.members.delete(member)) {
      entry.bySerializer[member.serializer.name]--;
      if (entry.members.size === 0) this.#topics.delete(member.topic);
    }
    if (socketOpen) member.ws.unsubscribe(PubSub.nativeTopic(member.serializer, member.topic));
  }

  /** Sends to every member of `topic`, except `except` when given (Phoenix's broadcast_from). */
  broadcast(
    topic: string,
    event: string,
    payload: Payload,
    except?: ServerWebSocket<unknown>,
  ): void {
    // Other nodes have their own subscribers, whether or not this one has any.
    this.adapter?.publish({ topic, event, payload });
    this.deliver(topic, event, payload, except);
  }

  /** Sends to this node's members of `topic` only: a broadcast another node made. */
  deliver(topic: string, event: string, payload: Payload, except?: ServerWebSocket<unknown>): void {
    const entry = this.#topics.get(topic);
    if (entry === undefined || this.#server === null) return;
    this.#broadcasts++;
    const message: Outbound = { kind: "broadcast", topic, event, payload };
    for (const serializer of SERIALIZERS) {
      if (entry.bySerializer[serializer.name] === 0) continue;
      let frame: string | Uint8Array;
      try {
        frame = serializer.encode(message);
      } catch (error) {
        this.logger.warn(
          { err: error, topic, event, vsn: serializer.vsn },
          "broadcast not encodable",
        );
        continue;
      }
      const native = PubSub.nativeTopic(serializer, topic);
      const status =
        except === undefined
          ? this.#server.publish(native, frame, false)
          : except.publish(native, frame, false);
      if (status === 0) this.#dropped++;
      if (status <= 0) this.#checkCongestion(entry, serializer, frame, status === 0);
    }
  }

  /** Hands `message` to the `handleInfo` of every channel joined to `topic` on this server. */
  info(topic: string, message: unknown): void {
    const entry = this.#topics.get(topic);
    if (entry === undefined) return;
    for (const member of entry.members) member.deliverInfo(message);
  }

  /** How many channels are joined to `topic` on this server. */
  subscribers(topic: string): number {
    return this.#topics.get(topic)?.members.size ?? 0;
  }

  stats(): PubSubStats {
    return {
      topics: this.#topics.size,
      broadcasts: this.#broadcasts,
      broadcastsDropped: this.#dropped,
    };
  }

  /**
   * Bun only says some subscriber buffered or dropped the frame; find which ones, count a drop for
   * each one past its limit and close it as too slow.
   */
  #checkCongestion(
    entry: TopicEntry,
    serializer: Serializer,
    frame: string | Uint8Array,
    dropped: boolean,
  ): void {
    const size = typeof frame === "string" ? Buffer.byteLength(frame) : frame.byteLength;
    // One stuck client makes every publish report back-pressure: check the members known to be
    // behind each time, and all of them only now and then (or on a drop), so a broadcast costs no
    // loop over sockets.
    const now = performance.now();
    const rescan = dropped || now - entry.scannedAt >= RESCAN_MS;
    if (rescan) entry.scannedAt = now;
    // Closing a member removes it from the sets: iterate over a copy.
    for (const member of [...(rescan ? entry.members : entry.congested)]) {
      if (member.serializer !== serializer) continue;
      const buffered = member.ws.getBufferedAmount();
      if (buffered === 0) {
        entry.congested.delete(member);
        continue;
      }
      entry.congested.add(member);
      // Bun dropped the frame for the members past its own limit.
      if (dropped && buffered + size > NATIVE_BACKPRESSURE_FACTOR * this.backpressureLimit)
        member.countDrop();
      if (buffered > this.backpressureLimit) member.closeTooSlow();
    }
  }
}
