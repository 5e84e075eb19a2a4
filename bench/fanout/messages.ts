/** What the driver and its client workers say to each other over Bun's IPC channel. */
import type { AckReply, FailureReply } from "../lib/worker";
import type { ServerKind } from "./wire";

export interface ConnectCommand {
  type: "connect";
  id: number;
  server: ServerKind;
  url: string;
  sockets: number;
  /** Global index of this worker's first socket, so sampling is the same whatever the split. */
  firstIndex: number;
  /** Socket i parses timestamps when i % sampleEvery === 0. */
  sampleEvery: number;
  timeoutMs: number;
}

export interface PlainCommand {
  type: "progress" | "report" | "reset";
  id: number;
}

export type WorkerCommand = ConnectCommand | PlainCommand;

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
  received: number;
  /** Wall clock of the last broadcast received; 0 if none since the last reset. */
  lastReceiveAt: number;
  open: number;
  /** CPU time (user + system, µs) since the last reset. */
  cpuMicros: number;
}

export interface ReportReply extends Omit<ProgressReply, "type"> {
  type: "report";
  minPerSocket: number;
  maxPerSocket: number;
  /** Latencies (ms) of broadcasts on sampled sockets. */
  samples: Float64Array;
  /** Samples not kept because the buffer was full. */
  samplesRefused: number;
  /** Broadcasts on sampled sockets whose seq was not the one after the previous. */
  seqGaps: number;
}

export type WorkerReply = ConnectedReply | ProgressReply | ReportReply | AckReply | FailureReply;
