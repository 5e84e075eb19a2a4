/** The servers' side of the bench: a fixed-rate broadcast loop and the HTTP control API around it. */
import { heapSize } from "bun:jsc";
import { type TickPayload, tickPayload, wallClock } from "./wire";

export const CONTROL_PREFIX = "/control/";
const MAX_RATE = 10_000;
const MAX_DURATION_S = 600;

export interface BroadcastStats {
  running: boolean;
  total: number;
  sent: number;
  /** Wall-clock times (see `wallClock`) of the first and last publish; 0 before the first. */
  firstSentAt: number;
  lastSentAt: number;
  /** How far the loop fell behind its schedule, at worst (ms), and its largest catch-up burst. */
  maxLagMs: number;
  maxBurst: number;
}

export interface ServerStats {
  rss: number;
  /** Bytes of live objects on the JavaScript heap (bun:jsc heapSize). */
  heap: number;
  /** process.cpuUsage(): microseconds of user and system time since the process started. */
  cpu: { user: number; system: number };
  connections: number;
  broadcast: BroadcastStats;
  /** What the server under test reports about itself. */
  server: Record<string, unknown>;
}

export interface Broadcaster {
  /** Publishes `rate` messages a second for `durationS` seconds; false if already running. */
  start(rate: number, durationS: number): boolean;
  stats(): BroadcastStats;
}

/**
 * Each message is due at `seq × interval`; a late tick sends every message already due. A broadcast
 * ends by itself after `rate × duration` messages, so it needs no stop.
 */
export function createBroadcaster(publish: (payload: TickPayload) => void): Broadcaster {
  let stats = emptyStats(0);

  const run = (intervalMs: number, startedAt: number) => {
    const now = performance.now();
    const due = Math.min(stats.total, Math.floor((now - startedAt) / intervalMs) + 1);
    stats.maxBurst = Math.max(stats.maxBurst, due - stats.sent);
    stats.maxLagMs = Math.max(stats.maxLagMs, now - (startedAt + stats.sent * intervalMs));
    while (stats.sent < due) {
      stats.sent++;
      const sentAt = wallClock();
      if (stats.firstSentAt === 0) stats.firstSentAt = sentAt;
      stats.lastSentAt = sentAt;
      publish(tickPayload(stats.sent, sentAt));
    }
    if (stats.sent >= stats.total) {
      stats.running = false;
      return;
    }
    const wait = Math.max(0, startedAt + stats.sent * intervalMs - performance.now());
    setTimeout(() => run(intervalMs, startedAt), wait);
  };

  return {
    start(rate, durationS) {
      if (stats.running) return false;
      stats = emptyStats(Math.round(rate * durationS));
      stats.running = stats.total > 0;
      if (stats.running) run(1000 / rate, performance.now());
      return true;
    },
    stats: () => ({ ...stats }),
  };
}

function emptyStats(total: number): BroadcastStats {
  return {
    running: false,
    total,
    sent: 0,
    firstSentAt: 0,
    lastSentAt: 0,
    maxLagMs: 0,
    maxBurst: 0,
  };
}

export interface ControlOptions {
  broadcaster: Broadcaster;
  connections(): number;
  serverStats(): Record<string, unknown>;
}

/**
 * `POST /control/broadcast?rate=R&duration=S` starts a broadcast (409 while one runs);
 * `GET /control/stats[?gc=1]` reports progress, RSS and CPU, after a full GC when asked.
 */
export function createControlHandler(options: ControlOptions): (request: Request) => Response {
  return (request) => {
    const url = new URL(request.url);
    const action = url.pathname.slice(CONTROL_PREFIX.length);
    if (action === "broadcast" && request.method === "POST") return startBroadcast(url, options);
    if (action === "stats" && request.method === "GET") return reportStats(url, options);
    return new Response("not found", { status: 404 });
  };
}

function startBroadcast(url: URL, options: ControlOptions): Response {
  const rate = Number(url.searchParams.get("rate"));
  const duration = Number(url.searchParams.get("duration"));
  if (!(rate > 0 && rate <= MAX_RATE) || !(duration > 0 && duration <= MAX_DURATION_S)) {
    return new Response(`rate must be in (0, ${MAX_RATE}], duration in (0, ${MAX_DURATION_S}]`, {
      status: 400,
    });
  }
  if (!options.broadcaster.start(rate, duration)) {
    return new Response("a broadcast is running", { status: 409 });
  }
  return Response.json(options.broadcaster.stats(), { status: 202 });
}

function reportStats(url: URL, options: ControlOptions): Response {
  if (url.searchParams.get("gc") === "1") Bun.gc(true);
  const stats: ServerStats = {
    rss: process.memoryUsage().rss,
    heap: heapSize(),
    cpu: process.cpuUsage(),
    connections: options.connections(),
    broadcast: options.broadcaster.stats(),
    server: options.serverStats(),
  };
  return Response.json(stats);
}

/** The line a server prints on stdout once it listens; the driver waits for it. */
export function announceReady(port: number | undefined): void {
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
}
