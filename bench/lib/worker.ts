/** The worker side of `WorkerPool`: answer the driver's IPC commands, say hello first, never outlive it. */
import { exitWithParent, lifetimeFromArgv } from "./lifetime";

/** Every command and answer carries the id of its question; the hello has id 0. */
export interface WorkerMessage {
  type: string;
  id: number;
}

export interface AckReply {
  type: "ack";
  id: number;
}

export interface FailureReply {
  type: "failure";
  id: number;
  message: string;
}

/** Answers each command with `handle`'s reply, or a failure naming what went wrong. */
export function serveDriver<C extends WorkerMessage, R extends WorkerMessage>(
  handle: (command: C) => Promise<R>,
  fallbackLifetimeMs: number,
): void {
  exitWithParent(lifetimeFromArgv(fallbackLifetimeMs));
  process.on("disconnect", () => process.exit(0));
  process.on("message", (command: C) => {
    handle(command).then(send, (error: unknown) => {
      const failure: FailureReply = { type: "failure", id: command.id, message: String(error) };
      send(failure);
    });
  });
  const hello: AckReply = { type: "ack", id: 0 };
  send(hello);
}

function send(message: WorkerMessage): void {
  process.send?.(message);
}
