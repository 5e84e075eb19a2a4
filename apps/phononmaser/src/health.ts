/**
 * `GET /health` on `PHONONMASER_HEALTH_PORT` (served by `@landale/process`): the audio sources, the
 * queues and what they dropped, the engine's state, the link to the hub, and how long ago the last
 * transcription was. Degraded (still 200: the worker runs) when the engine is degraded or the link
 * is down, with the reasons.
 */
import type { AudioServerStats } from "./audio/server";
import type { PipelineStats } from "./pipeline/pipeline";
import type { EngineState, TranscriberStats } from "./transcriber";

/** What the link to the hub reports (`src/link.ts`); `connected` decides the health status. */
export type LinkHealth = { connected: boolean } & Record<string, unknown>;

export interface HealthSources {
  /** `performance.now()` at start. */
  startedAt: number;
  audio(): AudioServerStats;
  pipeline(): PipelineStats;
  transcriber(): TranscriberStats;
  engine(): { name: string } & EngineState;
  /** Null (or absent) while no link is wired. */
  link?: () => LinkHealth | null;
  now?: () => number;
}

export function healthReport(sources: HealthSources) {
  const now = (sources.now ?? Date.now)();
  const audio = sources.audio();
  const pipeline = sources.pipeline();
  const queue = sources.transcriber();
  const engine = sources.engine();
  const link = sources.link?.() ?? null;
  const problems: string[] = [];
  if (engine.state === "degraded")
    problems.push(`engine ${engine.name}: ${engine.message ?? "degraded"}`);
  if (link !== null && !link.connected) problems.push("the link to the hub is down");
  return {
    status: problems.length === 0 ? ("ok" as const) : ("degraded" as const),
    service: "phononmaser",
    uptime_s: Math.round((performance.now() - sources.startedAt) / 1000),
    problems,
    audio: {
      connections: audio.connections,
      refused_connections: audio.refused,
      refused_sources: pipeline.refusedSources,
      frames: audio.frames,
      bytes: audio.bytes,
      buffered_bytes: pipeline.bufferedBytes,
      sources: pipeline.sources.map((source) => ({
        id: source.id,
        name: source.name,
        sample_rate: source.sampleRate,
        channels: source.channels,
        encoding: source.encoding,
        buffered_ms: source.bufferedMs,
        in_speech: source.inSpeech,
        segments: source.segments,
        discarded: source.discarded,
        last_frame_age_ms: Math.max(0, Math.round(now - source.lastFrameAt)),
      })),
    },
    segments: { emitted: pipeline.segments, discarded: pipeline.discarded },
    queue: { depth: queue.depth, capacity: queue.capacity, dropped: queue.dropped },
    events: { subscribers: audio.subscribers, dropped: audio.eventsDropped },
    engine: { name: engine.name, state: engine.state, message: engine.message },
    transcription: {
      transcribing: queue.transcribing,
      completed: queue.completed,
      empty: queue.empty,
      failed: queue.failed,
      timed_out: queue.timedOut,
      last_age_ms:
        queue.lastTranscriptionAt === null ? null : Math.max(0, now - queue.lastTranscriptionAt),
    },
    link,
  };
}

export type WorkerHealth = ReturnType<typeof healthReport>;
