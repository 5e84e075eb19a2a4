/**
 * What the bench streams: espeak-ng sentences, each followed by a pause, made 48 kHz stereo
 * float32 by sox (testkit's `speak`: what OBS hands its audio callbacks), over a faint noise
 * floor as a real microphone has, and looped. Where each sentence's voice ends is measured.
 */
import { speak } from "../../packages/testkit/src/audio/obs-audio";

export const RATE = 48_000;
export const CHANNELS = 2;

/** Each longer than the 1.5 s minimum segment, so each closes on its silence, not its length. */
const SENTENCES = [
  "Welcome back to the stream, today we finish the castle on the north hill.",
  "Thanks for the follow, it really means a lot to me.",
  "Watch out, there is a creeper right behind you in the tunnel.",
  "Let me read the chat before we start the next round.",
  "I think the boss has about half of its health left now.",
  "We need more iron before we can build the rail line to the village.",
];
/** Pauses after each sentence, in turn: all longer than the 500 ms that closes a segment. */
const PAUSES_S = [1.2, 1.8, 2.5];
/** A voice sample louder than this (of full scale) is speech; the same bound as the tests'. */
const VOICE_THRESHOLD = 0.02;
/** About −66 dBFS of white noise: a quiet room through a decent microphone. */
const NOISE_AMPLITUDE = 0.0005;

export interface Sentence {
  text: string;
  /** Sample frames (48 kHz) from the loop's start. */
  startFrame: number;
  /** The last sample frame over the voice threshold. */
  lastVoiceFrame: number;
}

export interface Program {
  /** Interleaved stereo float32 of one loop. */
  samples: Float32Array;
  /** Sample frames in one loop. */
  loopFrames: number;
  sentences: Sentence[];
}

export async function buildProgram(): Promise<Program> {
  const voices: Float32Array[] = [];
  for (const text of SENTENCES) {
    const { pcm } = await speak(text, {
      encoding: "float32",
      rate: RATE,
      channels: CHANNELS,
      padBeforeS: 0,
      padAfterS: 0,
    });
    voices.push(new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4));
  }
  return assemble(voices);
}

function assemble(voices: Float32Array[]): Program {
  const pauses = voices.map((_, index) => Math.round(PAUSES_S[index % PAUSES_S.length]! * RATE));
  const loopFrames = voices.reduce(
    (sum, voice, index) => sum + voice.length / CHANNELS + pauses[index]!,
    0,
  );
  const samples = new Float32Array(loopFrames * CHANNELS);
  const sentences: Sentence[] = [];
  let at = 0;
  for (const [index, voice] of voices.entries()) {
    samples.set(voice, at * CHANNELS);
    let last = -1;
    for (let frame = 0; frame < voice.length / CHANNELS; frame++) {
      if (Math.abs(voice[frame * CHANNELS] ?? 0) >= VOICE_THRESHOLD) last = frame;
    }
    if (last === -1) throw new Error(`espeak-ng made no audible speech of "${SENTENCES[index]}"`);
    sentences.push({ text: SENTENCES[index]!, startFrame: at, lastVoiceFrame: at + last });
    at += voice.length / CHANNELS + pauses[index]!;
  }
  addNoise(samples);
  return { samples, loopFrames, sentences };
}

/** A fixed-seed generator, so every run streams the same audio. */
function addNoise(samples: Float32Array): void {
  let state = 0x2545f491;
  for (let i = 0; i < samples.length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    samples[i] = (samples[i] ?? 0) + (state / 2 ** 32 - 0.5) * 2 * NOISE_AMPLITUDE;
  }
}

/** Seconds of audio in one loop. */
export function loopSeconds(program: Program): number {
  return program.loopFrames / RATE;
}
