/**
 * The EventSub WebSocket client (dev.twitch.tv "Handling WebSocket Events"). On the welcome, the
 * planned subscriptions are created for its session id (Twitch closes an unused session with 4003
 * after 10 s); a changed plan (`replan`) is applied to the live session. Notifications and
 * revocations go to `./eventsub-inbox` in arrival order. No message for keepalive_timeout_seconds
 * (plus grace): the connection is presumed dead, a fresh one is opened at once and everything
 * resubscribed. Any other close: the same after a capped, jittered backoff. `session_reconnect`:
 * open the reconnect_url while still reading the old connection; at the new welcome the
 * subscriptions have moved. The old connection is drained before it is closed with 1000, as a
 * WebSocket drops whatever arrives after its own close(): frames from the new connection wait, in
 * order, until the old one has closed (Twitch closing it, or `drainMs` passing).
 */
import type { Logger } from "@landale/logger";
import type { EventSubState, TwitchStatus } from "@landale/shared";
import { type EventSubConnection, openConnection } from "./eventsub-connection";
import type { EventSubNotification } from "./eventsub-delivery";
import { createEventSubInbox, type EventSubRevocation } from "./eventsub-inbox";
import { EVENTSUB_CLOSE_REASONS, type EventSubMessage } from "./eventsub-messages";
import { backoffDelay } from "./eventsub-retry";
import { createSubscriptionBook, type PlannedSubscription } from "./eventsub-subscriptions";
import type { Helix } from "./helix";

export type { EventSubNotification } from "./eventsub-delivery";
export type { EventSubRevocation } from "./eventsub-inbox";
export type { PlannedSubscription } from "./eventsub-subscriptions";

