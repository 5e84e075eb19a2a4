import { describe, expect, it } from "bun:test";
import { Writable } from "node:stream";
import { createLogger } from "@landale/logger";
import type { QueueState, StreamState } from "@landale/shared";
import { ManualScheduler, settle } from "../../test/support/scheduler";
import { hubEvent, SECOND, T0, twitchEvent } from "../../test/support/stream";
import { DEFAULT_ENGINE_CONFIG } from "./config";
import type { EngineState } from "./core";
import { type EngineListener, SAVE_INTERVAL_MS, StreamEngine } from "./engine";
import type { StateStore } from "./state-writer";

/** A stream-state table that can be taken away, and that can hold writes until released. */
class TestStore implements StateStore {
  /** Versions written, in order. */
  saved: number[] = [];
  /** Versions whose write was attempted, in order, whether it succeeded or not. */
  attempts: number[] = [];
  down = false;
  inFlight = 0;
  maxInFlight = 0;
  #gate: { promise: Promise<void>; release: () => void } | null = null;

  async load(): Promise<unknown | null> {
    return null;
  }

  async save(version: number, _core: EngineState): Promise<void> {
    this.attempts.push(version);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.#gate !== null) await this.#gate.promise;
      if (this.down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      this.saved.push(version);
    } finally {
      this.inFlight--;
    }
  }

  hold(): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#gate = { promise, release };
  }

  async release(): Promise<void> {
    this.#gate?.release();
    this.#gate = null;
    await settle();
  }
}

/** Keeps every published state. */
class Published implements EngineListener {
  states: StreamState[] = [];
  state(stream: StreamState, _queue: QueueState): void {
    this.states.push(stream);
  }
  takeover(): void {}
  takeoverClear(): void {}
  emit(): void {}
  get last(): StreamState | undefined {
    return this.states.at(-1);
  }
}

const RAID_MS = 10 * SECOND;
const RETRY = { first: 500, max: 4_000 };

async function start() {
  const clock = new ManualScheduler(T0);
  const store = new TestStore();
  const published = new Published();
  const engine = await StreamEngine.start({
    store,
    config: DEFAULT_ENGINE_CONFIG,
    listener: published,
    logger: createLogger({ name: "test", level: "silent" }),
    loadEvent: async () => null,
    scheduler: clock,
    saveRetryMs: RETRY,
  });
  await settle();
  // The state start-up wrote is not what these tests are about; nor is the wait after it.
  expect(store.saved).toEqual([engine.stats().version]);
  store.saved = [];
  store.attempts = [];
  await clock.advance(SAVE_INTERVAL_MS);
  let events = 0;
  const raid = () => {
    events++;
    engine.events([twitchEvent("channel.raid", {}, `raid-${events}`, clock.now(), events)]);
    return settle();
  };
  return { clock, store, published, engine, raid };
}

const foreground = (state: StreamState | undefined) =>
  state?.layers.foreground?.source_event_id ?? null;

