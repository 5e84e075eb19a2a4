/**
 * One window of the stream, summarised: the transcript, chat figures (count, velocity per minute,
 * participants, the share that reacted to speech), which chat reacted to which utterance,
 * interactions by type, and the top emotes (and the channel's own among them). Pure: the same
 * inputs and bounds give the same summary.
 */

import type { ChatFigures, EmoteCount } from "@landale/shared";
import type { z } from "zod";
import type { ChatLine, Utterance, WindowInputs } from "../inputs/inputs";
import type { EpochMs } from "../time";

export const MAX_TRANSCRIPT_CHARS = 20_000;
export const TOP_EMOTES = 10;
const MINUTE_MS = 60_000;

export interface Reaction {
  utterance: Utterance;
  chat: ChatLine[];
}

export interface WindowSummary {
  from: EpochMs;
  to: EpochMs;
  /** The session of the latest utterance, or null when nobody spoke. */
  sessionId: string | null;
  utterances: Utterance[];
  transcript: string;
  chat: ChatLine[];
  figures: z.infer<typeof ChatFigures>;
  /** Utterances chat reacted to, with the reactions. */
  reactions: Reaction[];
  interactions: Record<string, number>;
  emotes: { top: EmoteTally[]; native: EmoteTally[] };
}

export interface SummaryOptions {
  from: EpochMs;
  to: EpochMs;
  /** How long after an utterance ends chat still counts as a reaction to it. */
  reactionMs: number;
  /** The channel's own emotes (ids and names), or null when they are not known. */
  nativeEmotes: ReadonlySet<string> | null;
}

type EmoteTally = z.infer<typeof EmoteCount>;

export function summarize(inputs: WindowInputs, options: SummaryOptions): WindowSummary {
  const { utterances, chat } = inputs;
  const reactions = correlate(utterances, chat, options.reactionMs);
  const reacting = new Set<string>();
  for (const reaction of reactions) for (const line of reaction.chat) reacting.add(line.id);
  const minutes = Math.max(options.to - options.from, 1) / MINUTE_MS;
  return {
    from: options.from,
    to: options.to,
    sessionId: utterances.at(-1)?.sessionId ?? null,
    utterances,
    transcript: utterances
      .map((utterance) => utterance.text.trim())
      .join(" ")
      .slice(0, MAX_TRANSCRIPT_CHARS),
    chat,
    figures: {
      messages: chat.length,
      velocity: round(chat.length / minutes),
      participants: new Set(chat.map((line) => line.user)).size,
      reaction_share: chat.length === 0 ? 0 : round(reacting.size / chat.length),
    },
    reactions,
    interactions: countBy(inputs.interactions.map((interaction) => interaction.type)),
    emotes: topEmotes(inputs.emotes, options.nativeEmotes),
  };
}

/**
 * Chat from an utterance's start until `reactionMs` after it ends reacts to it: people answer a
 * sentence while it is still being said, and a few seconds after (stream delay, typing).
 */
export function correlate(
  utterances: readonly Utterance[],
  chat: readonly ChatLine[],
  reactionMs: number,
): Reaction[] {
  const reactions: Reaction[] = [];
  for (const utterance of utterances) {
    const until = utterance.at + utterance.durationMs + reactionMs;
    const lines = chat.filter((line) => line.at >= utterance.at && line.at <= until);
    if (lines.length > 0) reactions.push({ utterance, chat: lines });
  }
  return reactions;
}

function topEmotes(
  uses: WindowInputs["emotes"],
  native: ReadonlySet<string> | null,
): WindowSummary["emotes"] {
  const counts = new Map<string, { count: number; native: boolean }>();
  for (const use of uses) {
    const entry = counts.get(use.name) ?? {
      count: 0,
      native: native !== null && (native.has(use.id) || native.has(use.name)),
    };
    entry.count++;
    counts.set(use.name, entry);
  }
  const ranked = [...counts.entries()].sort(
    ([nameA, a], [nameB, b]) => b.count - a.count || nameA.localeCompare(nameB),
  );
  const top = (entries: typeof ranked): EmoteTally[] =>
    entries.slice(0, TOP_EMOTES).map(([name, { count }]) => ({ name, count }));
  return { top: top(ranked), native: top(ranked.filter(([, entry]) => entry.native)) };
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
