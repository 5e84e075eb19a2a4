/** Inputs as the hub hands them to the worker: chat and interaction envelopes, transcriptions. */
import type { EventEnvelope, Transcription } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

export interface ChatOptions {
  user: string;
  text: string;
  /** Emotes placed after the text, as Twitch puts emote fragments. */
  emotes?: Array<{ name: string; id: string }>;
}

/** `channel.chat.message` data as Twitch sends it, for this chatter and message. */
export function chatData({ user, text, emotes = [] }: ChatOptions): Record<string, unknown> {
  const sample = TWITCH_SAMPLES["channel.chat.message"] as Record<string, unknown>;
  const fragments: unknown[] = [
    { type: "text", text, cheermote: null, emote: null, mention: null },
    ...emotes.map((emote) => ({
      type: "emote",
      text: emote.name,
      cheermote: null,
      emote: { id: emote.id, emote_set_id: "0", owner_id: "0", format: ["static"] },
      mention: null,
    })),
  ];
  return {
    ...sample,
    chatter_user_id: `id-${user}`,
    chatter_user_login: user,
    chatter_user_name: user,
    message_id: nextId("msg"),
    message: { text: [text, ...emotes.map((emote) => emote.name)].join(" "), fragments },
  };
}

function envelope(type: string, ts: string, data: unknown): EventEnvelope {
  const seq = ++counter;
  return {
    id: nextId("evt"),
    seq,
    type,
    source: "twitch",
    ts,
    received_at: ts,
    correlation_id: `corr-${seq}`,
    data,
  };
}

export function chatEvent(ts: string, options: ChatOptions): EventEnvelope {
  return envelope("channel.chat.message", ts, chatData(options));
}

export function interactionEvent(type: keyof typeof TWITCH_SAMPLES, ts: string): EventEnvelope {
  return envelope(type, ts, TWITCH_SAMPLES[type]);
}

export function transcription(
  ts: string,
  text: string,
  options: { durationMs?: number; sessionId?: string; id?: string } = {},
): Transcription {
  return {
    id: options.id ?? nextId("tr"),
    session_id: options.sessionId ?? "stream_2025_06_01",
    ts,
    duration_ms: options.durationMs ?? 2000,
    text,
    source_id: null,
    confidence: null,
  };
}
