/**
 * A worker's output: read line by line from its pipes (so a chatty worker never blocks on a full
 * pipe), logged by the hub under the worker's name — a worker's own JSON log line keeps its level
 * and message — and the last lines kept, bounded, for the dashboard.
 */
import type { Logger } from "@landale/logger";

export const LOG_LINES = 50;
const LINE_CHARS = 1_000;
/** A line longer than this without a newline is cut, so one runaway write cannot grow forever. */
const PENDING_CHARS = 64 * 1024;

export interface LogRing {
  add(line: string, logger: Logger): void;
  lines(): string[];
}

export function logRing(size = LOG_LINES): LogRing {
  const kept: string[] = [];
  return {
    add(line, logger) {
      if (line.trim() === "") return;
      const { level, message } = parse(line);
      logger[level](message);
      kept.push(message.length > LINE_CHARS ? `${message.slice(0, LINE_CHARS)}…` : message);
      if (kept.length > size) kept.splice(0, kept.length - size);
    },
    lines: () => [...kept],
  };
}

function parse(line: string): { level: "info" | "warn" | "error"; message: string } {
  try {
    const record = JSON.parse(line) as { level?: unknown; msg?: unknown };
    if (typeof record === "object" && record !== null && typeof record.msg === "string") {
      const level = typeof record.level === "number" ? record.level : 30;
      return { level: level >= 50 ? "error" : level >= 40 ? "warn" : "info", message: record.msg };
    }
  } catch {
    // Not a JSON log line: logged as written.
  }
  return { level: "info", message: line };
}

/** Calls `onLine` for each line `stream` carries, until it ends. */
export async function pipeLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for await (const chunk of stream) {
      pending += decoder.decode(chunk, { stream: true });
      let end = pending.indexOf("\n");
      while (end !== -1) {
        onLine(pending.slice(0, end));
        pending = pending.slice(end + 1);
        end = pending.indexOf("\n");
      }
      if (pending.length > PENDING_CHARS) {
        onLine(pending);
        pending = "";
      }
    }
  } catch {
    // The pipe broke with the worker: what was read is all there is.
  }
  if (pending !== "") onLine(pending);
}
