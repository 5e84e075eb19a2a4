/**
 * `GET /health` on `SEED_HEALTH_PORT`: the link to the hub, the model (and its breaker), how long
 * ago the last analysis was and who made it, the contexts on their way, and every buffer with what
 * it dropped. Degraded (still 200: the worker runs, the fallback answers) when the link is down or
 * the breaker is open, with the reasons.
 */
import type { Logger } from "@landale/logger";
import type { LoopStats } from "./analysis/loop";
import type { LinkHealth } from "./hub/link";
import type { OutboxStats } from "./hub/outbox";
import type { InputStats } from "./inputs/inputs";
import type { LlmStats } from "./llm/client";

export interface HealthSources {
  /** `performance.now()` at start. */
  startedAt: number;
  link(): LinkHealth;
  /** Null when no model is configured. */
  model(): LlmStats | null;
  loop(): LoopStats;
  outbox(): OutboxStats;
  inputs(): InputStats;
  now?: () => number;
}

export function healthReport(sources: HealthSources) {
  const now = (sources.now ?? Date.now)();
  const link = sources.link();
  const model = sources.model();
  const loop = sources.loop();
  const outbox = sources.outbox();
  const inputs = sources.inputs();
  const problems: string[] = [];
  if (!link.connected) problems.push("the link to the hub is down");
  if (model !== null && model.breaker.state === "open") {
    problems.push(`the model's breaker is open: ${model.lastError ?? "it kept failing"}`);
  }
  const buffer = (stats: InputStats["chat"]) => ({
    size: stats.size,
    capacity: stats.capacity,
    dropped: stats.dropped,
    pruned: stats.pruned,
  });
  return {
    status: problems.length === 0 ? ("ok" as const) : ("degraded" as const),
    service: "seed",
    uptime_s: Math.round((performance.now() - sources.startedAt) / 1000),
    problems,
    link,
    model:
      model === null
        ? { configured: false as const }
        : {
            configured: true as const,
            url: model.url,
            name: model.model,
            json_mode: model.jsonMode,
            breaker: {
              state: model.breaker.state,
              consecutive_failures: model.breaker.consecutiveFailures,
              opened: model.breaker.opened,
              retry_at:
                model.breaker.retryAt === null
                  ? null
                  : new Date(model.breaker.retryAt).toISOString(),
            },
            requests: model.requests,
            retries: model.retries,
            answered: model.answered,
            invalid: model.invalid,
            failed: model.failed,
            timed_out: model.timedOut,
            last_error: model.lastError,
          },
    analysis: {
      analyses: loop.analyses,
      fallbacks: loop.fallbacks,
      skipped: loop.skipped,
      quiet: loop.quiet,
      failed: loop.failed,
      last_age_ms: loop.lastAnalysisAt === null ? null : Math.max(0, now - loop.lastAnalysisAt),
      last_source: loop.lastSource,
    },
    contexts: {
      made: loop.contexts,
      acked: outbox.acked,
      refused: outbox.refused,
      resends: outbox.resends,
      queue: { depth: outbox.depth, capacity: outbox.capacity, dropped: outbox.dropped },
    },
    buffers: {
      transcriptions: buffer(inputs.transcriptions),
      chat: buffer(inputs.chat),
      emotes: buffer(inputs.emotes),
      interactions: buffer(inputs.interactions),
      invalid: inputs.invalid,
      duplicates: inputs.duplicates,
    },
  };
}

export type WorkerHealth = ReturnType<typeof healthReport>;

export interface HealthServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export function startHealthServer(options: {
  host: string;
  port: number;
  report: () => WorkerHealth;
  logger: Logger;
}): HealthServer {
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname !== "/health") {
        return Response.json(
          { code: "not_found", message: "only GET /health is here" },
          { status: 404 },
        );
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        return Response.json({ code: "method_not_allowed", message: "use GET" }, { status: 405 });
      }
      return Response.json(options.report());
    },
  });
  const port = server.port ?? options.port;
  options.logger.info({ port }, "health endpoint listening");
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}/health`,
    stop: () => server.stop(true),
  };
}
