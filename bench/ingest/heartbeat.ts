/** The driver's handle on the heartbeat probe process: start it on a hub, stop it for the reply times. */
import { type Latency, latencyOf } from "../lib/percentiles";
import { type ProcessGroup, WorkerPool } from "../lib/processes";
import type { AckReply, FailureReply } from "../lib/worker";
import type { ProbeReportCommand, ProbeReportReply, ProbeStartCommand } from "./messages";
import { socketUrl } from "./wire";

const SCRIPT = new URL("./heartbeat-worker.ts", import.meta.url).pathname;
/** A heartbeat every ~50 ms: 20 a second, enough for a p99 over a phase, too few to be load. */
export const HEARTBEAT_INTERVAL_MS = 50;
const ASK_TIMEOUT_MS = 15_000;

export interface HeartbeatResult {
  intervalMs: number;
  sent: number;
  /** Send → `phx_reply` of every heartbeat answered. */
  rtt: Latency;
  unanswered: number;
  dropped: number;
}

type Command = ProbeStartCommand | ProbeReportCommand;
type Reply = ProbeReportReply | AckReply | FailureReply;

export class HeartbeatProbe {
  private constructor(private readonly pool: WorkerPool<Command, Reply>) {}

  /** Starts the process; `begin` opens the socket and starts the beats, so they can start on cue. */
  static async spawn(group: ProcessGroup): Promise<HeartbeatProbe> {
    return new HeartbeatProbe(
      await WorkerPool.start<Command, Reply>(group, SCRIPT, 1, ASK_TIMEOUT_MS),
    );
  }

  async begin(hubUrl: string): Promise<void> {
    await this.pool.askAll(
      (_, id) => ({
        type: "probe-start",
        id,
        url: socketUrl(hubUrl),
        intervalMs: HEARTBEAT_INTERVAL_MS,
      }),
      ASK_TIMEOUT_MS,
    );
  }

  /** Ends the process without a report (the measurement failed). */
  close(): Promise<void> {
    return this.pool.stop();
  }

  /** Stops the beats, waits briefly for the replies still out, and ends the process. */
  async stop(): Promise<HeartbeatResult> {
    try {
      const [report] = await this.pool.askAll<ProbeReportReply>(
        (_, id) => ({ type: "probe-report", id }),
        ASK_TIMEOUT_MS,
      );
      return {
        intervalMs: HEARTBEAT_INTERVAL_MS,
        sent: report!.sent,
        rtt: latencyOf([report!.rtt]),
        unanswered: report!.unanswered,
        dropped: report!.dropped,
      };
    } finally {
      await this.pool.stop();
    }
  }
}
