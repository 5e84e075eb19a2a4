/**
 * The offline analysis: what the worker can say about a window with no model. Sentiment from the
 * AFINN lexicon (`sentiment`, with a few Twitch emotes added), `mixed` when both sides are strong;
 * energy from chat velocity and exclamations; engagement and community sync from participants and
 * reactions to speech; topics from keywords; momentum from chat's pace in each half of the window.
 * Always a valid `Analysis`.
 */
import { Analysis } from "@landale/shared";
import Sentiment from "sentiment";
import type { WindowSummary } from "../window/window";
import { keywords } from "./keywords";

/** Twitch emotes the AFINN lexicon does not know, scored as AFINN scores words (-5…5). */
const EMOTE_SCORES: Record<string, number> = {
  pog: 3,
  pogchamp: 3,
  poggers: 3,
  pogu: 3,
  kekw: 2,
  lul: 2,
  omegalul: 2,
  catjam: 2,
  gg: 2,
  biblethump: -2,
  notlikethis: -2,
  residentsleeper: -2,
  wutface: -2,
  sadge: -2,
};

/** Messages per minute that count as a busy chat (energy 1 from pace alone). */
const BUSY_VELOCITY = 30;
/** Chatters that count as a full room (engagement 1 from numbers alone). */
const FULL_ROOM = 10;
/** A side of the sentiment is strong from this share of scored lines. */
const STRONG_SHARE = 0.25;
/** Net sentiment (positive share less negative share) that tips the balance. */
const LEANING = 0.1;
/** Pace between the halves of the window that makes a trend rather than noise. */
const TREND_RATIO = 1.5;

const scorer = new Sentiment();

export function fallbackAnalysis(summary: WindowSummary): Analysis {
  const { figures } = summary;
  const texts = [
    ...summary.utterances.map((u) => u.text),
    ...summary.chat.map((line) => line.text),
  ];
  const mood = sentimentOf(texts);
  const excited = share(
    summary.chat.map((line) => line.text),
    isExcited,
  );
  const energy = clamp(0.7 * Math.min(1, figures.velocity / BUSY_VELOCITY) + 0.3 * excited);
  const emoteNames = summary.chat.flatMap((line) => line.emotes);
  const topics = keywords(
    [...summary.utterances.map((u) => u.text), ...summary.chat.map((line) => line.words)],
    { limit: 5, exclude: emoteNames },
  );
  const focus = keywords(
    summary.utterances.map((u) => u.text),
    { limit: 3, exclude: emoteNames },
  );
  const chatTopics = keywords(
    summary.chat.map((line) => line.words),
    { limit: 3, exclude: emoteNames },
  );
  const momentum = momentumOf(summary);
  return Analysis.parse({
    patterns: {
      energy_level: round(energy),
      engagement_depth: round(
        clamp(0.5 * Math.min(1, figures.participants / FULL_ROOM) + 0.5 * figures.reaction_share),
      ),
      community_sync: round(figures.reaction_share),
      content_focus: focus,
      mood_indicators: {
        positive: round(mood.positive),
        negative: round(mood.negative),
        excitement: round(excited),
      },
      temporal_flow: momentum.description,
    },
    dynamics: null,
    sentiment: mood.sentiment,
    sentiment_trajectory: null,
    topics,
    context: describe(summary, mood.sentiment, { said: focus, chatted: chatTopics }),
    suggested_actions: suggestions(summary, mood.sentiment, energy),
    momentum,
  });
}

export interface Mood {
  sentiment: Analysis["sentiment"];
  /** Shares of the scored lines that read positive and negative. */
  positive: number;
  negative: number;
}

/** The lexicon's verdict over lines of speech and chat. */
export function sentimentOf(texts: readonly string[]): Mood {
  let positive = 0;
  let negative = 0;
  for (const text of texts) {
    const { score } = scorer.analyze(text, { extras: EMOTE_SCORES });
    if (score > 0) positive++;
    else if (score < 0) negative++;
  }
  const total = Math.max(texts.length, 1);
  const pos = positive / total;
  const neg = negative / total;
  const sentiment =
    pos >= STRONG_SHARE && neg >= STRONG_SHARE
      ? "mixed"
      : pos - neg >= LEANING
        ? "positive"
        : neg - pos >= LEANING
          ? "negative"
          : "neutral";
  return { sentiment, positive: pos, negative: neg };
}

/** An exclamation, or shouting in capitals. */
function isExcited(text: string): boolean {
  if (text.includes("!")) return true;
  const letters = text.replace(/[^\p{L}]/gu, "");
  return (
    letters.length >= 4 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()
  );
}

function momentumOf(summary: WindowSummary): NonNullable<Analysis["momentum"]> {
  const middle = summary.from + (summary.to - summary.from) / 2;
  const early = summary.chat.filter((line) => line.at < middle).length;
  const late = summary.chat.length - early;
  const direction =
    late >= 2 && late >= early * TREND_RATIO
      ? "ramping_up"
      : early >= 2 && early >= late * TREND_RATIO
        ? "winding_down"
        : "steady_state";
  const minutes = Math.max(summary.to - summary.from, 1) / 2 / 60_000;
  const pace = (count: number) => Math.round((count / minutes) * 10) / 10;
  return {
    direction,
    description: `chat went from ${pace(early)} to ${pace(late)} messages per minute`,
  };
}

/** The window in words; what the streamer said and what chat said are told apart. */
function describe(
  summary: WindowSummary,
  sentiment: string,
  topics: { said: string[]; chatted: string[] },
): string {
  const { figures } = summary;
  const chatAbout = topics.chatted.length > 0 ? `, about ${topics.chatted.join(", ")}` : "";
  const parts = [
    summary.utterances.length === 0
      ? "The streamer was quiet."
      : topics.said.length > 0
        ? `The streamer talked about ${topics.said.join(", ")}.`
        : "The streamer talked.",
    figures.messages === 0
      ? "Chat was quiet."
      : `Chat sent ${figures.messages} messages from ${figures.participants} chatters (${figures.velocity} per minute)${chatAbout}, reading ${sentiment}; ${Math.round(figures.reaction_share * 100)}% reacted to speech.`,
  ];
  if (summary.emotes.top.length > 0) {
    parts.push(
      `Top emotes: ${summary.emotes.top
        .slice(0, 3)
        .map((e) => e.name)
        .join(", ")}.`,
    );
  }
  const interactions = Object.entries(summary.interactions);
  if (interactions.length > 0) {
    parts.push(`Interactions: ${interactions.map(([type, n]) => `${n} ${type}`).join(", ")}.`);
  }
  return parts.join(" ").slice(0, 2000);
}

function suggestions(summary: WindowSummary, sentiment: string, energy: number): string[] {
  const actions: string[] = [];
  const { figures } = summary;
  if (summary.utterances.length > 0 && figures.messages === 0) {
    actions.push("Invite chat to weigh in on what you are doing");
  }
  if (figures.messages > 0 && figures.reaction_share < 0.2) {
    actions.push("Chat is on its own topic: read a few messages out");
  }
  if (sentiment === "negative" || sentiment === "mixed") {
    actions.push("Check in with chat about how things are going");
  }
  if (energy >= 0.7 && sentiment === "positive")
    actions.push("Ride the hype: keep the momentum going");
  if (Object.keys(summary.interactions).length > 0) {
    actions.push("Thank the people who followed, subscribed or cheered");
  }
  return actions;
}

function share(values: readonly string[], test: (value: string) => boolean): number {
  return values.length === 0 ? 0 : values.filter(test).length / values.length;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
