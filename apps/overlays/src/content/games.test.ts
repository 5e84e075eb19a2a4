import { describe, expect, it } from "bun:test";
import { describeAlert } from "./alerts";
import { describeLayer } from "./layers";

const ticker = (type: string, data: Record<string, unknown>) =>
  describeLayer({ kind: "ticker", type, data, expires_at: null });

describe("the ironmon and now-playing ticker items", () => {
  it("says the run's number, checkpoints cleared of the total and the last cleared", () => {
    expect(
      ticker("ticker.ironmon_run", {
        run_id: "42",
        attempt: 42,
        seed: 1337,
        cleared: 6,
        total: 24,
        current: { id: "6", name: "MISTY", order: 6 },
      }),
    ).toEqual({
      view: "ticker",
      label: "IronMON",
      entries: [
        { label: "run", value: "#42" },
        { label: "checkpoints", value: "6 / 24", progress: 0.25 },
        { label: "last cleared", value: "MISTY" },
      ],
      empty: "",
    });
  });

  it("waits for a seed before the first run", () => {
    const empty = { run_id: null, attempt: null, seed: null, cleared: 0, total: 24, current: null };
    expect(ticker("ticker.ironmon_run", empty)).toMatchObject({
      entries: [],
      empty: "Waiting for a seed",
    });
  });

  it("says the next checkpoint and its clear rate, or that no run reached it", () => {
    expect(
      ticker("ticker.ironmon_progress", {
        next: { order: 7, name: "LT. SURGE", trainer: "Lt. Surge" },
        clear_rate: 0.375,
        reached: 8,
      }),
    ).toMatchObject({
      label: "Up next",
      entries: [
        { label: "checkpoint 7", value: "LT. SURGE" },
        { label: "vs", value: "Lt. Surge" },
        { label: "clear rate (8 runs)", value: "38%", progress: 0.375 },
      ],
    });
    expect(
      ticker("ticker.ironmon_progress", {
        next: { order: 9, name: null, trainer: null },
        clear_rate: null,
        reached: 0,
      }),
    ).toMatchObject({
      entries: [{ label: "checkpoint 9", value: "Unknown" }, { label: "never reached before" }],
    });
  });

  it("says the song, its artists and its album", () => {
    expect(
      ticker("ticker.now_playing", {
        station: "Covers",
        title: "Dancing Mad",
        artists: ["Nobuo Uematsu", "Someone Else"],
        album: "Final Fantasy VI",
        art_url: null,
        ends_at: null,
      }),
    ).toMatchObject({
      label: "Now playing",
      entries: [
        { label: "Dancing Mad", value: "♪" },
        { label: "by Nobuo Uematsu, Someone Else" },
        { label: "from Final Fantasy VI" },
      ],
    });
  });

  it("renders nothing for data that does not fit", () => {
    expect(ticker("ticker.ironmon_run", { run_id: 5 })).toBeNull();
    expect(ticker("ticker.now_playing", { title: 3 })).toBeNull();
  });
});

describe("the checkpoint alert", () => {
  it("names the checkpoint cleared and the run", () => {
    expect(
      describeAlert({
        kind: "alert",
        type: "ironmon.run.checkpoint",
        data: { run_id: 42, checkpoint_id: 5, name: "BROCK", order: 5, cleared: true },
      }),
    ).toMatchObject({
      accent: "hype",
      kicker: "Checkpoint cleared",
      name: "BROCK",
      detail: "Run #42",
      amount: "5",
      unit: "checkpoint",
    });
  });
});
