/**
 * Streaming mono resampler (Speex, compiled to WASM): any input rate → 16 kHz. The filter keeps
 * its state between calls, so chunk boundaries leave no seams; its start-up delay is skipped,
 * so output sample i is input time i / 16 000 s.
 */
import createSpeexModule, { type SpeexModule } from "@echogarden/speex-resampler-wasm";

export const OUTPUT_RATE = 16_000;
/** Speex's "desktop" quality: ample for speech, a fraction of a core's percent at 48 kHz. */
const QUALITY = 5;
/** Input samples per WASM call; larger chunks are fed in pieces so the buffers stay fixed. */
const BLOCK = 4096;

let modulePromise: Promise<SpeexModule> | null = null;

/** The WASM module, instantiated once per process. */
export function loadSpeex(): Promise<SpeexModule> {
  modulePromise ??= createSpeexModule();
  return modulePromise;
}

export class Resampler {
  private readonly state: number;
  private readonly input: number;
  private readonly output: number;
  private readonly lengths: number;
  private readonly outputCapacity: number;
  private destroyed = false;

  constructor(
    private readonly speex: SpeexModule,
    readonly inputRate: number,
  ) {
    this.lengths = speex._malloc(8);
    this.state = speex._speex_resampler_init(1, inputRate, OUTPUT_RATE, QUALITY, this.lengths);
    const error = speex.HEAP32[this.lengths >> 2];
    if (this.state === 0 || error !== 0) {
      speex._free(this.lengths);
      throw new Error(`speex resampler refused ${inputRate} Hz (error ${error})`);
    }
    speex._speex_resampler_skip_zeros(this.state);
    this.outputCapacity = Math.ceil((BLOCK * OUTPUT_RATE) / inputRate) + 64;
    this.input = speex._malloc(BLOCK * 4);
    this.output = speex._malloc(this.outputCapacity * 4);
  }

  process(samples: Float32Array): Float32Array {
    if (this.destroyed) throw new Error("resampler used after destroy");
    const out = new Float32Array(Math.ceil((samples.length * OUTPUT_RATE) / this.inputRate) + 64);
    let produced = 0;
    for (let start = 0; start < samples.length; ) {
      const block = samples.subarray(start, start + BLOCK);
      // The heap views are read afresh each time: growing the WASM memory replaces them.
      this.speex.HEAPF32.set(block, this.input >> 2);
      this.speex.HEAPU32[this.lengths >> 2] = block.length;
      this.speex.HEAPU32[(this.lengths >> 2) + 1] = this.outputCapacity;
      const code = this.speex._speex_resampler_process_float(
        this.state,
        0,
        this.input,
        this.lengths,
        this.output,
        this.lengths + 4,
      );
      if (code !== 0) throw new Error(`speex resampler failed (error ${code})`);
      const consumed = this.speex.HEAPU32[this.lengths >> 2] ?? 0;
      const written = this.speex.HEAPU32[(this.lengths >> 2) + 1] ?? 0;
      if (produced + written > out.length)
        throw new Error("speex resampler wrote more than expected");
      out.set(
        this.speex.HEAPF32.subarray(this.output >> 2, (this.output >> 2) + written),
        produced,
      );
      produced += written;
      if (consumed === 0) throw new Error("speex resampler consumed nothing");
      start += consumed;
    }
    return out.subarray(0, produced);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.speex._speex_resampler_destroy(this.state);
    this.speex._free(this.input);
    this.speex._free(this.output);
    this.speex._free(this.lengths);
  }
}
