/**
 * One Redis connection that comes back: Bun's client gives up after `maxRetries` and does not
 * restore subscriptions, so this owns reconnection itself. Each attempt is a fresh `RedisClient`
 * (no auto-reconnect, no offline queue: what waits for Redis is counted and bounded by the
 * adapter), set up by `onUp` (subscribe, flush) before the link counts as up.
 */
import { RedisClient } from "bun";
import type { Logger } from "./logger";

export interface Backoff {
  minMs: number;
  maxMs: number;
}

export class RedisLink {
  #client: RedisClient | null = null;
  #up = false;
  #closed = false;
  #attempt = 0;
  #everUp = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  reconnects = 0;

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly onUp: (client: RedisClient) => Promise<void>,
    private readonly backoff: Backoff,
    private readonly logger: Logger,
    /** Runs each time the link is up, to send what waited for it. */
    private readonly onReady: () => void = () => {},
  ) {}

  /** The client, while it is connected and set up. */
  get client(): RedisClient | null {
    return this.#up ? this.#client : null;
  }

  start(): void {
    void this.#open();
  }

  close(): void {
    this.#closed = true;
    this.#up = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    if (client !== null) {
      client.onclose = null;
      client.close();
    }
  }

  async #open(): Promise<void> {
    this.#timer = null;
    if (this.#closed) return;
    const client = new RedisClient(this.url, {
      autoReconnect: false,
      enableOfflineQueue: false,
      connectionTimeout: 2000,
    });
    this.#client = client;
    client.onclose = (error) => this.#lost(client, error);
    try {
      await client.connect();
      await this.onUp(client);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#client !== client) return;
    this.#up = true;
    this.#attempt = 0;
    if (this.#everUp) this.reconnects++;
    this.#everUp = true;
    this.logger.info({ link: this.name }, "redis connected");
    this.onReady();
  }

  /** Runs once per client, whichever of the failed setup and `onclose` comes first. */
  #lost(client: RedisClient, error: unknown): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = null;
    const wasUp = this.#up;
    this.#up = false;
    client.onclose = null;
    client.close();
    const delay = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 16);
    if (wasUp || this.#attempt === 1) {
      this.logger.warn({ link: this.name, err: error, retryInMs: delay }, "redis connection lost");
    }
    this.#timer = setTimeout(() => void this.#open(), delay);
  }
}
