import { describe, expect, it } from "bun:test";
import type { LayerContent } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { describeLayer, kindLabel } from "./describe-layer";

function content(
  kind: LayerContent["kind"],
  type: string,
  data: Record<string, unknown>,
): LayerContent {
  return {
    id: `${kind}:1`,
    kind,
    type,
    priority: 0,
    started_at: "2026-03-01T20:00:00Z",
    expires_at: null,
    data,
    source_event_id: null,
  };
}

describe("describeLayer", () => {
  it("says an alert as the feed does", () => {
    expect(
      describeLayer(content("alert", "channel.follow", TWITCH_SAMPLES["channel.follow"])),
    ).toBe("Cool_User followed");
  });

  it("counts the sub train and names its latest sub", () => {
    const train = content("sub_train", "sub_train", {
      count: 3,
      latest: { user_name: "Fan", user_login: "fan", tier: "2000" },
      tiers: { "2000": 3 },
    });
    expect(describeLayer(train)).toBe("3 subs in the train · latest Fan (Tier 2)");
  });

  it("lists the newest timeline entries", () => {
    const timeline = content("timeline", "timeline", {
      items: [
        { type: "channel.follow", user_name: "A", summary: "followed", at: "x" },
        { type: "channel.raid", user_name: "B", summary: "raided with 5", at: "y" },
      ],
    });
    expect(describeLayer(timeline)).toBe("A followed · B raided with 5");
  });

  it("gives the ticker item's figures", () => {
    expect(
      describeLayer(
        content("ticker", "ticker.daily_counts", {
          day: "2026-03-01",
          follows: 2,
          subs: 1,
          gifted: 0,
          bits: 100,
          raids: 0,
          redemptions: 0,
        }),
      ),
    ).toBe("Today: 2 follows · 1 sub · 0 gifted · 100 bits · 0 raids · 0 redemptions");
    expect(
      describeLayer(content("ticker", "ticker.recent_follows", { followers: ["a", "b"] })),
    ).toBe("Recent follows: a, b");
    expect(
      describeLayer(
        content("ticker", "ticker.top_emotes", { emotes: [{ name: "Kappa", count: 4 }] }),
      ),
    ).toBe("Top emotes: Kappa ×4");
    expect(describeLayer(content("ticker", "ticker.goals", { goals: [] }))).toBe(
      "Goals: none active",
    );
  });

  it("names kinds", () => {
    expect(kindLabel("sub_train")).toBe("Sub train");
  });

  it("says the ironmon show's ticker items and its checkpoint alert", () => {
    expect(
      describeLayer(
        content("ticker", "ticker.ironmon_run", {
          run_id: "42",
          attempt: 42,
          seed: 1337,
          cleared: 5,
          total: 24,
          current: { id: "5", name: "BROCK", order: 5 },
        }),
      ),
    ).toBe("IronMON: run #42 · 5/24 checkpoints · last cleared BROCK");
    expect(
      describeLayer(
        content("ticker", "ticker.ironmon_run", {
          run_id: null,
          attempt: null,
          seed: null,
          cleared: 0,
          total: 24,
          current: null,
        }),
      ),
    ).toBe("IronMON: waiting for a seed");
    expect(
      describeLayer(
        content("ticker", "ticker.ironmon_progress", {
          next: { order: 6, name: "RIVAL3", trainer: "Rival" },
          clear_rate: 0.25,
          reached: 4,
        }),
      ),
    ).toBe("Up next: checkpoint 6 RIVAL3 vs Rival · 25% clear rate over 4 runs");
    expect(
      describeLayer(
        content("alert", "ironmon.run.checkpoint", {
          run_id: 42,
          checkpoint_id: 5,
          name: "BROCK",
          order: 5,
          cleared: true,
        }),
      ),
    ).toBe("IronMON checkpoint cleared: BROCK (#5, run 42)");
  });

  it("says the song now playing", () => {
    expect(
      describeLayer(
        content("ticker", "ticker.now_playing", {
          station: "Covers",
          title: "Dancing Mad",
          artists: ["Nobuo Uematsu"],
          album: "Final Fantasy VI",
          art_url: null,
          ends_at: null,
        }),
      ),
    ).toBe("Now playing: Dancing Mad by Nobuo Uematsu (Covers)");
  });
});
