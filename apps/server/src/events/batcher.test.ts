import { describe, expect, it } from "bun:test";
import type { NewEvent, StoredId } from "@landale/db";
import { ManualScheduler, settle } from "../../test/support/scheduler";
import { Batcher, type BatcherOptions, type PendingEvent } from "./batcher";
import { BackpressureError, StoppedError, StoreRefusedError, SupersededError } from "./refusals";

/** Remembers every window it is given; `gate` holds writes until released. */
class RecordingStore {
  windows: NewEvent[][] = [];
  stored = new Map<string, number>();
  gate: Promise<void> | null = null;
  failNext: Error | null = null;
  /** Ids the "database" refuses for their content: a window holding one is refused whole. */
  refuses = new Set<string>();
  attempts = 0;
  /** Writes given and not yet settled. */
  open = 0;
  async write(window: NewEvent[], previous = Promise.resolve(true)): Promise<StoredId[]> {
    this.open++;
    try {
      return await this.#write(window, previous);
    } finally {
      this.open--;
    }
  }
  async #write(window: NewEvent[], previous: Promise<boolean>): Promise<StoredId[]> {
    if (this.gate) await this.gate;
    // As the durable store does: a window follows the one before it, or is written again.
    if (!(await previous)) throw new SupersededError();
    this.attempts++;
    const bad = window.find((event) => this.refuses.has(event.id));
    if (bad) throw new StoreRefusedError(`22008: ${bad.id} is out of range`);
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = null;
      throw err;
    }
    this.windows.push(window);
    return window.map((event) => {
      const known = this.stored.get(event.id);
      if (known !== undefined) return { id: event.id, seq: known, inserted: false };
      this.stored.set(event.id, event.seq);
      return { id: event.id, seq: event.seq, inserted: true };
    });
  }
}

let counter = 0;
function pending(type = "channel.follow", overrides: Partial<PendingEvent> = {}): PendingEvent {
  const id = `e${++counter}`;
  const event = {
    id,
    type,
    source: "twitch",
    ts: "2026-11-21T12:00:00.000Z",
    receivedAt: "2026-11-21T12:00:00.000Z",
    correlationId: id,
    userId: null,
    userLogin: null,
    data: {},
    critical: false,
    bytes: 0,
    ...overrides,
  };
  // What ingest passes on: the length validation measured.
  return { ...event, bytes: JSON.stringify(event).length };
}
const critical = () => pending("stream.online", { critical: true });

function setup(options: Partial<BatcherOptions> = {}) {
  const scheduler = new ManualScheduler();
  const store = new RecordingStore();
  const commits: NewEvent[][] = [];
  const batcher = new Batcher({
    store,
    onCommit: (events) => commits.push(events),
    lastSeq: 0,
    scheduler,
    ...options,
  });
  return { scheduler, store, commits, batcher };
}

