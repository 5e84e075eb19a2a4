/** The two ingest paths the bench drives: `POST /api/events`, and `ingest` pushes on `events:ingest` (several in flight per socket). */
import {
  HEARTBEAT_MS,
  heartbeatFrame,
  INGEST_TOPIC,
  ingestFrame,
  isJoinReply,
  joinFrame,
  parseReply,
  type Reply,
  socketUrl,
} from "./wire";

export type IngestPath = "http" | "channel";

/** What one request or push came to. */
export interface Outcome {
  accepted: number;
  /** The seqs the hub gave the accepted events. */
  seqs: number[];
  /** Events refused with 503 `backpressure`. */
  refused: number;
  /** Events refused for any other reason, or lost to a timeout or a closed connection. */
  failed: number;
  /** The error code, when not accepted. */
  code: string | null;
  rttMs: number;
}

export interface Transport {
  readonly path: IngestPath;
  /** Sends `count` events (their JSON: one object or an array) and resolves once answered. */
  send(eventsJson: string, count: number): Promise<Outcome>;
  close(): void;
}

/** A request or push unanswered after this long counts as failed. */
export const REQUEST_TIMEOUT_MS = 120_000;
const JOIN_TIMEOUT_MS = 10_000;
const HTTP_ACCEPTED = 202;
const REFUSED_CODE = "backpressure";

/** `timeoutMs` bounds each request; past it the request counts as failed (`timeout`). */
export function httpTransport(hubUrl: string, timeoutMs = REQUEST_TIMEOUT_MS): Transport {
  const url = `${hubUrl}/api/events`;
  return {
    path: "http",
    async send(eventsJson, count) {
      const started = performance.now();
      try {
        const response = await fetch(url, {
          method: "POST",
          body: eventsJson,
          headers: { "content-type": "application/json" },
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await response.json()) as Answer;
        const rttMs = performance.now() - started;
        if (response.status === HTTP_ACCEPTED) return accepted(body, rttMs);
        return refusal(body.code ?? `http_${response.status}`, count, rttMs);
      } catch (error) {
        return refusal(errorCode(error), count, performance.now() - started);
      }
    },
    close() {},
  };
}

/** `sockets` connections joined to `events:ingest`; pushes go round-robin, each answered by its reply. */
export async function channelTransport(hubUrl: string, sockets: number): Promise<Transport> {
  const connections = await Promise.all(
    Array.from({ length: sockets }, () => IngestConnection.open(socketUrl(hubUrl))),
  );
  let next = 0;
  return {
    path: "channel",
    send(eventsJson, count) {
      const connection = connections[next++ % connections.length]!;
      return connection.push(eventsJson, count);
    },
    close() {
      for (const connection of connections) connection.close();
    },
  };
}

interface PendingPush {
  count: number;
  started: number;
  timer: ReturnType<typeof setTimeout>;
  resolve(outcome: Outcome): void;
}

class IngestConnection {
  readonly #pending = new Map<string, PendingPush>();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #nextRef = 1;

  private constructor(private readonly ws: WebSocket) {
    ws.onmessage = (event: MessageEvent) => this.#receive(event.data as string);
    ws.onclose = () => this.#failAll("closed");
    let beat = 0;
    this.#heartbeat = setInterval(() => ws.send(heartbeatFrame(++beat)), HEARTBEAT_MS);
  }

  static open(url: string): Promise<IngestConnection> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail("no join reply"), JOIN_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        ws.close();
        reject(new Error(`ingest socket ${url}: ${why}`));
      };
      ws.onopen = () => ws.send(joinFrame(INGEST_TOPIC));
      ws.onerror = () => fail("connection error");
      ws.onclose = () => fail("closed before joining");
      ws.onmessage = (event: MessageEvent) => {
        if (!isJoinReply(event.data as string, INGEST_TOPIC)) return fail("join refused");
        clearTimeout(timer);
        ws.onerror = null;
        resolve(new IngestConnection(ws));
      };
    });
  }

  push(eventsJson: string, count: number): Promise<Outcome> {
    const ref = String(this.#nextRef++);
    const started = performance.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#settle(ref, null), REQUEST_TIMEOUT_MS);
      this.#pending.set(ref, { count, started, timer, resolve });
      this.ws.send(ingestFrame(ref, eventsJson));
    });
  }

  close(): void {
    clearInterval(this.#heartbeat);
    this.ws.close();
  }

  #receive(frame: string): void {
    const reply = parseReply(frame);
    if (reply === null || reply.topic !== INGEST_TOPIC || reply.ref === null) return;
    this.#settle(reply.ref, reply);
  }

  #settle(ref: string, reply: Reply | null): void {
    const pending = this.#pending.get(ref);
    if (pending === undefined) return;
    this.#pending.delete(ref);
    clearTimeout(pending.timer);
    pending.resolve(outcomeOf(reply, pending.count, performance.now() - pending.started));
  }

  #failAll(why: string): void {
    clearInterval(this.#heartbeat);
    for (const [ref, pending] of this.#pending) {
      this.#pending.delete(ref);
      clearTimeout(pending.timer);
      pending.resolve(refusal(why, pending.count, performance.now() - pending.started));
    }
  }
}

/** A null reply is a timeout. */
function outcomeOf(reply: Reply | null, count: number, rttMs: number): Outcome {
  if (reply === null) return refusal("timeout", count, rttMs);
  const response = reply.response as Answer | undefined;
  if (reply.status === "ok") return accepted(response ?? {}, rttMs);
  return refusal(response?.code ?? reply.status, count, rttMs);
}

/** The body of an answer: `{accepted: [{id, seq}]}`, or an error's `{code, message}`. */
interface Answer {
  accepted?: { seq: number }[];
  code?: string;
}

function accepted(answer: Answer, rttMs: number): Outcome {
  const seqs = (answer.accepted ?? []).map((event) => event.seq);
  return { accepted: seqs.length, seqs, refused: 0, failed: 0, code: null, rttMs };
}

function refusal(code: string, count: number, rttMs: number): Outcome {
  return code === REFUSED_CODE
    ? { accepted: 0, seqs: [], refused: count, failed: 0, code, rttMs }
    : { accepted: 0, seqs: [], refused: 0, failed: count, code, rttMs };
}

function errorCode(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timeout";
  return error instanceof Error ? (error.name === "Error" ? error.message : error.name) : "error";
}
