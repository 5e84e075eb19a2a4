/**
 * What 32-bit PCM means. The wire header says only "32 bits": OBS's native format is float32,
 * other senders send int32. `PHONONMASER_SAMPLE_FORMAT` names it per source
 * (`float32`, `int32`, `auto`, or a default then `sourceId=int32,...`); `auto` guesses per source.
 *
 * The guess: read the samples as float32. Float audio stays within a few units of ±1, so a NaN,
 * an infinity or a magnitude over 16 can only be int32 read the wrong way (every negative int32
 * sample quieter than half scale reads as one). One such sample settles int32; 16 000 non-zero
 * samples without one settle float32. Until settled, frames are read as float32.
 */

export const SAMPLE_FORMATS_32 = ["int32", "float32"] as const;
export type SampleFormat32 = (typeof SAMPLE_FORMATS_32)[number];
export type SampleFormatChoice = SampleFormat32 | "auto";
export type PcmEncoding = "int16" | SampleFormat32;

export interface SampleFormats {
  /** For sources not listed. */
  fallback: SampleFormatChoice;
  bySource: Record<string, SampleFormatChoice>;
}

const CHOICES: readonly string[] = ["auto", ...SAMPLE_FORMATS_32];
/** Float audio never comes near this; int32 read as float32 does at once. */
const FLOAT_MAGNITUDE_LIMIT = 16;
/** Non-zero samples (a third of a second at 48 kHz) without int32 evidence that settle float32. */
const FLOAT_SETTLE_SAMPLES = 16_000;

/** Parses the setting; a string is what is wrong with it. */
export function parseSampleFormats(value: string): SampleFormats | string {
  const formats: SampleFormats = { fallback: "auto", bySource: {} };
  for (const item of value.split(",").map((part) => part.trim())) {
    if (item === "") continue;
    const at = item.lastIndexOf("=");
    const choice = (at === -1 ? item : item.slice(at + 1).trim()).toLowerCase();
    if (!CHOICES.includes(choice)) {
      return `"${item}": the format must be int32, float32 or auto (as "format" or "sourceId=format", comma-separated)`;
    }
    if (at === -1) {
      formats.fallback = choice as SampleFormatChoice;
      continue;
    }
    const source = item.slice(0, at).trim();
    if (source === "") return `"${item}": a source id is missing before "="`;
    formats.bySource[source] = choice as SampleFormatChoice;
  }
  return formats;
}

export function choiceFor(formats: SampleFormats, sourceId: string): SampleFormatChoice {
  return formats.bySource[sourceId] ?? formats.fallback;
}

/** What one frame says about its 32-bit samples. */
export interface FormatEvidence {
  /** A sample that cannot be float audio. */
  int32: boolean;
  nonZero: number;
}

export function examine32(pcm: Uint8Array): FormatEvidence {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  let nonZero = 0;
  for (let at = 0; at + 4 <= pcm.byteLength; at += 4) {
    const sample = view.getFloat32(at, true);
    if (!Number.isFinite(sample) || Math.abs(sample) > FLOAT_MAGNITUDE_LIMIT) {
      return { int32: true, nonZero };
    }
    if (sample !== 0) nonZero++;
  }
  return { int32: false, nonZero };
}

/** One source's 32-bit format: configured, or guessed once and then kept. */
export class SampleFormatGuess {
  private settled: SampleFormat32 | null;
  private nonZeroSeen = 0;

  constructor(choice: SampleFormatChoice) {
    this.settled = choice === "auto" ? null : choice;
  }

  /** Whether the format is known for good (configured, or the guess settled). */
  get decided(): boolean {
    return this.settled !== null;
  }

  formatOf(pcm: Uint8Array): SampleFormat32 {
    if (this.settled !== null) return this.settled;
    const evidence = examine32(pcm);
    if (evidence.int32) {
      this.settled = "int32";
      return "int32";
    }
    this.nonZeroSeen += evidence.nonZero;
    if (this.nonZeroSeen >= FLOAT_SETTLE_SAMPLES) this.settled = "float32";
    return "float32";
  }
}
