import { afterEach, describe, expect, it } from "bun:test";
import {
  type FakeTranscriber,
  type FakeTranscriberOptions,
  freePort,
  startFakeTranscriber,
} from "@landale/testkit";
import { quietLogger, silentSegment } from "../../test/engines-support";
import { type CountedEngine, createEngine, type EngineDeps } from "./engine";
import { type OpenAiConfig, transcriptionsEndpoint } from "./openai";

const servers: FakeTranscriber[] = [];
const engines: CountedEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

function serve(options: FakeTranscriberOptions): FakeTranscriber {
  const server = startFakeTranscriber(options);
  servers.push(server);
  return server;
}

function engineFor(config: OpenAiConfig, deps: Partial<EngineDeps> = {}): CountedEngine {
  const engine = createEngine(
    { transcriber: "openai", openai: config },
    { logger: quietLogger(), ...deps },
  );
  engines.push(engine);
  return engine;
}

const soon = () => AbortSignal.timeout(60_000);

describe("the openai engine", () => {
  it("uploads the segment as WAV with the model, prompt and key, and returns the text", async () => {
    const server = serve({
      apiKey: "sk-local",
      text: (wav) => `heard ${wav.durationMs} ms at ${wav.sampleRate} Hz`,
    });
    const engine = engineFor(
      { url: server.url, model: "whisper-large-v3", apiKey: "sk-local" },
      { hub: { recentChatters: async () => ["amy", "amy", "kim"] } },
    );
    expect(await engine.check()).toEqual({ state: "ready", message: null });
    const result = await engine.transcribe(silentSegment(1_500), soon());
    expect(result).toEqual({ text: "heard 1500 ms at 16000 Hz", confidence: null });
    expect(server.requests()).toMatchObject([
      {
        model: "whisper-large-v3",
        prompt: "Participants include: amy, kim.",
        responseFormat: "json",
        wav: { channels: 1, bitsPerSample: 16 },
      },
    ]);
  });

  it("is degraded with the server's own message on an error, and ready after a success", async () => {
    const failing = serve({ status: 500, message: "CUDA out of memory" });
    const engine = engineFor({ url: failing.url });
    await expect(engine.transcribe(silentSegment(), soon())).rejects.toThrow(
      "the transcription server answered 500: CUDA out of memory",
    );
    expect(engine.state()).toEqual({
      state: "degraded",
      message: "the transcription server answered 500: CUDA out of memory",
    });
    const wrongKey = serve({ apiKey: "sk-right", text: "never" });
    const unauthorised = engineFor({ url: wrongKey.url, apiKey: "sk-wrong" });
    await expect(unauthorised.transcribe(silentSegment(), soon())).rejects.toThrow(
      "answered 401: Incorrect API key provided.",
    );

    const working = serve({ text: "Recovered." });
    const recovering = engineFor({ url: `${working.url}/audio/transcriptions` });
    await expect(recovering.transcribe(silentSegment(), soon())).resolves.toMatchObject({
      text: "Recovered.",
    });
    expect(recovering.state().state).toBe("ready");
  });

  it("gives up at the caller's timeout and counts it", async () => {
    const server = serve({ text: "too late", delayMs: 600_000 });
    const engine = engineFor({ url: server.url });
    const attempt = engine.transcribe(silentSegment(), AbortSignal.timeout(300));
    await expect(attempt).rejects.toMatchObject({ name: "TimeoutError" });
    expect(engine.stats()).toMatchObject({ timedOut: 1, failed: 1 });
    expect(engine.state().state).toBe("degraded");
  });

  it("drops hallucinated answers", async () => {
    const server = serve({ text: "Thanks for watching!" });
    const engine = engineFor({ url: server.url });
    expect(await engine.transcribe(silentSegment(), soon())).toBeNull();
    expect(engine.stats().filtered).toBe(1);
  });

  it("is degraded without a URL, with a bad one, or with nobody listening", async () => {
    expect(await engineFor({ url: null }).check()).toEqual({
      state: "degraded",
      message: "LANDALE_TRANSCRIBE_URL is not set",
    });
    expect((await engineFor({ url: "ftp://host/v1" }).check()).message).toContain(
      "not an http(s) URL",
    );
    const closed = `http://127.0.0.1:${await freePort()}/v1`;
    const unreachable = engineFor({ url: closed });
    expect((await unreachable.check()).message).toContain("cannot reach the transcription server");
    await expect(unreachable.transcribe(silentSegment(), soon())).rejects.toThrow("cannot reach");
  });

  it("finds the endpoint from the API base", () => {
    expect(transcriptionsEndpoint("http://h:8000/v1")).toBe(
      "http://h:8000/v1/audio/transcriptions",
    );
    expect(transcriptionsEndpoint("http://h/v1/")).toBe("http://h/v1/audio/transcriptions");
    expect(transcriptionsEndpoint("http://h/v1/audio/transcriptions")).toBe(
      "http://h/v1/audio/transcriptions",
    );
  });
});
