/** The fan-out bench's subprocesses: a server under test with its control API, and the client workers. */

import { awaitOutput, type ProcessGroup, WorkerPool } from "../lib/processes";
import type { ServerStats } from "./control";
import type { WorkerCommand, WorkerReply } from "./messages";
import { startRedisPair } from "./redis-pair";
import type { ServerKind } from "./wire";

const READY_TIMEOUT_MS = 10_000;
const CONTROL_TIMEOUT_MS = 10_000;
const READY_LINE = /\{"ready":true,"port":(\d+)\}\n/;

export type ClientPool = WorkerPool<WorkerCommand, WorkerReply>;

export interface ServerHandle {
  readonly port: number;
  stats(options?: { gc: boolean }): Promise<ServerStats>;
  broadcast(rate: number, durationS: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the server for `kind` (two joined by Redis for `redis`, see redis-pair.ts). */
export function startServer(group: ProcessGroup, kind: ServerKind): Promise<ServerHandle> {
  return kind === "redis" ? startRedisPair(group) : startServerProcess(group, kind);
}

/** Starts `<kind>-server.ts` and waits for the port it announces (see `announceReady`). */
export async function startServerProcess(
  group: ProcessGroup,
  kind: "bare" | "channels",
  args?: readonly string[],
): Promise<ServerHandle> {
  const script = new URL(`./${kind}-server.ts`, import.meta.url).pathname;
  const child = group.spawn(script, { stdout: "pipe", args });
  const ready = await awaitOutput(child.stdout as ReadableStream<Uint8Array>, READY_LINE, {
    what: `${kind} server`,
    timeoutMs: READY_TIMEOUT_MS,
  });
  const port = Number(ready[1]);
  const base = `http://127.0.0.1:${port}/control`;
  return {
    port,
    async stats(options) {
      const response = await control(`${base}/stats${options?.gc ? "?gc=1" : ""}`, "GET");
      return (await response.json()) as ServerStats;
    },
    async broadcast(rate, durationS) {
      await control(`${base}/broadcast?rate=${rate}&duration=${durationS}`, "POST");
    },
    stop: () => group.stop(child),
  };
}

export function startClients(
  group: ProcessGroup,
  count: number,
  timeoutMs: number,
): Promise<ClientPool> {
  const script = new URL("./client-worker.ts", import.meta.url).pathname;
  return WorkerPool.start<WorkerCommand, WorkerReply>(group, script, count, timeoutMs);
}

async function control(url: string, method: "GET" | "POST"): Promise<Response> {
  const response = await fetch(url, { method, signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
  if (!response.ok)
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response;
}
