import { describe, expect, it } from "bun:test";
import { quietLogger } from "../../test/engines-support";
import { createParticipantsPrompt, participantsPrompt } from "./participants";

describe("the participants prompt", () => {
  it("names the most frequent chatters first, each once", () => {
    const names = ["alice", "bob", "carol", "bob", "Alice", "bob"];
    expect(participantsPrompt(names)).toBe("Participants include: bob, alice, carol.");
  });

  it("keeps an already ranked unique list in its order", () => {
    expect(participantsPrompt(["zed", "amy", "kim"])).toBe("Participants include: zed, amy, kim.");
  });

  it("stops adding names at the length limit and has no prompt without names", () => {
    const names = Array.from({ length: 100 }, (_, i) => `chatter_number_${i}`);
    const prompt = participantsPrompt(names, 80)!;
    expect(prompt.length).toBeLessThanOrEqual(80);
    expect(prompt).toStartWith("Participants include: chatter_number_0, chatter_number_1");
    expect(prompt).toEndWith(".");
    expect(participantsPrompt([])).toBeNull();
    expect(participantsPrompt(["  ", "\u0007"])).toBeNull();
  });

  it("asks the hub again only once the names are stale, and keeps them when it fails", async () => {
    let clock = 0;
    let calls = 0;
    let failing = false;
    const prompt = createParticipantsPrompt({
      hub: {
        recentChatters: async () => {
          calls++;
          if (failing) throw new Error("hub down");
          return [`viewer${calls}`];
        },
      },
      logger: quietLogger(),
      refreshMs: 1_000,
      now: () => clock,
    });
    expect(await prompt.current()).toBe("Participants include: viewer1.");
    clock = 999;
    expect(await prompt.current()).toBe("Participants include: viewer1.");
    expect(calls).toBe(1);
    clock = 1_000;
    failing = true;
    expect(await prompt.current()).toBe("Participants include: viewer1.");
    expect(calls).toBe(2);
  });

  it("does not hold a transcription for a hub that never answers", async () => {
    const prompt = createParticipantsPrompt({
      hub: { recentChatters: () => new Promise<string[]>(() => {}) },
      logger: quietLogger(),
      waitMs: 50,
    });
    expect(await prompt.current()).toBeNull();
    expect(
      await createParticipantsPrompt({ hub: undefined, logger: quietLogger() }).current(),
    ).toBeNull();
  });
});
