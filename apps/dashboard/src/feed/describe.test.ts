import { describe, expect, it } from "bun:test";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { chatPieces, describeEvent, typeLabel } from "./describe";

const line = (type: keyof typeof TWITCH_SAMPLES) => {
  const s = describeEvent(type, TWITCH_SAMPLES[type]);
  return [s.actor, s.action].filter(Boolean).join(" ");
};

describe("describeEvent", () => {
  it("says what a viewer did, as a streamer would", () => {
    expect(line("channel.follow")).toBe("Cool_User followed");
    expect(line("channel.subscribe")).toBe("Cool_User subscribed (Tier 1)");
    expect(line("channel.subscription.gift")).toBe("Cool_User gifted 2 Tier 1 subs");
    expect(line("channel.cheer")).toBe("Cool_User cheered 1,000 bits");
    expect(line("channel.raid")).toBe("Cool_User raided with 9,001 viewers");
  });

  it("keeps anonymous gifters anonymous", () => {
    const s = describeEvent("channel.cheer", {
      ...TWITCH_SAMPLES["channel.cheer"],
      is_anonymous: true,
      user_name: null,
    });
    expect(s.actor).toBe("Anonymous");
  });

  it("gives the accent the overlays use for that kind of moment", () => {
    expect(describeEvent("channel.follow", TWITCH_SAMPLES["channel.follow"]).accent).toBe("follow");
    expect(describeEvent("channel.raid", TWITCH_SAMPLES["channel.raid"]).accent).toBe("raid");
  });

  it("falls back to the type for events it has no words for", () => {
    const s = describeEvent("custom.quiz.answer", { user_name: "Quizzer" });
    expect(s.actor).toBe("Quizzer");
    expect(s.action).toBe("custom.quiz.answer");
  });

  it("does not throw on data that is not an object", () => {
    expect(describeEvent("channel.follow", null).action).toBe("followed");
  });
});

describe("chatPieces", () => {
  it("keeps emotes, mentions and cheermotes as their text, marked", () => {
    const pieces = chatPieces(TWITCH_SAMPLES["channel.chat.message"].message);
    expect(pieces.map((p) => p.text).join("")).toBe("Hi chat cheer100 Kappa @cool_user");
    expect(pieces.filter((p) => p.kind !== "text")).toEqual([
      { kind: "cheermote", text: "cheer100" },
      { kind: "emote", text: "Kappa" },
      { kind: "mention", text: "@cool_user" },
    ]);
  });

  it("uses the plain text when there are no fragments", () => {
    expect(chatPieces({ text: "hello", fragments: [] })).toEqual([{ kind: "text", text: "hello" }]);
  });
});

describe("typeLabel", () => {
  it("gives a short chip label for exact types and families", () => {
    expect(typeLabel("channel.follow")).toBe("Follow");
    expect(typeLabel("channel.poll.begin")).toBe("Poll");
    expect(typeLabel("obs.scene.changed")).toBe("OBS");
    expect(typeLabel("tcp.ironmon.checkpoint")).toBe("Game");
  });
});