export interface EventSubTimings {
  /** Silence allowed past keepalive_timeout_seconds: this share of it, at least `graceMinMs`. */
  keepaliveGrace: number;
  keepaliveGraceMinMs: number;
  /** From opening a connection to its welcome. */
  connectTimeoutMs: number;
  /** How long the old connection may still deliver after the new one's welcome. */
  drainMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_EVENTSUB_TIMINGS: EventSubTimings = {
  keepaliveGrace: 0.2,
  keepaliveGraceMinMs: 1_000,
  connectTimeoutMs: 10_000,
  drainMs: 1_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
};

export interface EventSubSocketDeps {
  /** TWITCH_EVENTSUB_WS_URL. */
  url: string;
  /** The plan for a new session, conditions filled in, in order (critical first). */
  subscriptions(): readonly PlannedSubscription[];
  helix: Pick<Helix, "createSubscription" | "deleteSubscription">;
  /** Stores the notification (the hub ingests `twitch:<messageId>`); resolves once committed. */
  deliver(notification: EventSubNotification): Promise<void>;
  onRevocation(revocation: EventSubRevocation): void;
  /** Called on every change of state or of a subscription's status. */
  onChange(): void;
  /** A session was welcomed, fresh or after a reconnect: Twitch answers again. */
  onWelcome(): void;
  /** A create went through after one failed for a reason that passes: Twitch answers again. */
  onRecovered(): void;
  logger: Logger;
  timings?: Partial<EventSubTimings>;
  random?: () => number;
}

export type EventSubSocketStatus = TwitchStatus["eventsub"];

export interface EventSubSocket {
  status(): EventSubSocketStatus;
  /** What status() leaves out: frames that did not parse, and the delivery line's counts. */
  counters(): { malformed: number; failed: number; overflowed: number; queued: number };
  /** `subscriptions()` changed: the live session gets what it adds and drops what it does not. */
  replan(): void;
  stop(): Promise<void>;
}

type Conn = EventSubConnection;
type Welcome = Extract<EventSubMessage, { kind: "welcome" }>;

export function startEventSubSocket(deps: EventSubSocketDeps): EventSubSocket {
  const { logger } = deps;
  const timings = { ...DEFAULT_EVENTSUB_TIMINGS, ...deps.timings, random: deps.random };
  const counts = { reconnects: 0, malformed: 0 };
  let state: EventSubState = "connecting";
  /** The session in use, or the fresh connection waiting for its welcome. */
  let current: Conn | null = null;
  /** The reconnect_url's connection, until its welcome. */
  let incoming: Conn | null = null;
  /** The connection a reconnect replaced, draining; `heir` holds its frames until it is done. */
  let retiring: { conn: Conn; heir: Conn; timer: ReturnType<typeof setTimeout> } | null = null;
  let session: { id: string; connectedAt: string; keepaliveSeconds: number } | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const book = createSubscriptionBook({
    plan: deps.subscriptions,
    helix: deps.helix,
    logger,
    backoff: timings,
    onRecovered: deps.onRecovered,
    onChange: (enabled) => {
      // A session that got a subscription is a success: the next failure starts backoff over.
      if (enabled) attempt = 0;
      deps.onChange();
    },
  });
  const inbox = createEventSubInbox({
    deliver: deps.deliver,
    logger,
    onRevocation: (revocation) => {
      book.revoked(revocation.subscription);
      deps.onRevocation(revocation);
    },
  });

  const changed = (next: EventSubState) => {
    state = next;
    deps.onChange();
  };

  /** The old connection is done: closes it (a no-op if it closed itself), then runs what was held. */
  const finishRetiring = () => {
    if (retiring === null) return;
    const { conn, heir, timer } = retiring;
    retiring = null;
    clearTimeout(timer);
    conn.close("reconnected");
    heir.release();
  };

  /** Closes every connection (handling what was held first) and forgets the session. */
  const abandonAll = (reason: string) => {
    finishRetiring();
    for (const conn of [incoming, current]) conn?.close(reason);
    incoming = current = session = null;
    book.disconnected();
  };

  const open = (url: string): Conn | null => {
    const conn: Conn | null = openConnection(url, timings.connectTimeoutMs, {
      onMessage: (message) => conn && handle(conn, message),
      onMalformed: (error) => {
        counts.malformed += 1;
        logger.warn({ error, malformed: counts.malformed }, "EventSub message ignored: malformed");
      },
      onTimeout: (kind) => conn && timedOut(conn, kind),
      onClose: (code, reason) => conn && closed(conn, code, reason),
    });
    if (conn === null) logger.error("EventSub connection could not be opened");
    return conn;
  };

  const connectFresh = () => {
    retryTimer = null;
    if (stopped) return;
    current = open(deps.url);
    if (current === null) scheduleFresh();
  };

  const scheduleFresh = () => {
    if (stopped || retryTimer !== null) return;
    const delay = backoffDelay(timings, ++attempt);
    logger.info({ delayMs: delay, attempt }, "EventSub reconnecting after a delay");
    retryTimer = setTimeout(connectFresh, delay);
  };

  /** The session is lost: start a fresh one, at once or after a backoff. */
  const restart = (reason: string, now: boolean) => {
    abandonAll(reason);
    changed(state === "connecting" ? "connecting" : "reconnecting");
    if (now) connectFresh();
    else scheduleFresh();
  };

  function timedOut(conn: Conn, kind: "welcome" | "silence") {
    if (kind === "welcome") {
      logger.warn({ reconnect: conn === incoming }, "EventSub connection got no welcome in time");
      return restart("no welcome", false);
    }
    logger.warn({ sessionId: conn.sessionId }, "EventSub keepalive missed; starting a new session");
    counts.reconnects += 1;
    restart("keepalive timeout", true);
  }

  function closed(conn: Conn, code: number, reason: string) {
    if (conn === retiring?.conn) return finishRetiring();
    if (conn === current && incoming !== null) {
      // The old connection went first (e.g. Twitch's 4004); the new one's welcome takes over.
      current = null;
      return;
    }
    const named = EVENTSUB_CLOSE_REASONS[code] ?? null;
    const what = conn === incoming ? "reconnect_url connection" : "connection";
    logger.warn({ code, named, reason, sessionId: conn.sessionId }, `EventSub ${what} closed`);
    if (conn === current && conn.sessionId !== null) counts.reconnects += 1;
    restart("closed", false);
  }

  function handle(conn: Conn, message: EventSubMessage) {
    switch (message.kind) {
      case "welcome":
        return welcomed(conn, message);
      case "reconnect":
        return reconnectTo(conn, message.session.reconnect_url);
      case "notification":
      case "revocation":
        return inbox.take(message);
      case "other":
        return logger.warn({ type: message.type }, "EventSub message of an unknown type ignored");
      case "keepalive":
        return;
    }
  }

  function welcomed(conn: Conn, { session: welcome }: Welcome) {
    const fresh = conn === current && conn.sessionId === null;
    if (conn !== incoming && !fresh) {
      logger.warn({ sessionId: welcome.id }, "EventSub welcome on a welcomed connection ignored");
      return;
    }
    const seconds = welcome.keepalive_timeout_seconds;
    const grace = Math.max(timings.keepaliveGraceMinMs, seconds * 1000 * timings.keepaliveGrace);
    conn.sessionId = welcome.id;
    conn.watch(seconds * 1000 + grace);
    session = { id: welcome.id, connectedAt: welcome.connected_at, keepaliveSeconds: seconds };
    deps.onWelcome();
    if (fresh) {
      logger.info(
        { sessionId: welcome.id, keepaliveSeconds: seconds },
        "EventSub session welcomed",
      );
      book.subscribe(welcome.id);
      return changed("connected");
    }
    // Twitch moved the subscriptions here; the old connection drains, then closes.
    const old = current;
    incoming = null;
    current = conn;
    attempt = 0;
    book.moved(welcome.id);
    if (old !== null) {
      finishRetiring();
      conn.hold();
      retiring = { conn: old, heir: conn, timer: setTimeout(finishRetiring, timings.drainMs) };
    }
    logger.info({ sessionId: welcome.id }, "EventSub session reconnected");
    changed("connected");
  }

  function reconnectTo(conn: Conn, url: string) {
    if (conn !== current || conn.sessionId === null) return;
    // Silence on the old connection no longer matters: the new one's connect timeout covers it.
    conn.watch(null);
    incoming?.close("superseded");
    logger.info({ sessionId: conn.sessionId }, "EventSub session_reconnect: to reconnect_url");
    counts.reconnects += 1;
    book.moving();
    incoming = open(url);
    if (incoming === null) return restart("reconnect_url refused", false);
    changed("reconnecting");
  }

  connectFresh();

  return {
    status: () => {
      const { notifications, refused, duplicates } = inbox.counts();
      return {
        state,
        session_id: session?.id ?? null,
        connected_at: session?.connectedAt ?? null,
        keepalive_seconds: session?.keepaliveSeconds ?? null,
        subscriptions: book.list(),
        notifications,
        refused,
        duplicates,
        reconnects: counts.reconnects,
      };
    },
    counters: () => {
      const { failed, overflowed, queued } = inbox.counts();
      return { malformed: counts.malformed, failed, overflowed, queued };
    },
    replan: () => book.replan(),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(retryTimer ?? undefined);
      clearTimeout(retiring?.timer);
      for (const conn of [retiring?.conn, incoming, current]) conn?.close("stopping");
      retiring = incoming = current = session = null;
      await book.stop();
      await inbox.stop();
      changed("stopped");
    },
  };
}
