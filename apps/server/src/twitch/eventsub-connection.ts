/**
 * One EventSub WebSocket connection: frames parsed in arrival order, a timer that gives it up (no
 * welcome in time, then no frame within the keepalive window), and a hold that keeps its frames
 * back while an older connection drains. Once closed by us it reports nothing more.
 */
import { type EventSubMessage, parseFrame } from "./eventsub-messages";

export interface ConnectionHandlers {
  onMessage(message: EventSubMessage): void;
  onMalformed(error: string): void;
  /** No welcome within the connect timeout (`welcome`), or silence past the watch (`silence`). */
  onTimeout(kind: "welcome" | "silence"): void;
  /** Closed by the server or the network (not by `close()`). */
  onClose(code: number, reason: string): void;
}

export interface EventSubConnection {
  /** Set by the client at the welcome. */
  sessionId: string | null;
  /** Gives up on it after `ms` without a frame, re-armed by every frame; null stops watching. */
  watch(ms: number | null): void;
  /** Keeps frames back until `release()`, which handles them in order. */
  hold(): void;
  release(): void;
  close(reason: string): void;
}

/** Opens a connection; null when the URL cannot be opened at all. */
export function openConnection(
  url: string,
  connectTimeoutMs: number,
  handlers: ConnectionHandlers,
): EventSubConnection | null {
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch {
    return null;
  }
  let closed = false;
  let held: unknown[] | null = null;
  let silenceMs: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const arm = (ms: number | null, kind: "welcome" | "silence") => {
    if (timer !== null) clearTimeout(timer);
    timer = ms === null ? null : setTimeout(() => !closed && handlers.onTimeout(kind), ms);
  };

  const handle = (data: unknown) => {
    const parsed = parseFrame(data);
    if (parsed.ok) handlers.onMessage(parsed.message);
    else handlers.onMalformed(parsed.error);
  };

  ws.onmessage = (event) => {
    if (closed) return;
    if (silenceMs !== null) arm(silenceMs, "silence");
    if (held !== null) held.push(event.data);
    else handle(event.data);
  };
  ws.onclose = (event) => {
    if (closed) return;
    closed = true;
    arm(null, "silence");
    handlers.onClose(event.code, event.reason);
  };
  arm(connectTimeoutMs, "welcome");

  const connection: EventSubConnection = {
    sessionId: null,
    watch(ms) {
      silenceMs = ms;
      arm(ms, "silence");
    },
    hold() {
      held ??= [];
    },
    release() {
      const frames = held ?? [];
      held = null;
      // A frame may close this connection (or stop the client): the rest are then moot.
      for (const frame of frames) if (!closed) handle(frame);
    },
    close(reason) {
      if (closed) return;
      closed = true;
      arm(null, "silence");
      try {
        ws.close(1000, reason);
      } catch {
        // Already closing: nothing more to do.
      }
    },
  };
  return connection;
}
