import { describe, expect, it } from "bun:test";
import { sinePcm } from "../../test/support/frames";
import { toInt16, toMono } from "./pcm";
import { loadSpeex, OUTPUT_RATE, Resampler } from "./resampler";

/** Sign changes per second: twice the frequency of a sine. */
function zeroCrossings(samples: Float32Array | Int16Array): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1] ?? 0) < 0 !== (samples[i] ?? 0) < 0) crossings++;
  }
  return crossings;
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

/** Resamples `mono` in packets of `packet` samples, as frames arrive. */
function resampleInPackets(resampler: Resampler, mono: Float32Array, packet: number): Float32Array {
  const parts: Float32Array[] = [];
  for (let at = 0; at < mono.length; at += packet)
    parts.push(resampler.process(mono.subarray(at, at + packet)));
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe("downmix and resampling to 16 kHz", () => {
  for (const encoding of ["int16", "int32", "float32"] as const) {
    it(`turns a 1 kHz sine at 48 kHz stereo ${encoding} into 1 kHz at 16 kHz mono`, async () => {
      const mono = toMono(sinePcm(encoding, { frames: 48_000, amplitude: 0.5 }), 2, encoding);
      expect(mono.length).toBe(48_000);
      const resampler = new Resampler(await loadSpeex(), 48_000);
      const out = resampleInPackets(resampler, mono, 1024);
      resampler.destroy();
      // One second in, one second out but for the filter's delay (a few ms still inside it).
      expect(out.length).toBeGreaterThan(OUTPUT_RATE - 100);
      expect(out.length).toBeLessThanOrEqual(OUTPUT_RATE);
      const steady = out.subarray(200, 200 + 8000);
      // Half a second of a 1 kHz sine crosses zero 1000 times.
      expect(Math.abs(zeroCrossings(steady) - 1000)).toBeLessThanOrEqual(2);
      expect(rms(steady)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    });
  }

  it("resamples 44.1 kHz too, and the same whether fed whole or in packets", async () => {
    const mono = toMono(
      sinePcm("float32", { frames: 44_100, rate: 44_100, hz: 440 }),
      2,
      "float32",
    );
    const speex = await loadSpeex();
    const whole = new Resampler(speex, 44_100);
    const inPackets = new Resampler(speex, 44_100);
    const a = whole.process(mono);
    const b = resampleInPackets(inPackets, mono, 441);
    whole.destroy();
    inPackets.destroy();
    expect(b.length).toBe(a.length);
    let largestDifference = 0;
    for (let i = 0; i < a.length; i++) {
      largestDifference = Math.max(largestDifference, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    }
    expect(largestDifference).toBeLessThan(1e-5);
    expect(Math.abs(zeroCrossings(a.subarray(200, 200 + 8000)) - 440)).toBeLessThanOrEqual(2);
  });

  it("averages channels and saturates int16", () => {
    const pcm = new Uint8Array(8);
    const view = new DataView(pcm.buffer);
    view.setFloat32(0, 1, true);
    view.setFloat32(4, -0.5, true);
    expect(Array.from(toMono(pcm, 2, "float32"))).toEqual([0.25]);
    expect(Array.from(toInt16(new Float32Array([1.5, -2, 0.5])))).toEqual([32767, -32768, 16384]);
  });
});
