/**
 * What the model is asked: one window of the stream (speech, how chat reacted to it, chat figures,
 * interactions, emotes) and the exact JSON shape of an `Analysis`. Bounded: however busy the
 * window, the prompt keeps the latest speech and a sample of chat, not all of it.
 */
import type { WindowSummary } from "../window/window";

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

/** Newest speech kept in the prompt: local models have small context windows. */
const MAX_TRANSCRIPT_CHARS = 6000;
const MAX_REACTIONS = 8;
const REACTION_SAMPLES = 3;
const CHAT_SAMPLES = 30;
const MAX_LINE_CHARS = 200;

export const SYSTEM_PROMPT =
  "You analyse a live stream from the streamer's speech and the chat's reactions. " +
  "Answer with one JSON object and nothing else.";

const SHAPE = `{
  "patterns": {
    "energy_level": 0.0-1.0,
    "engagement_depth": 0.0-1.0,
    "community_sync": 0.0-1.0 (how much chat moves with the streamer),
    "content_focus": ["up to 10 short phrases"],
    "mood_indicators": {"mood name": 0.0-1.0},
    "temporal_flow": "how things are evolving, or null"
  },
  "dynamics": {
    "energy_trajectory": "ramping_up|winding_down|steady_state|volatile",
    "engagement_trend": "deepening|surfacing|stable|fluctuating",
    "community_trend": "synchronizing|diverging|stable|chaotic",
    "content_evolution": "focused|exploring|transitioning|scattered",
    "overall_momentum": "building|declining|sustained|shifting"
  },
  "sentiment": "positive|negative|neutral|mixed",
  "sentiment_trajectory": "improving|declining|stable|swinging",
  "topics": ["up to 20 short topics"],
  "context": "what is happening and why, in a few sentences",
  "suggested_actions": ["up to 10 short suggestions for the streamer"],
  "momentum": {"description": "what drives the flow", "direction": "ramping_up|winding_down|steady_state|chaotic"}
}`;

export function buildMessages(summary: WindowSummary): ChatMessage[] {
  const minutes = Math.round((summary.to - summary.from) / 60_000);
  const parts = [
    `This is the last ${minutes} minute${minutes === 1 ? "" : "s"} of the stream.`,
    "",
    `Streamer's speech: ${quote(tail(summary.transcript, MAX_TRANSCRIPT_CHARS), MAX_TRANSCRIPT_CHARS) || "(silent)"}`,
  ];
  const reactions = summary.reactions.slice(-MAX_REACTIONS);
  if (reactions.length > 0) {
    parts.push("", "Chat reacting to what the streamer said:");
    for (const reaction of reactions) {
      const samples = reaction.chat.slice(0, REACTION_SAMPLES).map((line) => quote(line.text));
      parts.push(
        `- after ${quote(reaction.utterance.text)}: ${reaction.chat.length} message(s), e.g. ${samples.join(" / ")}`,
      );
    }
  }
  const { figures } = summary;
  parts.push(
    "",
    `Chat: ${figures.messages} messages from ${figures.participants} chatters (${figures.velocity} per minute); ${Math.round(figures.reaction_share * 100)}% reacted to speech.`,
  );
  const sample = summary.chat.slice(-CHAT_SAMPLES);
  if (sample.length > 0) {
    parts.push("Latest chat:", ...sample.map((line) => `- ${line.user}: ${quote(line.text)}`));
  }
  const interactions = Object.entries(summary.interactions);
  if (interactions.length > 0) {
    parts.push(
      "",
      `Interactions: ${interactions.map(([type, count]) => `${count} ${type}`).join(", ")}`,
    );
  }
  if (summary.emotes.top.length > 0) {
    parts.push(
      `Top emotes: ${summary.emotes.top.map((emote) => `${emote.name} x${emote.count}`).join(", ")}`,
    );
  }
  parts.push(
    "",
    "Consider whether chat responds to what the streamer says, what chat feels, and any gap between the streamer's mood and chat's.",
    "Respond with JSON in exactly this shape:",
    SHAPE,
  );
  return [
    { role: "system", content: SYSTEM_PROMPT },
    { role: "user", content: parts.join("\n") },
  ];
}

/** `text` on one line, cut to `max` characters, in quotes; "" for blank text. */
function quote(text: string, max = MAX_LINE_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat === "" ? "" : JSON.stringify(flat.slice(0, max));
}

function tail(text: string, max: number): string {
  return text.length <= max ? text : text.slice(text.length - max);
}
