/** The worker's settings for its engine, handed to `createEngine` in the shape the engines take. */
import { createEngine } from "./engines/engine";
import type { EngineFactory } from "./worker";

export const createConfiguredEngine: EngineFactory = (config, deps) =>
  createEngine(
    {
      transcriber: config.engine,
      pocketsphinx: {
        executable: config.pocketsphinx.executable,
        ...(config.pocketsphinx.modelDir === null
          ? {}
          : { modelDir: config.pocketsphinx.modelDir }),
      },
      whisper: {
        executable: config.whisper.executable,
        modelPath: config.whisper.modelPath,
        vadModelPath: config.whisper.vadModelPath,
        threads: config.whisper.threads,
        language: config.language,
      },
      openai: { url: config.openai.url, model: config.openai.model, apiKey: config.openai.apiKey },
      hallucinations: config.hallucinations,
    },
    deps,
  );
