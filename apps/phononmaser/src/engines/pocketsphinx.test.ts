import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  eventually,
  groupMembers,
  quietLogger,
  silentSegment,
  speechSegment,
} from "../../test/engines-support";
import type { Segment } from "../pipeline/segment";
import { createEngine } from "./engine";

let dir: string;
let speech: Segment;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pocketsphinx-test-"));
  speech = await speechSegment();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const never = () => new AbortController().signal;

describe("the pocketsphinx engine", () => {
  it("is ready on this machine and transcribes real speech", async () => {
    const engine = createEngine({ transcriber: "pocketsphinx" }, { logger: quietLogger() });
    expect(await engine.check()).toEqual({ state: "ready", message: null });
    const result = await engine.transcribe(speech, AbortSignal.timeout(60_000));
    expect(result?.text).toContain("quick brown fox");
    expect(result?.confidence).toBeNull();
    expect(engine.stats().transcribed).toBe(1);
    await engine.stop();
  });

  it("returns nothing for silence and counts it", async () => {
    const engine = createEngine({ transcriber: "pocketsphinx" }, { logger: quietLogger() });
    expect(await engine.transcribe(silentSegment(), AbortSignal.timeout(60_000))).toBeNull();
    expect(engine.stats()).toMatchObject({ transcribed: 0, empty: 1 });
    await engine.stop();
  });

  it("is degraded, not dead, without its binary or its model", async () => {
    const logger = quietLogger();
    const noBinary = createEngine(
      { transcriber: "pocketsphinx", pocketsphinx: { executable: join(dir, "missing") } },
      { logger },
    );
    const checked = await noBinary.check();
    expect(checked.state).toBe("degraded");
    expect(checked.message).toContain("is not installed");
    await expect(noBinary.transcribe(speech, never())).rejects.toThrow("is not installed");
    expect(noBinary.stats().failed).toBe(1);

    const noModel = createEngine(
      { transcriber: "pocketsphinx", pocketsphinx: { modelDir: dir } },
      { logger },
    );
    expect((await noModel.check()).message).toContain(`model is missing from ${dir}`);
    await expect(noModel.transcribe(speech, never())).rejects.toThrow("exited 1");
    expect(noModel.state().state).toBe("degraded");
  });

  it("kills the recogniser and what it started when aborted, and removes the audio", async () => {
    // A wrapper that forks: the real recogniser plus a helper that would outlive it.
    const wrapper = join(dir, "pocketsphinx-wrapper");
    const started = join(dir, "started");
    await writeFile(
      wrapper,
      `#!/bin/sh\necho "$$ $2" > ${started}\nsleep 600 &\npocketsphinx_continuous "$@"\nwait\n`,
    );
    await chmod(wrapper, 0o755);
    const engine = createEngine(
      { transcriber: "pocketsphinx", pocketsphinx: { executable: wrapper } },
      { logger: quietLogger() },
    );
    const abort = new AbortController();
    const running = engine.transcribe(speech, abort.signal);
    await eventually("the wrapper to start", async () =>
      (await readFile(started, "utf8").catch(() => "")).endsWith("\n"),
    );
    const [group, wav] = (await readFile(started, "utf8")).trim().split(" ");
    await eventually(
      "the wrapper's children",
      async () => (await groupMembers(Number(group))).length >= 2,
    );
    abort.abort(new Error("shutting down"));
    await expect(running).rejects.toThrow("shutting down");
    expect(await groupMembers(Number(group))).toEqual([]);
    expect(await Bun.file(wav!).exists()).toBe(false);
    // An abort that is not a timeout says nothing about the engine's health.
    expect(engine.stats().failed).toBe(0);
    await engine.stop();
  });
});