describe("Batcher", () => {
  it("holds ordinary events for one window, then writes them together", async () => {
    const { scheduler, store, batcher } = setup();
    batcher.submit([pending()]);
    const second = batcher.submit([pending(), pending()]);
    await scheduler.advance(49);
    expect(store.windows).toHaveLength(0);
    await scheduler.advance(1);
    expect(store.windows.map((window) => window.map((event) => event.seq))).toEqual([[1, 2, 3]]);
    expect((await second).map((ack) => ack.seq)).toEqual([2, 3]);
  });

  it("acknowledges only after the window is committed", async () => {
    const { scheduler, store, batcher } = setup();
    let release = () => {};
    store.gate = new Promise((resolve) => {
      release = resolve;
    });
    let acked = false;
    batcher.submit([pending()]).then(() => {
      acked = true;
    });
    await scheduler.advance(50);
    expect(acked).toBe(false);
    release();
    await settle();
    expect(acked).toBe(true);
    expect(store.windows).toHaveLength(1);
  });

  it("flushes at once for a critical event, taking what was pending before it in order", async () => {
    const { scheduler, store, commits, batcher } = setup();
    const before = pending();
    batcher.submit([before]);
    await scheduler.advance(10);
    const online = critical();
    await batcher.submit([online]);
    expect(store.windows).toHaveLength(1);
    expect(store.windows[0]?.map((event) => event.id)).toEqual([before.id, online.id]);
    expect(commits[0]?.map((event) => event.seq)).toEqual([1, 2]);
    expect(scheduler.pendingTimers).toBe(0);
  });

  it("writes a critical event that arrives during a write right after it, without waiting a window", async () => {
    const { scheduler, store, batcher } = setup();
    let release = () => {};
    store.gate = new Promise((resolve) => {
      release = resolve;
    });
    batcher.submit([pending()]);
    await scheduler.advance(50);
    const ack = batcher.submit([critical()]);
    store.gate = null;
    release();
    await ack;
    expect(store.windows.map((window) => window.length)).toEqual([1, 1]);
  });

  it("never puts more than maxWindow events in one write", async () => {
    const { store, batcher } = setup({ maxWindow: 100 });
    const ack = batcher.submit(Array.from({ length: 250 }, () => pending()));
    await batcher.flush();
    expect(store.windows.map((window) => window.length)).toEqual([100, 100, 50]);
    const seqs = (await ack).map((stored) => stored.seq);
    expect(seqs).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
  });

  it("answers a re-sent id with its stored seq and fans it out only once", async () => {
    const { store, commits, batcher } = setup();
    const event = pending();
    const [first] = await Promise.all([batcher.submit([event]), batcher.flush()]);
    const again = batcher.submit([{ ...event }, { ...event }]);
    await batcher.flush();
    expect(await again).toEqual([
      { id: event.id, seq: first[0]?.seq ?? -1, inserted: false },
      { id: event.id, seq: first[0]?.seq ?? -1, inserted: false },
    ]);
    expect(store.windows[1]).toHaveLength(1);
    expect(commits.flat().map((committed) => committed.id)).toEqual([event.id]);
  });

  it("refuses a whole submission past the pending bound, counts it, and keeps what it holds", async () => {
    const { batcher } = setup({ maxPending: 3 });
    const held = batcher.submit([pending(), pending()]);
    await expect(batcher.submit([pending(), pending()])).rejects.toBeInstanceOf(BackpressureError);
    expect(batcher.stats()).toMatchObject({ pending: 2, refusedBackpressure: 2 });
    await batcher.flush();
    expect(await held).toHaveLength(2);
  });

  it("rejects the producers of a window the store could not write, and goes on", async () => {
    const { store, batcher } = setup();
    store.failNext = new Error("disk on fire");
    const failed = batcher.submit([pending()]);
    await batcher.flush();
    await expect(failed).rejects.toThrow("disk on fire");
    const next = batcher.submit([pending()]);
    await batcher.flush();
    expect((await next)[0]?.inserted).toBe(true);
    expect(batcher.stats().failedWindows).toBe(1);
  });

  it("answers only the submission the store refuses, and commits the others in order with contiguous seqs", async () => {
    const { scheduler, store, commits, batcher } = setup();
    const good = Array.from({ length: 20 }, () => pending());
    const bad = [pending(), pending()];
    store.refuses.add(bad[1]?.id ?? "");
    let badAnswer: unknown = null;
    const answers = good.map((event, i) => {
      if (i === 13) {
        batcher.submit(bad).catch((err: unknown) => {
          badAnswer = err;
        });
      }
      return batcher.submit([event]);
    });
    await scheduler.advance(50);
    await batcher.flush();

    // The whole submission is refused, though only one of its events was bad: all or nothing.
    expect(badAnswer).toBeInstanceOf(StoreRefusedError);
    const acked = (await Promise.all(answers)).map(([ack]) => ack?.seq ?? -1);
    // The refused events took no seq: the others are numbered 1..20 in submission order.
    expect(acked).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const stored = store.windows.flat();
    expect(stored.map((event) => event.id)).toEqual(good.map((event) => event.id));
    // Fan-out batches follow each other without a gap.
    const fanned = commits.flat().map((event) => event.seq);
    expect(fanned).toEqual(acked);
    expect(batcher.stats()).toMatchObject({ lastSeq: 20, refusedStore: 2, failedWindows: 0 });

    const next = batcher.submit([pending()]);
    await scheduler.advance(50);
    expect((await next)[0]?.seq).toBe(21);
  });

  it("writes the next window while the last commits, and answers them in seq order", async () => {
    const { store, commits, batcher } = setup({ maxWindow: 2, maxInFlight: 2 });
    let release = () => {};
    store.gate = new Promise((resolve) => {
      release = resolve;
    });
    const answered: number[][] = [];
    const acks = [0, 1, 2].map((i) =>
      batcher
        .submit([pending(), pending()])
        .then((stored) => answered.push([i, ...stored.map((ack) => ack.seq)])),
    );
    await settle();
    // Two windows are with the store at once, the third waits for a free slot.
    expect(store.open).toBe(2);
    store.gate = null;
    release();
    await Promise.all(acks);
    expect(answered).toEqual([
      [0, 1, 2],
      [1, 3, 4],
      [2, 5, 6],
    ]);
    expect(commits.map((events) => events.map((event) => event.seq))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it("keeps a re-sent id out of the windows written while its first window is in flight", async () => {
    const { store, batcher, commits, scheduler } = setup({ maxWindow: 2 });
    let release = () => {};
    store.gate = new Promise((resolve) => {
      release = resolve;
    });
    const event = pending();
    const first = batcher.submit([event, pending()]);
    await settle();
    const other = pending();
    const again = batcher.submit([{ ...event }, other]);
    await settle();
    // Only the other event went to the store beside the first window; the re-send waits.
    expect(store.open).toBe(2);
    expect(batcher.stats().pending).toBe(1);
    store.gate = null;
    release();
    expect((await first)[0]).toEqual({ id: event.id, seq: 1, inserted: true });
    // Back in the queue once the first window landed, it waits for a window of its own.
    await settle();
    await scheduler.advance(50);
    expect(await again).toEqual([
      { id: event.id, seq: 1, inserted: false },
      { id: other.id, seq: 3, inserted: true },
    ]);
    expect(store.windows.map((window) => window.map((row) => row.id))).toEqual([
      [event.id, expect.any(String)],
      [other.id],
      [event.id],
    ]);
    // Fanned out once.
    expect(commits.flat().filter((row) => row.id === event.id)).toHaveLength(1);
  });

  it("numbers the windows behind a refused one again, so seqs stay contiguous", async () => {
    const { store, commits, batcher } = setup({ maxWindow: 3 });
    let release = () => {};
    store.gate = new Promise((resolve) => {
      release = resolve;
    });
    const good = [pending(), pending()];
    const bad = pending();
    const later = [pending(), pending(), pending()];
    store.refuses.add(bad.id);
    const first = batcher.submit(good);
    const refused = batcher.submit([bad]);
    const after = batcher.submit(later);
    await settle();
    expect(store.open).toBe(2);
    store.gate = null;
    release();
    await expect(refused).rejects.toBeInstanceOf(StoreRefusedError);
    expect((await first).map((ack) => ack.seq)).toEqual([1, 2]);
    expect((await after).map((ack) => ack.seq)).toEqual([3, 4, 5]);
    expect(commits.flat().map((event) => [event.id, event.seq])).toEqual([
      ...good.map((event, i) => [event.id, 1 + i]),
      ...later.map((event, i) => [event.id, 3 + i]),
    ]);
    expect(batcher.stats()).toMatchObject({ pending: 0, pendingBytes: 0, refusedStore: 1 });
  });

  it("refuses a submission past the pending bound in bytes, and counts it", async () => {
    const { batcher } = setup({ maxPendingBytes: 1000 });
    const kept = batcher.submit([pending("custom.x", { data: { text: "x".repeat(600) } })]);
    await expect(
      batcher.submit([pending("custom.x", { data: { text: "y".repeat(600) } })]),
    ).rejects.toThrow(BackpressureError);
    expect(batcher.stats()).toMatchObject({ pending: 1, refusedBackpressure: 1 });
    expect(batcher.stats().pendingBytes).toBeGreaterThan(600);
    await batcher.flush();
    await kept;
    expect(batcher.stats().pendingBytes).toBe(0);
  });

  it("commits what is pending on stop, refuses more, and leaves no timer", async () => {
    const { scheduler, store, batcher } = setup();
    const ack = batcher.submit([pending(), pending()]);
    expect(scheduler.pendingTimers).toBe(1);
    await batcher.stop();
    expect(await ack).toHaveLength(2);
    expect(store.windows).toHaveLength(1);
    expect(scheduler.pendingTimers).toBe(0);
    await expect(batcher.submit([pending()])).rejects.toBeInstanceOf(StoppedError);
  });

  it("counts each window from its oldest event, even when it arrived during a write", async () => {
    const { scheduler, store, batcher } = setup();
    let release = () => {};
    store.gate = new Promise((resolve) => {
      release = resolve;
    });
    batcher.submit([pending()]);
    await scheduler.advance(50);
    batcher.submit([pending()]);
    await scheduler.advance(40);
    store.gate = null;
    release();
    await settle();
    await scheduler.advance(10);
    expect(store.windows.map((window) => window.length)).toEqual([1, 1]);
  });
});
