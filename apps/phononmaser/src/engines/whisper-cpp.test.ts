import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { createFakeWhisperCli, type FakeWhisperCli } from "@landale/testkit";
import {
  eventually,
  groupMembers,
  isRunning,
  quietLogger,
  silentSegment,
} from "../../test/engines-support";
import { type CountedEngine, createEngine, type EngineDeps } from "./engine";
import type { WhisperConfig } from "./whisper-cpp";

let whisper: FakeWhisperCli;
const engines: CountedEngine[] = [];
beforeAll(async () => {
  whisper = await createFakeWhisperCli();
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});
afterAll(() => whisper.cleanup());

function engineFor(config: Partial<WhisperConfig> = {}, deps: Partial<EngineDeps> = {}) {
  const engine = createEngine(
    {
      transcriber: "whisper-cpp",
      whisper: { executable: whisper.executable, modelPath: whisper.modelPath, ...config },
    },
    { logger: quietLogger(), ...deps },
  );
  engines.push(engine);
  return engine;
}

const soon = () => AbortSignal.timeout(60_000);

describe("the whisper-cpp engine", () => {
  it("runs whisper-cli with the model, language, threads, VAD and participants' prompt", async () => {
    await whisper.setAnswers([{ text: ["Hello chat.", "Welcome back."] }]);
    const before = (await whisper.invocations()).length;
    const engine = engineFor(
      { threads: 2, language: "en", vadModelPath: whisper.vadModelPath },
      { hub: { recentChatters: async () => ["ninja_fan", "bob", "ninja_fan"] } },
    );
    expect(await engine.check()).toEqual({ state: "ready", message: null });
    const result = await engine.transcribe(silentSegment(2_000), soon());
    expect(result).toEqual({ text: "Hello chat. Welcome back.", confidence: null });
    const run = (await whisper.invocations())[before]!;
    expect(run.model).toBe(whisper.modelPath);
    expect(run.threads).toBe(2);
    expect(run.language).toBe("en");
    expect(run.vadModel).toBe(whisper.vadModelPath);
    expect(run.prompt).toBe("Participants include: ninja_fan, bob.");
    expect(run.inputs[0]).toMatchObject({ sampleRate: 16_000, channels: 1, durationMs: 2_000 });
    expect(await Bun.file(run.inputs[0]!.path).exists()).toBe(false);
  });

  it("kills a hung whisper-cli and its child at the timeout, then transcribes the next segment", async () => {
    await whisper.setAnswers([{ hang: true, ignoreTerm: true }, { text: "Back on track." }]);
    const before = (await whisper.invocations()).length;
    const engine = engineFor({ graceMs: 200 });
    await engine.check();
    const hung = engine.transcribe(silentSegment(), AbortSignal.timeout(2_000));
    await eventually("the hung run", async () => (await whisper.invocations()).length > before);
    const run = (await whisper.invocations())[before]!;
    await expect(hung).rejects.toMatchObject({ name: "TimeoutError" });
    // Killed before the run settled; the kernel ends them just after.
    await eventually("the hung run gone", async () => !(await isRunning(run.pid)));
    await eventually("its child gone", async () => !(await isRunning(run.childPid!)));
    await eventually("its group gone", async () => (await groupMembers(run.pid)).length === 0);
    expect(engine.state()).toEqual({
      state: "degraded",
      message: "a transcription timed out; the engine was killed",
    });
    expect(engine.stats()).toMatchObject({ timedOut: 1, failed: 1 });

    expect(await engine.transcribe(silentSegment(), soon())).toEqual({
      text: "Back on track.",
      confidence: null,
    });
    expect(engine.state()).toEqual({ state: "ready", message: null });
  });

  it("is degraded with whisper-cli's own error, and ready again after a success", async () => {
    await whisper.setAnswers([
      { exitCode: 10, stderr: "whisper-cli: failed to process audio\n" },
      { text: "Fine now." },
    ]);
    const engine = engineFor();
    await expect(engine.transcribe(silentSegment(), soon())).rejects.toThrow(
      "whisper-cli exited 10: whisper-cli: failed to process audio",
    );
    expect(engine.state().message).toContain("failed to process audio");
    expect((await engine.transcribe(silentSegment(), soon()))?.text).toBe("Fine now.");
    expect(engine.state().state).toBe("ready");
  });

  it("reads stdout when a control character breaks whisper-cli's JSON", async () => {
    await whisper.setAnswers([{ text: "Tab\there" }]);
    const engine = engineFor();
    expect((await engine.transcribe(silentSegment(), soon()))?.text).toBe("Tab\there");
  });

  it("fails clearly when an older whisper-cli ignores the flags and writes nothing", async () => {
    // What whisper-cli does with a flag it does not know: the usage on stderr, exit 0.
    await whisper.setAnswers([{ exitCode: 0, stderr: "error: unknown argument: --vad\n" }]);
    const engine = engineFor({ vadModelPath: whisper.vadModelPath });
    await expect(engine.transcribe(silentSegment(), soon())).rejects.toThrow(
      "whisper-cli wrote no JSON: error: unknown argument: --vad",
    );
    expect(engine.state().state).toBe("degraded");
  });

  it("drops and counts hallucinations", async () => {
    await whisper.setAnswers([{ text: "Thank you." }, { text: "[BLANK_AUDIO]" }, { text: "" }]);
    const engine = engineFor();
    for (let i = 0; i < 3; i++) expect(await engine.transcribe(silentSegment(), soon())).toBeNull();
    expect(engine.stats()).toMatchObject({ transcribed: 0, filtered: 2, empty: 1 });
    expect(engine.state().state).toBe("ready");
  });

  it("is degraded without its binary or model, and says which", async () => {
    const noBinary = engineFor({ executable: join(whisper.vadModelPath, "nope") });
    expect((await noBinary.check()).message).toContain("is not installed or not executable");
    await expect(noBinary.transcribe(silentSegment(), soon())).rejects.toThrow("not installed");

    const unset = engineFor({ modelPath: null });
    expect(await unset.check()).toEqual({
      state: "degraded",
      message: "WHISPER_MODEL_PATH is not set",
    });
    const missing = engineFor({ modelPath: "/nonexistent/ggml-base.bin" });
    expect((await missing.check()).message).toContain("/nonexistent/ggml-base.bin does not exist");
    await expect(missing.transcribe(silentSegment(), soon())).rejects.toThrow(
      "failed to initialize whisper context",
    );
    const noVad = engineFor({ vadModelPath: "/nonexistent/silero.bin" });
    expect((await noVad.check()).message).toContain("VAD model /nonexistent/silero.bin");
  });

  it("stop() kills a running whisper-cli", async () => {
    await whisper.setAnswers([{ hang: true }]);
    const before = (await whisper.invocations()).length;
    const engine = engineFor();
    const running = engine.transcribe(silentSegment(), soon());
    await eventually("the run", async () => (await whisper.invocations()).length > before);
    const run = (await whisper.invocations())[before]!;
    // Caught before the stop: the run may reject while stop() is still under way, and a rejection
    // nothing handles yet fails the test. (Bun's `expect(p).rejects` waits for `p` there and then.)
    const outcome = running.catch((err: unknown) => err);
    await engine.stop();
    expect(await outcome).toMatchObject({
      code: "engine_stopped",
      message: "the engine is stopped",
    });
    expect(await groupMembers(run.pid)).toEqual([]);
    expect(engine.stats().failed).toBe(0);
  });
});
