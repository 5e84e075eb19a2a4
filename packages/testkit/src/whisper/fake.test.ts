import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeWhisperCli, type FakeWhisperCli } from "./fake";

let fake: FakeWhisperCli;
let dir: string;
let wavPath: string;

beforeAll(async () => {
  fake = await createFakeWhisperCli();
  dir = await mkdtemp(join(tmpdir(), "fake-whisper-test-"));
  wavPath = join(dir, "speech.wav");
  // One second of 16 kHz mono int16 silence.
  const bytes = new Uint8Array(44 + 32_000);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + 32_000, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 16_000, true);
  view.setUint32(28, 32_000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, 32_000, true);
  await Bun.write(wavPath, bytes);
});

afterAll(async () => {
  await fake.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const child = Bun.spawn([fake.executable, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, exitCode };
}

describe("the fake whisper-cli", () => {
  it("writes whisper.cpp's -oj JSON and prints the segments, one answer per run", async () => {
    await fake.setAnswers([{ text: ["Hello there.", "General Kenobi."] }, { text: "Second." }]);
    const out = join(dir, "first");
    const first = await run(["-m", fake.modelPath, "-f", wavPath, "-oj", "-of", out, "-np"]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain("]   Hello there.\n");
    const json = JSON.parse(await readFile(`${out}.json`, "utf8"));
    expect(json.transcription.map((s: { text: string }) => s.text)).toEqual([
      " Hello there.",
      " General Kenobi.",
    ]);
    expect(json.transcription[1].offsets).toEqual({ from: 500, to: 1000 });

    const second = await run(["-m", fake.modelPath, "-nt", "-otxt", "-of", "-", wavPath]);
    expect(second.stdout).toBe("Second.\n");
    const third = await run(["-m", fake.modelPath, "-nt", "-np", wavPath]);
    expect(third.stdout).toBe("\n Second.");

    // Like cli.cpp, it escapes only quotes and backslashes: a tab makes the JSON invalid.
    await fake.setAnswers([{ text: 'a "quoted"\tword' }]);
    const broken = join(dir, "broken");
    await run(["-m", fake.modelPath, "-f", wavPath, "-oj", "-of", broken, "-np"]);
    const written = await readFile(`${broken}.json`, "utf8");
    expect(written).toContain('"text": " a \\"quoted\\"\tword"');
    expect(() => JSON.parse(written)).toThrow();
  });

  it("records each run's flags, prompt and audio", async () => {
    await fake.setAnswers([{ text: "ok" }]);
    const before = (await fake.invocations()).length;
    await run([
      ...["-m", fake.modelPath, "-f", wavPath, "-t", "2", "-l", "de"],
      ...["--vad", "-vm", fake.vadModelPath, "--prompt", "Participants include: a."],
    ]);
    const invocation = (await fake.invocations())[before];
    expect(invocation?.threads).toBe(2);
    expect(invocation?.language).toBe("de");
    expect(invocation?.prompt).toBe("Participants include: a.");
    expect(invocation?.vadModel).toBe(fake.vadModelPath);
    expect(invocation?.inputs).toEqual([
      { path: wavPath, sampleRate: 16_000, channels: 1, durationMs: 1000 },
    ]);
  });

  it("fails as whisper-cli does", async () => {
    const model = await run(["-m", join(dir, "missing.bin"), "-f", wavPath, "-np"]);
    expect(model).toEqual({
      stdout: "",
      stderr: "error: failed to initialize whisper context\n",
      exitCode: 3,
    });
    const input = await run(["-m", fake.modelPath, "-f", join(dir, "missing.wav")]);
    expect(input.exitCode).toBe(2);
    expect(input.stderr).toContain("error: no input files specified");
    // Its quirk: an unknown flag prints the usage and exits 0.
    const flag = await run(["-m", fake.modelPath, "-f", wavPath, "--no-such-flag"]);
    expect(flag.exitCode).toBe(0);
    expect(flag.stderr).toStartWith("error: unknown argument: --no-such-flag\n");
    const language = await run(["-m", fake.modelPath, "-f", wavPath, "-l", "xx"]);
    expect(language.stderr).toStartWith("error: unknown language 'xx'");
    await fake.setAnswers([{ exitCode: 10, stderr: "whisper-cli: failed to process audio\n" }]);
    const scripted = await run(["-m", fake.modelPath, "-f", wavPath]);
    expect(scripted).toEqual({
      stdout: "",
      stderr: "whisper-cli: failed to process audio\n",
      exitCode: 10,
    });
  });
});
