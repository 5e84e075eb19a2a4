import { describe, expect, it } from "bun:test";
import { chatEvent, interactionEvent, transcription } from "../../test/support/inputs";
import { Inputs } from "../inputs/inputs";
import { type EpochMs, epochMsOf, isoOf, shift } from "../time";
import { correlate, summarize } from "./window";

const START = epochMsOf("2025-06-01T12:00:00.000Z")!;
const at = (seconds: number) => isoOf(shift(START, seconds * 1000));
const END = shift(START, 120_000);

function window(fill: (inputs: Inputs) => void, nativeEmotes: ReadonlySet<string> | null = null) {
  const inputs = new Inputs();
  fill(inputs);
  return summarize(inputs.between(START, END), {
    from: START,
    to: END,
    reactionMs: 10_000,
    nativeEmotes,
  });
}

describe("summarize", () => {
  it("counts messages, velocity per minute and distinct chatters", () => {
    const summary = window((inputs) => {
      for (const [s, user] of [
        [1, "ana"],
        [30, "bo"],
        [60, "ana"],
        [90, "cy"],
      ] as const) {
        inputs.takeChat(chatEvent(at(s), { user, text: "hello" }));
      }
    });
    expect(summary.figures).toEqual({
      messages: 4,
      velocity: 2,
      participants: 3,
      reaction_share: 0,
    });
  });

  it("leaves out what lies outside the window", () => {
    const summary = window((inputs) => {
      inputs.takeChat(chatEvent(at(-1), { user: "early", text: "before" }));
      inputs.takeChat(chatEvent(at(120), { user: "late", text: "after" }));
      inputs.takeChat(chatEvent(at(5), { user: "in", text: "inside" }));
    });
    expect(summary.chat.map((line) => line.user)).toEqual(["in"]);
  });

  it("joins the transcript in time order and takes the latest utterance's session", () => {
    const summary = window((inputs) => {
      inputs.takeTranscription(transcription(at(20), "second", { sessionId: "s2" }));
      inputs.takeTranscription(transcription(at(10), "first", { sessionId: "s1" }));
    });
    expect(summary.transcript).toBe("first second");
    expect(summary.sessionId).toBe("s2");
  });

  it("counts interactions by type", () => {
    const summary = window((inputs) => {
      inputs.takeInteraction(interactionEvent("channel.follow", at(1)));
      inputs.takeInteraction(interactionEvent("channel.follow", at(2)));
      inputs.takeInteraction(interactionEvent("channel.cheer", at(3)));
    });
    expect(summary.interactions).toEqual({ "channel.follow": 2, "channel.cheer": 1 });
  });

  it("ranks emotes and picks the channel's own when their list is known", () => {
    const kappa = { name: "Kappa", id: "25" };
    const own = { name: "avalonHYPE", id: "9001" };
    const fill = (inputs: Inputs) => {
      inputs.takeChat(chatEvent(at(1), { user: "a", text: "x", emotes: [kappa, kappa, own] }));
      inputs.takeChat(chatEvent(at(2), { user: "b", text: "y", emotes: [kappa] }));
    };
    const known = window(fill, new Set(["9001"]));
    expect(known.emotes).toEqual({
      top: [
        { name: "Kappa", count: 3 },
        { name: "avalonHYPE", count: 1 },
      ],
      native: [{ name: "avalonHYPE", count: 1 }],
    });
    expect(window(fill, null).emotes.native).toEqual([]);
  });
});

describe("correlate", () => {
  it("counts chat from an utterance's start to 10 s after it ends as a reaction", () => {
    const summary = window((inputs) => {
      // said from 10 s to 13 s: reactions count until 23 s
      inputs.takeTranscription(transcription(at(10), "watch this", { durationMs: 3000 }));
      inputs.takeChat(chatEvent(at(9), { user: "before", text: "hm" }));
      inputs.takeChat(chatEvent(at(11), { user: "during", text: "oh" }));
      inputs.takeChat(chatEvent(at(23), { user: "edge", text: "wow" }));
      inputs.takeChat(chatEvent(at(24), { user: "after", text: "unrelated" }));
    });
    expect(summary.reactions.map((r) => r.chat.map((line) => line.user))).toEqual([
      ["during", "edge"],
    ]);
    expect(summary.figures.reaction_share).toBe(0.5);
  });

  it("counts a message reacting to two utterances once in the share", () => {
    const inputs = new Inputs();
    inputs.takeTranscription(transcription(at(10), "one", { durationMs: 1000 }));
    inputs.takeTranscription(transcription(at(12), "two", { durationMs: 1000 }));
    inputs.takeChat(chatEvent(at(14), { user: "a", text: "both" }));
    const window = inputs.between(START, END);
    expect(correlate(window.utterances, window.chat, 10_000)).toHaveLength(2);
    const summary = summarize(window, {
      from: START,
      to: END,
      reactionMs: 10_000,
      nativeEmotes: null,
    });
    expect(summary.figures.reaction_share).toBe(1);
  });

  it("gives a share of 0 when nobody spoke", () => {
    const summary = window((inputs) =>
      inputs.takeChat(chatEvent(at(5), { user: "a", text: "hi" })),
    );
    expect(summary.reactions).toEqual([]);
    expect(summary.figures.reaction_share).toBe(0);
  });
});

// The end of a window is open: its last instant belongs to the next one.
it("never counts an item in two adjacent windows", () => {
  const inputs = new Inputs();
  inputs.takeChat(chatEvent(isoOf(END), { user: "edge", text: "x" }));
  expect(inputs.between(START, END).chat).toEqual([]);
  expect(inputs.between(END, shift(END, 120_000) as EpochMs).chat).toHaveLength(1);
});
