/**
 * WebRTC's voice activity detector (libfvad, compiled to WASM) on 30 ms frames of 16 kHz int16.
 */
import createFvadModule, { type FvadModule } from "@echogarden/fvad-wasm";

export const VAD_RATE = 16_000;
export const FRAME_MS = 30;
export const FRAME_SAMPLES = (VAD_RATE * FRAME_MS) / 1000;

let modulePromise: Promise<FvadModule> | null = null;

/** The WASM module, instantiated once per process. */
export function loadFvad(): Promise<FvadModule> {
  modulePromise ??= createFvadModule();
  return modulePromise;
}

export class Vad {
  private readonly instance: number;
  private readonly frame: number;
  private destroyed = false;

  /** `mode`: 0 (keeps the most) to 3 (drops the most non-speech). */
  constructor(
    private readonly fvad: FvadModule,
    mode: number,
  ) {
    this.instance = fvad._fvad_new();
    if (this.instance === 0) throw new Error("fvad could not allocate a detector");
    if (
      fvad._fvad_set_sample_rate(this.instance, VAD_RATE) !== 0 ||
      fvad._fvad_set_mode(this.instance, mode) !== 0
    ) {
      fvad._fvad_free(this.instance);
      throw new Error(`fvad refused ${VAD_RATE} Hz or mode ${mode}`);
    }
    this.frame = fvad._malloc(FRAME_SAMPLES * 2);
  }

  isSpeech(frame: Int16Array): boolean {
    if (this.destroyed) throw new Error("vad used after destroy");
    if (frame.length !== FRAME_SAMPLES) throw new Error(`a VAD frame is ${FRAME_SAMPLES} samples`);
    this.fvad.HEAP16.set(frame, this.frame >> 1);
    const decision = this.fvad._fvad_process(this.instance, this.frame, FRAME_SAMPLES);
    if (decision < 0) throw new Error("fvad refused the frame");
    return decision === 1;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.fvad._free(this.frame);
    this.fvad._fvad_free(this.instance);
  }
}
