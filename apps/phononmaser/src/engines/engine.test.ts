import { describe, expect, it } from "bun:test";
import { quietLogger, silentSegment } from "../../test/engines-support";
import { EngineStoppedError } from "./backend";
import { createEngine } from "./engine";

describe("createEngine", () => {
  it("builds the none engine: off, and it transcribes nothing", async () => {
    const engine = createEngine({ transcriber: "none" }, { logger: quietLogger() });
    expect(engine.name).toBe("none");
    const off = { state: "off", message: "LANDALE_TRANSCRIBER is none" } as const;
    expect(await engine.check()).toEqual(off);
    expect(engine.state()).toEqual(off);
    expect(await engine.transcribe(silentSegment(), new AbortController().signal)).toBeNull();
    await engine.stop();
  });

  it("starts degraded until checked, and refuses work once stopped", async () => {
    const engine = createEngine({ transcriber: "pocketsphinx" }, { logger: quietLogger() });
    expect(engine.name).toBe("pocketsphinx");
    expect(engine.state()).toEqual({ state: "degraded", message: "not checked yet" });
    await engine.stop();
    await expect(
      engine.transcribe(silentSegment(), new AbortController().signal),
    ).rejects.toBeInstanceOf(EngineStoppedError);
  });
});
