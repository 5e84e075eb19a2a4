/**
 * What the worker keeps of the hub's streams: speech (`transcription:live`), chat messages and the
 * emotes in them (`events:chat`), and interactions (`events:interactions`), each in its own bounded
 * buffer. Every item is stamped with the instant of its envelope's or transcription's `ts` in
 * epoch milliseconds; a timestamp inside an event's data (Twitch's, in whatever unit) is never read.
 */
import { ChannelChatMessageEvent, type EventEnvelope, type Transcription } from "@landale/shared";
import { type EpochMs, epochMsOf } from "../time";
import { type BufferStats, TimedBuffer } from "./buffer";

export const CHAT_MESSAGE_TYPE = "channel.chat.message";
/** Twitch caps a message at 500 characters; a longer one is cut rather than held whole. */
const MAX_CHAT_CHARS = 500;

export interface Utterance {
  at: EpochMs;
  id: string;
  sessionId: string;
  durationMs: number;
  text: string;
}

export interface ChatLine {
  at: EpochMs;
  id: string;
  /** The chatter's login. */
  user: string;
  text: string;
  /** The message without its emotes, for keywords. */
  words: string;
  emotes: string[];
}

export interface EmoteUse {
  at: EpochMs;
  id: string;
  name: string;
}

export interface Interaction {
  at: EpochMs;
  id: string;
  type: string;
}

export const BUFFER_DEFAULTS = {
  transcriptions: 1000,
  chat: 2000,
  emotes: 1000,
  interactions: 500,
} as const;

export type BufferCapacities = { [K in keyof typeof BUFFER_DEFAULTS]: number };

export interface WindowInputs {
  utterances: Utterance[];
  chat: ChatLine[];
  emotes: EmoteUse[];
  interactions: Interaction[];
}

export interface InputStats {
  transcriptions: BufferStats;
  chat: BufferStats;
  emotes: BufferStats;
  interactions: BufferStats;
  /** Chat events whose data failed its schema, or envelopes without a readable `ts`. */
  invalid: number;
  /** Transcriptions, chat messages and interactions seen twice (a read-back overlapping the live stream). */
  duplicates: number;
}

export class Inputs {
  readonly #utterances: TimedBuffer<Utterance>;
  readonly #chat: TimedBuffer<ChatLine>;
  readonly #emotes: TimedBuffer<EmoteUse>;
  readonly #interactions: TimedBuffer<Interaction>;
  #invalid = 0;
  #duplicates = 0;

  constructor(capacities: BufferCapacities = BUFFER_DEFAULTS) {
    this.#utterances = new TimedBuffer(capacities.transcriptions);
    this.#chat = new TimedBuffer(capacities.chat);
    this.#emotes = new TimedBuffer(capacities.emotes);
    this.#interactions = new TimedBuffer(capacities.interactions);
  }

  /** Keeps a transcription once, however often it arrives. */
  takeTranscription(transcription: Transcription): boolean {
    const at = epochMsOf(transcription.ts);
    if (at === null) {
      this.#invalid++;
      return false;
    }
    if (this.#utterances.some((utterance) => utterance.id === transcription.id)) {
      this.#duplicates++;
      return false;
    }
    this.#utterances.add({
      at,
      id: transcription.id,
      sessionId: transcription.session_id,
      durationMs: transcription.duration_ms,
      text: transcription.text,
    });
    return true;
  }

  /**
   * Keeps a chat message and its emotes once, however often it arrives; other `events:chat` types
   * (deletes, clears) are passed.
   */
  takeChat(envelope: EventEnvelope): boolean {
    if (envelope.type !== CHAT_MESSAGE_TYPE) return false;
    if (this.#chat.some((line) => line.id === envelope.id)) {
      this.#duplicates++;
      return false;
    }
    const at = epochMsOf(envelope.ts);
    const parsed = ChannelChatMessageEvent.safeParse(envelope.data);
    if (at === null || !parsed.success) {
      this.#invalid++;
      return false;
    }
    const event = parsed.data;
    const emotes: string[] = [];
    const words: string[] = [];
    for (const fragment of event.message.fragments) {
      if (fragment.type === "emote" && fragment.emote !== null) {
        emotes.push(fragment.text);
        this.#emotes.add({ at, id: fragment.emote.id, name: fragment.text });
      } else if (fragment.type === "text") {
        words.push(fragment.text);
      }
    }
    this.#chat.add({
      at,
      id: envelope.id,
      user: event.chatter_user_login,
      text: event.message.text.slice(0, MAX_CHAT_CHARS),
      words: words.join(" ").slice(0, MAX_CHAT_CHARS),
      emotes,
    });
    return true;
  }

  /** Keeps an interaction (follow, sub, cheer, raid, redemption…) by its event type, once. */
  takeInteraction(envelope: EventEnvelope): boolean {
    const at = epochMsOf(envelope.ts);
    if (at === null) {
      this.#invalid++;
      return false;
    }
    if (this.#interactions.some((interaction) => interaction.id === envelope.id)) {
      this.#duplicates++;
      return false;
    }
    this.#interactions.add({ at, id: envelope.id, type: envelope.type });
    return true;
  }

  /** What happened with `from <= at < to`, each list oldest first. */
  between(from: EpochMs, to: EpochMs): WindowInputs {
    return {
      utterances: this.#utterances.between(from, to),
      chat: this.#chat.between(from, to),
      emotes: this.#emotes.between(from, to),
      interactions: this.#interactions.between(from, to),
    };
  }

  /** Lets go of everything older than `horizon`. */
  prune(horizon: EpochMs): void {
    this.#utterances.prune(horizon);
    this.#chat.prune(horizon);
    this.#emotes.prune(horizon);
    this.#interactions.prune(horizon);
  }

  stats(): InputStats {
    return {
      transcriptions: this.#utterances.stats(),
      chat: this.#chat.stats(),
      emotes: this.#emotes.stats(),
      interactions: this.#interactions.stats(),
      invalid: this.#invalid,
      duplicates: this.#duplicates,
    };
  }
}
