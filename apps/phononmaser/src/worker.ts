/**
 * The worker assembled: audio server → pipeline → segment queue → engine → `onTranscription`
 * (and `/events`), plus the health endpoint. `stop()` closes the sockets, drops what is queued,
 * aborts the running transcription and releases every server, timer and WASM state.
 */
import type { Logger } from "@landale/logger";
import { startHealthServer } from "@landale/process";
import { type AudioServer, startAudioServer } from "./audio/server";
import type { Config, TranscriberConfig } from "./config";
import { healthReport, type LinkHealth, type WorkerHealth } from "./health";
import { createPipeline, type Pipeline } from "./pipeline/pipeline";
import { Transcriber, type Transcription, type TranscriptionEngine } from "./transcriber";

/** Audio sources (source ids) the pipeline takes at once. */
const MAX_SOURCES = 16;

/** What the engines may ask of the hub (the participants prompt). */
export interface HubReader {
  recentChatters(): Promise<string[]>;
}

export type EngineFactory = (
  config: TranscriberConfig,
  deps: { logger: Logger; hub?: HubReader },
) => TranscriptionEngine;

export interface WorkerDeps {
  logger: Logger;
  /** `createEngine` from `./engines`. */
  createEngine: EngineFactory;
  hub?: HubReader;
  /** Each transcription, in order, for the link to the hub (`submit_transcription`). */
  onTranscription?: (transcription: Transcription) => void;
  /** The link's state, for `/health`. */
  link?: () => LinkHealth | null;
}

export interface Worker {
  readonly audioUrl: string;
  readonly healthUrl: string;
  readonly engine: TranscriptionEngine;
  health(): WorkerHealth;
  stop(): Promise<void>;
}

export async function startWorker(config: Config, deps: WorkerDeps): Promise<Worker> {
  const { logger } = deps;
  const startedAt = performance.now();
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, "a part of the worker failed to stop");
      }
    }
  };

  try {
    const engine = deps.createEngine(config.transcriber, { logger, hub: deps.hub });
    stops.push(() => engine.stop());
    // Not awaited: an endpoint slow to answer must not hold the audio socket closed; until the
    // check ends, `state()` says what the engine knows.
    engine.check().then(
      (state) => logger.info({ engine: engine.name, ...state }, "transcription engine checked"),
      (err: unknown) => logger.error({ err, engine: engine.name }, "the engine's check failed"),
    );

    let audio: AudioServer | null = null;
    const transcriber = new Transcriber({
      engine,
      capacity: config.segmentQueue,
      timeoutMs: config.transcriber.timeoutMs,
      logger,
      onTranscription: (transcription) => {
        audio?.events.transcription({
          timestampUs: transcription.startedAt * 1000,
          durationSeconds: transcription.durationMs / 1000,
          text: transcription.text,
        });
        deps.onTranscription?.(transcription);
      },
    });
    stops.push(() => transcriber.stop());

    const pipeline: Pipeline = await createPipeline({
      segmenter: config.segmenter,
      maxSources: MAX_SOURCES,
      logger,
      onSegment: (segment) => transcriber.enqueue(segment),
    });
    stops.push(() => pipeline.stop());

    const server = startAudioServer({
      host: config.host,
      port: config.port,
      sampleFormats: config.sampleFormats,
      sink: pipeline,
      logger,
      status: () => {
        const queue = transcriber.stats();
        return {
          bufferSize: pipeline.stats().bufferedBytes,
          transcribing: queue.transcribing,
          queueSize: queue.depth,
        };
      },
    });
    audio = server;
    stops.push(() => server.stop());

    const health = () =>
      healthReport({
        startedAt,
        audio: () => server.stats(),
        pipeline: () => pipeline.stats(),
        transcriber: () => transcriber.stats(),
        engine: () => ({ name: engine.name, ...engine.state() }),
        link: deps.link,
      });
    const healthServer = startHealthServer({
      host: config.host,
      port: config.healthPort,
      report: health,
      logger,
    });
    stops.push(() => healthServer.stop());

    return {
      audioUrl: server.url,
      healthUrl: healthServer.url,
      engine,
      health,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
