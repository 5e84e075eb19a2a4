/** The ironmon show's ticker and checkpoint alert, and the now_playing item from Rainwave. */
import { describe, expect, it } from "bun:test";
import { EVENT_DATA_SCHEMAS, type EventEnvelope, type KnownEventType } from "@landale/shared";
import { iso, SECOND, StreamDriver } from "../../test/support/stream";
import { EngineState } from "./core";

let serial = 0;

/** A committed event of IronMON or Rainwave, checked against the catalogue as ingest would. */
function gameEvent(type: KnownEventType, data: unknown, at: number): EventEnvelope {
  serial++;
  return {
    id: `game-${serial}`,
    seq: serial,
    type,
    source: type.startsWith("ironmon.") ? "tcp" : "system",
    ts: iso(at),
    received_at: iso(at),
    correlation_id: `corr-game-${serial}`,
    data: EVENT_DATA_SCHEMAS[type].parse(data) as Record<string, unknown>,
  };
}

function ironmonStream() {
  const stream = new StreamDriver();
  stream.event("channel.update", { category_id: "13332" });
  const send = (type: KnownEventType, data: unknown) =>
    stream.window(gameEvent(type, data, stream.now));
  const started = (run_id: number) =>
    send("ironmon.run.started", {
      run_id,
      seed: run_id,
      challenge: "Kaizo IronMON",
      attempt: run_id,
    });
  const cleared = (run_id: number, order: number, name = `CP${order}`) =>
    send("ironmon.run.checkpoint", { run_id, checkpoint_id: order, name, order, cleared: true });
  const failed = (run_id: number, order: number, name = `CP${order}`) =>
    send("ironmon.run.failed", { run_id, checkpoint_id: order, name });
  return { stream, send, started, cleared, failed };
}

describe("the ironmon show", () => {
  it("shows the run on the ticker before any seed, then the run's number and progress", () => {
    const { stream, started, cleared } = ironmonStream();
    expect(stream.background).toMatchObject({
      type: "ticker.ironmon_run",
      data: { run_id: null, attempt: null, cleared: 0, total: 24, current: null },
    });
    const id = stream.background?.id;
    started(7);
    // The item showing takes the new figures in place: same id, so the bar does not re-animate.
    expect(stream.background).toMatchObject({ id, data: { run_id: "7", attempt: 7, seed: 7 } });
    cleared(7, 1, "LAB");
    expect(stream.background?.data).toMatchObject({
      cleared: 1,
      current: { id: "1", name: "LAB", order: 1 },
    });
  });

  it("makes a checkpoint clear a foreground alert, above a sub and below a gift", () => {
    const { stream, started, cleared } = ironmonStream();
    started(1);
    expect(stream.foreground).toBeNull();
    stream.at(2 * SECOND);
    cleared(1, 5, "BROCK");
    expect(stream.foreground).toMatchObject({
      kind: "alert",
      type: "ironmon.run.checkpoint",
      priority: 70,
      expires_at: iso(stream.now + 6 * SECOND),
      data: { run_id: 1, checkpoint_id: 5, name: "BROCK", order: 5, cleared: true },
    });
  });

  it("rotates to progression: the next checkpoint and how often runs got past it", () => {
    const { stream, started, cleared, failed } = ironmonStream();
    // Run 1 clears 1 and 2 and dies at 3; run 2 clears 1, 2 and 3; run 3 clears 1 and 2.
    started(1);
    cleared(1, 1);
    cleared(1, 2);
    started(2);
    failed(1, 3, "MISTY");
    cleared(2, 1);
    cleared(2, 2);
    cleared(2, 3, "MISTY");
    started(3);
    cleared(3, 1);
    cleared(3, 2);
    stream.at(15 * SECOND).tick();
    expect(stream.background).toMatchObject({
      type: "ticker.ironmon_progress",
      data: { next: { order: 3, name: "MISTY", trainer: null }, clear_rate: 0.5, reached: 2 },
    });
    stream.at(16 * SECOND);
    cleared(3, 3, "MISTY");
    expect(stream.background?.data).toEqual({
      next: { order: 4, name: null, trainer: null },
      clear_rate: null,
      reached: 0,
    });
  });

  it("takes the records' checkpoints, trainers, clear rates and active run over its own counts", () => {
    const { stream, started, cleared } = ironmonStream();
    started(1);
    cleared(1, 1, "LAB");
    const id = stream.background?.id;
    const result = stream.send({
      kind: "ironmon",
      snapshot: {
        total: 3,
        checkpoints: [
          { id: "1", name: "LAB", trainer: "Rival", order: 1, cleared: 10, failed: 2 },
          { id: "2", name: "BROCK", trainer: "Brock", order: 2, cleared: 6, failed: 4 },
          { id: "3", name: "MISTY", trainer: "Misty", order: 3, cleared: 1, failed: 5 },
        ],
        run: {
          run_id: "9",
          seed: 900,
          attempt: 9,
          cleared: 1,
          current: { id: "1", name: "LAB", order: 1 },
        },
      },
    });
    expect(result.changed).toBe(true);
    expect(stream.background).toMatchObject({
      id,
      data: { run_id: "9", attempt: 9, cleared: 1, total: 3 },
    });
    stream.at(15 * SECOND).tick();
    expect(stream.background?.data).toEqual({
      next: { order: 2, name: "BROCK", trainer: "Brock" },
      clear_rate: 0.6,
      reached: 10,
    });
    // The records already hold what an event tells (stored first): the next read shows it.
    stream.at(16 * SECOND);
    const alert = cleared(9, 2, "BROCK");
    expect(stream.foreground).toMatchObject({ type: "ironmon.run.checkpoint" });
    expect(alert.core.games.checkpoints["2"]).toMatchObject({ cleared: 6 });
  });

  it("reads a state written before games were tracked", () => {
    const { stream } = ironmonStream();
    const { games: _games, ...old } = stream.core;
    expect(EngineState.parse(old).games).toEqual({
      run: null,
      total: null,
      checkpoints: {},
      now_playing: null,
    });
  });
});

