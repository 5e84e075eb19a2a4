/** What the ingest driver and its subscriber process say to each other over Bun's IPC channel. */
import type { AckReply, FailureReply } from "../lib/worker";

export interface ConnectCommand {
  type: "connect";
  id: number;
  url: string;
  sockets: number;
  /** Socket i parses its frames and times their events when i % sampleEvery === 0. */
  sampleEvery: number;
  timeoutMs: number;
}

export interface ResetCommand {
  type: "reset";
  id: number;
  /** Whether sampled sockets parse frames and time events (latency phases) or only count. */
  timed: boolean;
}

export interface ProgressCommand {
  type: "progress";
  id: number;
}

export interface ReportCommand {
  type: "report";
  id: number;
  /** Seqs of the events acknowledged since the reset, sorted: each socket says how many it missed. */
  acked: Float64Array;
}

export type SubscriberCommand = ConnectCommand | ResetCommand | ProgressCommand | ReportCommand;

export interface ConnectedReply {
  type: "connected";
  id: number;
  joined: number;
  failed: number;
  elapsedMs: number;
}

export interface ProgressReply {
  type: "progress";
  id: number;
  /** Events received since the last reset, summed over sockets (from each batch's seq range). */
  received: number;
  frames: number;
  /** Characters of those frames (bytes, as the JSON is ASCII but for rare escapes). */
  bytes: number;
  open: number;
  /** The lowest to_seq any socket has seen: every event up to it reached every socket (or was missed). */
  minLastTo: number;
  /** CPU time (user + system, µs) since the last reset. */
  cpuMicros: number;
}

export interface ReportReply extends Omit<ProgressReply, "type"> {
  type: "report";
  /** Acknowledged events a socket never received, summed over sockets the hub did not close. */
  missing: number;
  /** Sockets the hub did not close that missed at least one acknowledged event. */
  socketsMissing: number;
  /**
   * Sockets the hub closed during the measurement: one that falls too far behind is let go, to
   * rejoin (4008, or no close frame when Bun cannot deliver one; the hub counts them in
   * `sockets.closed_slow`).
   */
  closedTooSlow: number;
  /** Acknowledged events those sockets did not receive (before or after they were closed). */
  missingClosedTooSlow: number;
  minPerSocket: number;
  maxPerSocket: number;
  /** Batches whose from_seq was not the seq after the socket's previous batch: windows it missed. */
  gaps: number;
  /** Parsed batches whose events did not match their seq range. */
  mismatched: number;
  /** Latencies (ms) of ordinary and critical events on sampled sockets, in timed mode. */
  ordinary: TimedSamples;
  critical: TimedSamples;
}

export interface TimedSamples {
  /** One per event per sampled socket. */
  all: Float64Array;
  /** One per event: at the first sampled socket that received it. */
  first: Float64Array;
}

export type SubscriberReply =
  | ConnectedReply
  | ProgressReply
  | ReportReply
  | AckReply
  | FailureReply;

/** The PGlite ceiling process: one method, closed loop, on a fresh migrated data dir. */
export interface CeilingCommand {
  type: "ceiling";
  id: number;
  method: PgliteMethod;
  window: number;
  warmupS: number;
  durationS: number;
}

/** `COPY events FROM '/dev/blob'` per window, or one `json_to_recordset` insert per window. */
export type PgliteMethod = "copy-blob" | "json-recordset";

export interface CeilingReply {
  type: "ceiling";
  id: number;
  rows: number;
  seconds: number;
  /** The process's CPU time over the measured span, µs. */
  cpuMicros: number;
  /** Cores' worth of CPU the rest of the machine used over the span; null without /proc/stat. */
  foreignCores: number | null;
}

/** The heartbeat probe: one raw V2 socket sending Phoenix heartbeats and timing each reply. */
export interface ProbeStartCommand {
  type: "probe-start";
  id: number;
  url: string;
  intervalMs: number;
}

export interface ProbeReportCommand {
  type: "probe-report";
  id: number;
}

export interface ProbeReportReply {
  type: "probe-report";
  id: number;
  /** Send → reply of every heartbeat answered since the start, ms. */
  rtt: Float64Array;
  sent: number;
  /** Heartbeats still unanswered a second after the last was sent. */
  unanswered: number;
  /** Heartbeats not timed because too many were out at once. */
  dropped: number;
}
