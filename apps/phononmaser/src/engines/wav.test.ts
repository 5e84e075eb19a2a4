import { describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { encodeWav, withTempWav } from "./wav";

describe("segments as WAV", () => {
  it("writes a file sox reads as 16 kHz mono 16-bit with every sample", async () => {
    const pcm = Int16Array.from({ length: 16_000 }, (_, i) =>
      Math.round(Math.sin(i / 10) * 10_000),
    );
    let seen = "";
    await withTempWav(pcm, async ({ wav }) => {
      seen = wav;
      const info = Bun.spawnSync(["soxi", wav]).stdout.toString();
      expect(info).toMatch(/Channels\s+: 1/);
      expect(info).toMatch(/Sample Rate\s+: 16000/);
      expect(info).toMatch(/Precision\s+: 16-bit/);
      expect(info).toContain("16000 samples");
      const raw = Bun.spawnSync([
        "sox",
        wav,
        "-t",
        "raw",
        "-e",
        "signed-integer",
        "-b",
        "16",
        "-L",
        "-",
      ]).stdout;
      expect([...new Int16Array(new Uint8Array(raw).buffer)]).toEqual([...pcm]);
    });
    expect(existsSync(seen)).toBe(false);
  });

  it("removes the temp file when the work fails", async () => {
    let seen = "";
    const failing = withTempWav(new Int16Array(10), async ({ wav }) => {
      seen = wav;
      throw new Error("engine failed");
    });
    await expect(failing).rejects.toThrow("engine failed");
    expect(existsSync(seen)).toBe(false);
    expect(encodeWav(new Int16Array(3)).length).toBe(50);
  });
});