describe("now playing", () => {
  const song = {
    station: 3,
    listening: true,
    title: "Dancing Mad",
    artists: ["Nobuo Uematsu"],
    album: "Final Fantasy VI",
    art_url: "https://rainwave.cc/album_art/3_1234_320.jpg",
    started_at: "2026-03-11T18:58:00.000Z",
    ends_at: "2026-03-11T19:02:30.000Z",
  };

  it("shows a new song at once, joins the rotation, and leaves at once when they tune out", () => {
    const stream = new StreamDriver().at(5 * SECOND);
    expect(stream.stream.ticker.items).not.toContain("now_playing");
    stream.window(gameEvent("rainwave.update", song, stream.now));
    expect(stream.stream.ticker).toMatchObject({
      items: ["recent_follows", "daily_counts", "goals", "top_emotes", "now_playing"],
      index: 4,
      next_at: iso(stream.now + 15 * SECOND),
    });
    expect(stream.background).toMatchObject({
      type: "ticker.now_playing",
      started_at: iso(stream.now),
      data: {
        station: "Covers",
        title: "Dancing Mad",
        artists: ["Nobuo Uematsu"],
        album: "Final Fantasy VI",
        art_url: song.art_url,
        ends_at: song.ends_at,
      },
    });
    // It takes its turn like any other item, then comes round again.
    stream.at(20 * SECOND).tick();
    expect(stream.background).toMatchObject({ type: "ticker.recent_follows" });
    stream.at(80 * SECOND).tick();
    expect(stream.background).toMatchObject({ type: "ticker.now_playing" });

    stream.at(81 * SECOND);
    const off = {
      ...song,
      listening: false,
      title: null,
      artists: [],
      album: null,
      art_url: null,
      started_at: null,
      ends_at: null,
    };
    const result = stream.window(gameEvent("rainwave.update", off, stream.now));
    expect(result.changed).toBe(true);
    expect(stream.stream.ticker.items).not.toContain("now_playing");
    expect(stream.background).toMatchObject({
      type: "ticker.recent_follows",
      started_at: iso(stream.now),
    });
  });

  it("updates the same song in place, and shows the next song afresh", () => {
    const stream = new StreamDriver();
    stream.window(gameEvent("rainwave.update", song, stream.now));
    const id = stream.background?.id;
    stream.at(3 * SECOND);
    stream.window(gameEvent("rainwave.update", { ...song, station: 5 }, stream.now));
    expect(stream.background).toMatchObject({ id, data: { station: "All" } });
    stream.at(6 * SECOND);
    stream.window(gameEvent("rainwave.update", { ...song, title: "Terra" }, stream.now));
    expect(stream.background).toMatchObject({
      type: "ticker.now_playing",
      data: { title: "Terra" },
    });
    expect(stream.background?.id).not.toBe(id);
    expect(stream.background?.started_at).toBe(iso(stream.now));
  });

  it("shows no song on a show whose ticker does not rotate it", () => {
    const stream = new StreamDriver({ config: { shows: { variety: ["daily_counts"] } } });
    stream.window(gameEvent("rainwave.update", song, stream.now));
    expect(stream.background).toMatchObject({ type: "ticker.daily_counts" });
  });
});