describe("StreamEngine persistence", () => {
  it("publishes a window whose save fails, and retries the save with backoff until it succeeds", async () => {
    const { clock, store, published, engine, raid } = await start();
    store.down = true;
    await raid();
    expect(foreground(published.last)).toBe("raid-1");
    const shown = published.last?.version ?? 0;
    expect(engine.stats()).toMatchObject({
      version: shown,
      saveFailures: 1,
      saveError: "connect ECONNREFUSED 127.0.0.1:5432",
    });
    expect(engine.stats().persistedVersion).toBeLessThan(shown);

    // Retries wait 500, 1000, 2000, then 4000 ms each: nothing is tried before each is due.
    for (const wait of [500, 1000, 2000, 4000, 4000]) {
      const before = store.attempts.length;
      await clock.advance(wait - 1);
      expect(store.attempts.length).toBe(before);
      await clock.advance(1);
      expect(store.attempts.length).toBe(before + 1);
    }
    expect(engine.stats().saveFailures).toBe(6);

    store.down = false;
    await clock.advance(RETRY.max);
    // A change made (the ticker turned) while that write ran follows it after the interval.
    await clock.advance(SAVE_INTERVAL_MS);
    expect(store.saved.at(-1)).toBe(engine.stats().version);
    expect(engine.stats()).toMatchObject({
      persistedVersion: engine.stats().version,
      saveFailures: 6,
      saveError: null,
    });
    await engine.stop();
  });

  it("keeps time moving while saves fail: an alert expires on time and the next one shows", async () => {
    const { clock, store, published, engine, raid } = await start();
    await raid();
    store.down = true;
    await raid();
    expect(foreground(published.last)).toBe("raid-1");
    await clock.advance(RAID_MS);
    expect(foreground(published.last)).toBe("raid-2");
    await clock.advance(RAID_MS);
    expect(foreground(published.last)).toBeNull();
    expect(engine.stats().saveError).not.toBeNull();
    await engine.stop();
  });

  it("writes one state at a time, and only the newest of those that waited", async () => {
    const { clock, store, engine, raid } = await start();
    store.hold();
    await raid();
    const first = engine.stats().version;
    await raid();
    await raid();
    const newest = engine.stats().version;
    expect(store.attempts).toEqual([first]);
    await store.release();
    await clock.advance(SAVE_INTERVAL_MS);
    expect(store.saved).toEqual([first, newest]);
    expect(store.maxInFlight).toBe(1);
    expect(engine.stats().persistedVersion).toBe(newest);
    await engine.stop();
  });

  it("starts saves SAVE_INTERVAL_MS apart at least, a burst between them written as its newest state", async () => {
    const { clock, store, engine, raid } = await start();
    await raid();
    const first = engine.stats().version;
    expect(store.saved).toEqual([first]);
    await raid();
    await clock.advance(SAVE_INTERVAL_MS / 2);
    await raid();
    const newest = engine.stats().version;
    await clock.advance(SAVE_INTERVAL_MS / 2 - 1);
    expect(store.attempts).toEqual([first]);
    await clock.advance(1);
    expect(store.saved).toEqual([first, newest]);
    expect(engine.stats().persistedVersion).toBe(newest);
    // Long after the last, a change is written at once.
    await clock.advance(SAVE_INTERVAL_MS * 4);
    await raid();
    expect(store.saved.at(-1)).toBe(engine.stats().version);
    await engine.stop();
  });

  it("waits one interval at most for the next save when the clock is set back", async () => {
    const { clock, store, engine, raid } = await start();
    await raid();
    expect(store.saved).toHaveLength(1);
    await clock.advance(-60 * 60 * SECOND);
    await raid();
    await clock.advance(SAVE_INTERVAL_MS);
    expect(store.saved.at(-1)).toBe(engine.stats().version);
    expect(store.saved).toHaveLength(2);
    await engine.stop();
  });

  it("on stop, waits for the write in flight and then writes the newest state, never two at once", async () => {
    const { store, engine, raid } = await start();
    store.hold();
    await raid();
    const first = engine.stats().version;
    await raid();
    const newest = engine.stats().version;
    const stopping = engine.stop();
    await settle();
    await store.release();
    await stopping;
    expect(store.saved).toEqual([first, newest]);
    expect(store.maxInFlight).toBe(1);
  });

  it("writes the newest state, not the one that failed, when the database comes back", async () => {
    const { clock, store, engine, raid } = await start();
    store.down = true;
    await raid();
    const failed = engine.stats().version;
    await raid();
    const newest = engine.stats().version;
    expect(newest).toBeGreaterThan(failed);
    store.down = false;
    await clock.advance(RETRY.first);
    expect(store.saved).toEqual([newest]);
    await engine.stop();
  });

  it("releases its timers on stop and tries once more to save; a database still away fails nothing", async () => {
    const { clock, store, engine, raid } = await start();
    store.down = true;
    await raid();
    const attempts = store.attempts.length;
    await engine.stop();
    expect(store.attempts.length).toBe(attempts + 1);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("StreamEngine backlog", () => {
  it("logs the events it drops while its backlog is full, with a count, at most once per interval", async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        callback();
      },
    });
    const clock = new ManualScheduler(T0);
    const engine = await StreamEngine.start({
      store: new TestStore(),
      config: DEFAULT_ENGINE_CONFIG,
      listener: new Published(),
      logger: createLogger({ name: "test", destination }),
      loadEvent: async () => null,
      scheduler: clock,
      maxPending: 1,
    });
    await settle();
    let events = 0;
    // Windows handed over in one go: the first waits to be reduced, the rest find the backlog full.
    const burst = (windows: number) => {
      for (let i = 0; i < windows; i++) {
        events++;
        engine.events([twitchEvent("channel.follow", {}, `follow-${events}`, clock.now(), events)]);
      }
      return settle();
    };
    const drops = () =>
      lines.filter((line) => String(line.msg).startsWith("stream engine backlog full"));

    await burst(4);
    expect(engine.stats().droppedInputs).toBe(3);
    expect(drops()).toEqual([expect.objectContaining({ level: 40, dropped: 1, dropped_total: 1 })]);

    await clock.advance(10 * SECOND);
    await burst(2);
    expect(engine.stats().droppedInputs).toBe(4);
    expect(drops().map((line) => [line.dropped, line.dropped_total])).toEqual([
      [1, 1],
      [3, 4],
    ]);
    await engine.stop();
  });
});

/** A stream-state table that keeps the last state written, as JSON, for the next start to read. */
class KeepingStore extends TestStore {
  stored: unknown | null = null;

  override async load(): Promise<unknown | null> {
    return this.stored;
  }

  override async save(version: number, core: EngineState): Promise<void> {
    await super.save(version, core);
    this.stored = JSON.parse(JSON.stringify(core));
  }
}

describe("StreamEngine restart", () => {
  it("counts OBS as not connected after a restart, and still hides the omnibar on the scene it was on", async () => {
    const clock = new ManualScheduler(T0);
    const store = new KeepingStore();
    const startEngine = (published: Published) =>
      StreamEngine.start({
        store,
        config: { ...DEFAULT_ENGINE_CONFIG, omnibarHiddenScenes: ["BRB"] },
        listener: published,
        logger: createLogger({ name: "test", level: "silent" }),
        loadEvent: async () => null,
        scheduler: clock,
      });
    const first = await startEngine(new Published());
    first.events([
      hubEvent("obs.scene.changed", { scene_name: "BRB" }, "scene-1", clock.now(), 1),
      hubEvent("obs.stream.started", {}, "started-1", clock.now(), 2),
    ]);
    await settle();
    expect(first.streamState()).toMatchObject({
      obs: { connected: true, scene: "BRB", live: true },
      omnibar: { hidden: true, reason: "scene" },
    });
    await first.stop();

    const published = new Published();
    const second = await startEngine(published);
    await settle();
    // Live falls back to Twitch, which has said nothing: not live until OBS connects again.
    expect(published.last).toMatchObject({
      obs: { connected: false, scene: "BRB", live: false },
      omnibar: { hidden: true, reason: "scene" },
    });
    expect(published.last?.version).toBe(first.stats().version + 1);
    await second.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
