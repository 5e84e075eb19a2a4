import { describe, expect, it } from "bun:test";
import { chatEvent, interactionEvent, transcription } from "../../test/support/inputs";
import { type EpochMs, epochMsOf } from "../time";
import { Inputs } from "./inputs";

const T = "2025-06-01T12:00:00.000Z";
const all = (inputs: Inputs) => inputs.between(0 as EpochMs, Number.MAX_SAFE_INTEGER as EpochMs);

describe("Inputs", () => {
  it("keeps a chat message with its emotes, stamped with the envelope's ts", () => {
    const inputs = new Inputs();
    const event = chatEvent(T, {
      user: "ana",
      text: "that boss",
      emotes: [{ name: "Kappa", id: "25" }],
    });
    expect(inputs.takeChat(event)).toBe(true);
    const window = all(inputs);
    expect(window.chat).toEqual([
      {
        at: epochMsOf(T)!,
        id: event.id,
        user: "ana",
        text: "that boss Kappa",
        words: "that boss",
        emotes: ["Kappa"],
      },
    ]);
    expect(window.emotes).toEqual([{ at: epochMsOf(T)!, id: "25", name: "Kappa" }]);
  });

  it("passes other chat events and counts malformed messages", () => {
    const inputs = new Inputs();
    const deleted = {
      ...chatEvent(T, { user: "a", text: "x" }),
      type: "channel.chat.message_delete",
    };
    expect(inputs.takeChat(deleted)).toBe(false);
    expect(inputs.takeChat({ ...chatEvent(T, { user: "a", text: "x" }), data: { nope: 1 } })).toBe(
      false,
    );
    expect(inputs.stats().invalid).toBe(1);
    expect(all(inputs).chat).toEqual([]);
  });

  it("keeps a transcription once, however often it arrives", () => {
    const inputs = new Inputs();
    const said = transcription(T, "hello there");
    expect(inputs.takeTranscription(said)).toBe(true);
    expect(inputs.takeTranscription(said)).toBe(false);
    expect(all(inputs).utterances.map((u) => u.text)).toEqual(["hello there"]);
    expect(inputs.stats().duplicates).toBe(1);
  });

  it("keeps a chat message and an interaction once when a read-back overlaps the live stream", () => {
    const inputs = new Inputs();
    const line = chatEvent(T, { user: "ana", text: "hi" });
    const follow = interactionEvent("channel.follow", T);
    expect([inputs.takeChat(line), inputs.takeChat(line)]).toEqual([true, false]);
    expect([inputs.takeInteraction(follow), inputs.takeInteraction(follow)]).toEqual([true, false]);
    expect(all(inputs).chat).toHaveLength(1);
    expect(all(inputs).interactions).toHaveLength(1);
    expect(inputs.stats().duplicates).toBe(2);
  });

  it("keeps interactions by type", () => {
    const inputs = new Inputs();
    inputs.takeInteraction(interactionEvent("channel.follow", T));
    inputs.takeInteraction(interactionEvent("channel.raid", T));
    expect(all(inputs).interactions.map((i) => i.type)).toEqual(["channel.follow", "channel.raid"]);
  });

  it("bounds every buffer and counts what it dropped", () => {
    const inputs = new Inputs({ transcriptions: 1, chat: 2, emotes: 1, interactions: 1 });
    for (let i = 0; i < 3; i++) {
      inputs.takeChat(
        chatEvent(T, { user: `u${i}`, text: "hi", emotes: [{ name: "Kappa", id: "25" }] }),
      );
      inputs.takeTranscription(transcription(T, `line ${i}`));
      inputs.takeInteraction(interactionEvent("channel.follow", T));
    }
    const stats = inputs.stats();
    expect([stats.chat.size, stats.chat.dropped]).toEqual([2, 1]);
    expect([stats.emotes.size, stats.emotes.dropped]).toEqual([1, 2]);
    expect([stats.transcriptions.size, stats.transcriptions.dropped]).toEqual([1, 2]);
    expect([stats.interactions.size, stats.interactions.dropped]).toEqual([1, 2]);
  });
});
