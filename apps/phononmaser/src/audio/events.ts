/**
 * `/events`: read-only subscribers get `audio:chunk` (at most one per source per interval) and
 * `audio:transcription`, in the older worker's shapes. Audio sources never get them. A subscriber
 * that does not read is not waited for: past `maxBufferedBytes` unsent, its messages are dropped
 * and counted.
 */

/** What the fan-out needs of a socket (Bun's `ServerWebSocket` has it). */
export interface Subscriber {
  send(data: string): number;
  getBufferedAmount(): number;
}

export interface ChunkEvent {
  /** Wall-clock µs of the chunk. */
  timestampUs: number;
  sourceId: string;
  sourceName: string;
  /** PCM bytes in the chunk. */
  size: number;
}

export interface TranscriptionEvent {
  /** Wall-clock µs of the segment's start. */
  timestampUs: number;
  durationSeconds: number;
  text: string;
}

export interface EventFanoutOptions {
  maxSubscribers: number;
  /** Unsent bytes past which a subscriber's messages are dropped. */
  maxBufferedBytes: number;
  /** At most one `audio:chunk` per source per this many ms. */
  chunkIntervalMs: number;
  /** The most sources whose last chunk time is kept (a bound on the rate limiter's map). */
  maxSources: number;
  now?: () => number;
}

export class EventFanout {
  private readonly subscribers = new Set<Subscriber>();
  private readonly lastChunkAt = new Map<string, number>();
  private readonly now: () => number;
  /** Messages not sent to a subscriber that was behind. */
  dropped = 0;

  constructor(private readonly options: EventFanoutOptions) {
    this.now = options.now ?? performance.now.bind(performance);
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** False when full: the caller refuses the subscriber. */
  add(subscriber: Subscriber): boolean {
    if (this.subscribers.size >= this.options.maxSubscribers) return false;
    this.subscribers.add(subscriber);
    return true;
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  /** A source ended: its rate limit entry goes. */
  forgetSource(sourceId: string): void {
    this.lastChunkAt.delete(sourceId);
  }

  chunk(event: ChunkEvent): void {
    const now = this.now();
    const last = this.lastChunkAt.get(event.sourceId);
    if (last !== undefined && now - last < this.options.chunkIntervalMs) return;
    if (last === undefined && this.lastChunkAt.size >= this.options.maxSources) {
      const oldest = this.lastChunkAt.keys().next().value;
      if (oldest !== undefined) this.lastChunkAt.delete(oldest);
    }
    this.lastChunkAt.delete(event.sourceId);
    this.lastChunkAt.set(event.sourceId, now);
    this.broadcast({
      type: "audio:chunk",
      timestamp: Math.round(event.timestampUs),
      source_id: event.sourceId,
      source_name: event.sourceName,
      size: event.size,
    });
  }

  transcription(event: TranscriptionEvent): void {
    this.broadcast({
      type: "audio:transcription",
      timestamp: Math.round(event.timestampUs),
      duration: event.durationSeconds,
      text: event.text,
    });
  }

  private broadcast(message: object): void {
    if (this.subscribers.size === 0) return;
    const text = JSON.stringify(message);
    for (const subscriber of this.subscribers) {
      if (subscriber.getBufferedAmount() > this.options.maxBufferedBytes) {
        this.dropped++;
        continue;
      }
      // Bun answers 0 when the socket is closing: nothing was sent.
      if (subscriber.send(text) === 0) this.dropped++;
    }
  }
}
