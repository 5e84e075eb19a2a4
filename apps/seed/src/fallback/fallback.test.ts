import { describe, expect, it } from "bun:test";
import { Analysis } from "@landale/shared";
import { chatEvent, interactionEvent, transcription } from "../../test/support/inputs";
import { Inputs } from "../inputs/inputs";
import { epochMsOf, isoOf, shift } from "../time";
import { summarize } from "../window/window";
import { fallbackAnalysis, sentimentOf } from "./fallback";
import { keywords } from "./keywords";

const START = epochMsOf("2025-06-01T12:00:00.000Z")!;
const END = shift(START, 120_000);
const at = (seconds: number) => isoOf(shift(START, seconds * 1000));

function analyse(fill: (inputs: Inputs) => void) {
  const inputs = new Inputs();
  fill(inputs);
  const summary = summarize(inputs.between(START, END), {
    from: START,
    to: END,
    reactionMs: 10_000,
    nativeEmotes: null,
  });
  return fallbackAnalysis(summary);
}

function chatter(inputs: Inputs, lines: string[], from = 1) {
  lines.forEach((text, index) => {
    inputs.takeChat(chatEvent(at(from + index), { user: `user${index % 7}`, text }));
  });
}

describe("sentimentOf", () => {
  it("reads positive, negative and neutral chat", () => {
    expect(sentimentOf(["this is awesome", "love it", "great play"]).sentiment).toBe("positive");
    expect(sentimentOf(["this is terrible", "I hate this", "awful"]).sentiment).toBe("negative");
    expect(sentimentOf(["where is the door", "what time is it"]).sentiment).toBe("neutral");
  });

  it("calls it mixed when both sides are strong", () => {
    const mood = sentimentOf(["this is awesome", "love it", "this is terrible", "I hate this"]);
    expect(mood).toEqual({ sentiment: "mixed", positive: 0.5, negative: 0.5 });
  });

  it("knows Twitch's emotes", () => {
    expect(sentimentOf(["PogChamp", "KEKW", "Pog"]).sentiment).toBe("positive");
    expect(sentimentOf(["BibleThump", "NotLikeThis"]).sentiment).toBe("negative");
  });

  it("is neutral about nothing", () => {
    expect(sentimentOf([])).toEqual({ sentiment: "neutral", positive: 0, negative: 0 });
  });
});

describe("keywords", () => {
  it("ranks repeated words, leaving out stopwords, numbers, links and excluded words", () => {
    const texts = [
      "the boss fight is so hard",
      "that boss fight again 100 https://clips.example/abc",
      "Kappa boss is not fair",
    ];
    expect(keywords(texts, { limit: 5, exclude: ["kappa"] })).toEqual(["boss", "fight"]);
  });

  it("counts a word once per message, so one spammer makes no topic", () => {
    expect(keywords(["pizza pizza pizza pizza", "castle", "castle"], { limit: 5 })).toEqual([
      "castle",
    ]);
  });

  it("falls back to the first words seen once when nothing repeats", () => {
    expect(keywords(["dragon castle treasure sword"], { limit: 5 })).toEqual([
      "dragon",
      "castle",
      "treasure",
    ]);
  });
});

describe("fallbackAnalysis", () => {
  it("makes a valid analysis of a busy, happy window", () => {
    const analysis = analyse((inputs) => {
      inputs.takeTranscription(transcription(at(0), "Here comes the boss fight, the boss is huge"));
      chatter(
        inputs,
        Array.from({ length: 60 }, (_, i) => (i % 2 ? "LETS GO!!" : "boss fight hype PogChamp")),
      );
      inputs.takeInteraction(interactionEvent("channel.follow", at(3)));
    });
    expect(Analysis.safeParse(analysis).success).toBe(true);
    expect(analysis.sentiment).toBe("positive");
    expect(analysis.patterns.energy_level).toBeGreaterThanOrEqual(0.8);
    expect(analysis.topics.slice(0, 2)).toEqual(["boss", "fight"]);
    expect(analysis.context).toContain("60 messages from 7 chatters");
    expect(analysis.suggested_actions).toContain(
      "Thank the people who followed, subscribed or cheered",
    );
  });

  it("says what the streamer talked about from speech alone, and what chat talked about apart", () => {
    const analysis = analyse((inputs) => {
      inputs.takeTranscription(
        transcription(at(0), "This critical hit changes the whole critical run"),
      );
      chatter(inputs, ["what a play!", "that was hilarious", "hilarious play", "what a play"]);
    });
    expect(analysis.context).toContain("The streamer talked about critical");
    const [said, chat] = analysis.context.split(". Chat sent ");
    expect(said).not.toContain("hilarious");
    expect(said).not.toContain("play");
    expect(chat).toContain("about play, hilarious");
  });

  it("finds a quiet chat calmer than a busy one", () => {
    const quiet = analyse((inputs) => chatter(inputs, ["hello", "hi"]));
    const busy = analyse((inputs) =>
      chatter(
        inputs,
        Array.from({ length: 40 }, () => "wow!"),
      ),
    );
    expect(quiet.patterns.energy_level).toBeLessThan(busy.patterns.energy_level);
  });

  it("says momentum builds when chat speeds up in the second half", () => {
    const analysis = analyse((inputs) =>
      chatter(
        inputs,
        Array.from({ length: 12 }, () => "go"),
        70,
      ),
    );
    expect(analysis.momentum?.direction).toBe("ramping_up");
  });

  it("makes a valid analysis of speech with no chat", () => {
    const analysis = analyse((inputs) => {
      inputs.takeTranscription(transcription(at(5), "Let me explain the route through the cave"));
    });
    expect(Analysis.safeParse(analysis).success).toBe(true);
    expect(analysis.context).toContain("Chat was quiet.");
    expect(analysis.suggested_actions).toContain("Invite chat to weigh in on what you are doing");
  });
});
