/**
 * The heartbeat probe, a process of its own so the driver's load never delays its timing: one raw
 * V2 socket on the hub's `/socket`, a Phoenix heartbeat (topic `phoenix`, event `heartbeat`) every
 * interval, and the time from each send to its `phx_reply`.
 */
import type { AckReply, FailureReply } from "../lib/worker";
import { serveDriver } from "../lib/worker";
import type { ProbeReportCommand, ProbeReportReply, ProbeStartCommand } from "./messages";
import { heartbeatFrame, parseReply } from "./wire";

const DEFAULT_LIFETIME_MS = 15 * 60_000;
const OPEN_TIMEOUT_MS = 10_000;
/** Answer times kept (8 bytes each); at 20 a second, far more than a phase sends. */
const MAX_SAMPLES = 100_000;
/** Heartbeats timed while unanswered; past this, new ones are sent untimed and counted as dropped. */
const MAX_OUTSTANDING = 1_000;
/** After the last heartbeat, how long the report waits for the replies still out. */
const REPORT_GRACE_MS = 1_000;
const HEARTBEAT_TOPIC = "phoenix";

type Command = ProbeStartCommand | ProbeReportCommand;
type Reply = ProbeReportReply | AckReply | FailureReply;

class Probe {
  readonly #outstanding = new Map<string, number>();
  readonly #rtt = new Float64Array(MAX_SAMPLES);
  readonly #timer: ReturnType<typeof setInterval>;
  #count = 0;
  #sent = 0;
  #dropped = 0;

  constructor(
    private readonly ws: WebSocket,
    intervalMs: number,
  ) {
    ws.onmessage = (event: MessageEvent) => this.#receive(event.data as string);
    this.#timer = setInterval(() => this.#beat(), intervalMs);
  }

  async report(id: number): Promise<ProbeReportReply> {
    clearInterval(this.#timer);
    const deadline = performance.now() + REPORT_GRACE_MS;
    while (this.#outstanding.size > 0 && performance.now() < deadline) await Bun.sleep(10);
    this.ws.close();
    return {
      type: "probe-report",
      id,
      rtt: this.#rtt.slice(0, this.#count),
      sent: this.#sent,
      unanswered: this.#outstanding.size,
      dropped: this.#dropped,
    };
  }

  #beat(): void {
    const ref = ++this.#sent;
    if (this.#outstanding.size < MAX_OUTSTANDING) {
      this.#outstanding.set(`hb${ref}`, performance.now());
    } else {
      this.#dropped++;
    }
    this.ws.send(heartbeatFrame(ref));
  }

  #receive(frame: string): void {
    const answered = performance.now();
    const reply = parseReply(frame);
    if (reply === null || reply.topic !== HEARTBEAT_TOPIC || reply.ref === null) return;
    const sentAt = this.#outstanding.get(reply.ref);
    if (sentAt === undefined) return;
    this.#outstanding.delete(reply.ref);
    if (this.#count < MAX_SAMPLES) this.#rtt[this.#count++] = answered - sentAt;
  }
}

let probe: Probe | null = null;

serveDriver<Command, Reply>(async (command) => {
  if (command.type === "probe-start") {
    if (probe !== null) throw new Error("the probe is already running");
    probe = new Probe(await open(command.url), command.intervalMs);
    return { type: "ack", id: command.id };
  }
  if (probe === null) throw new Error("the probe was never started");
  const report = await probe.report(command.id);
  probe = null;
  return report;
}, DEFAULT_LIFETIME_MS);

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail("not open"), OPEN_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      ws.close();
      reject(new Error(`heartbeat socket ${url}: ${why}`));
    };
    ws.onerror = () => fail("connection error");
    ws.onopen = () => {
      clearTimeout(timer);
      ws.onerror = null;
      resolve(ws);
    };
  });
}
