/** The two Emscripten modules ship no types: the functions this worker calls, from their C APIs. */

interface EmscriptenHeap {
  HEAP16: Int16Array;
  HEAP32: Int32Array;
  HEAPU32: Uint32Array;
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

declare module "@echogarden/speex-resampler-wasm" {
  export interface SpeexModule extends EmscriptenHeap {
    _speex_resampler_init(
      channels: number,
      inRate: number,
      outRate: number,
      quality: number,
      errorPointer: number,
    ): number;
    _speex_resampler_destroy(state: number): void;
    _speex_resampler_skip_zeros(state: number): number;
    _speex_resampler_get_output_latency(state: number): number;
    _speex_resampler_process_float(
      state: number,
      channel: number,
      input: number,
      inputLengthPointer: number,
      output: number,
      outputLengthPointer: number,
    ): number;
  }
  export default function createSpeexModule(): Promise<SpeexModule>;
}

declare module "@echogarden/fvad-wasm" {
  export interface FvadModule extends EmscriptenHeap {
    _fvad_new(): number;
    _fvad_free(instance: number): void;
    _fvad_reset(instance: number): void;
    _fvad_set_mode(instance: number, mode: number): number;
    _fvad_set_sample_rate(instance: number, rate: number): number;
    /** 1 speech, 0 not, -1 a frame of the wrong length. */
    _fvad_process(instance: number, frame: number, length: number): number;
  }
  export default function createFvadModule(): Promise<FvadModule>;
}
