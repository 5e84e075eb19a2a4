import { afterEach, describe, expect, it } from "bun:test";
import { createChannelServer, createRouter, ok } from "@landale/channels";
import {
  EVENTS,
  type EventBatch,
  type EventEnvelope,
  INGEST,
  PUSH,
  STREAM_OVERLAYS,
  type StreamState,
  type Topic,
} from "@landale/shared";
import { startTcpProxy } from "@landale/testkit";
import { z } from "zod";
import { type ClientStatus, createClient, type LandaleClient, PushError } from "../src";
import { eventually, note, postEvents, startHub } from "./support";

const clients = new Set<LandaleClient>();
afterEach(() => {
  for (const client of clients) client.close();
  clients.clear();
});

function client(url: string, options: Partial<Parameters<typeof createClient>[0]> = {}) {
  const made = createClient({
    url,
    backoff: { baseMs: 50, maxMs: 300 },
    heartbeatMs: 500,
    pushTimeoutMs: 5_000,
    logger: { warn: () => {} },
    ...options,
  });
  clients.add(made);
  return made;
}

const ALL = EVENTS.topic("all");

/** A topic no hub serves, for the servers that misbehave. */
const FEED = {
  name: "feed",
  pushes: { item: z.object({ n: z.number() }) },
  commands: ["x", "y", "z"],
} as const satisfies Topic;

const seqsOf = (batches: EventBatch[]) =>
  batches.flatMap((batch) => batch.events.map((event) => event.id));

describe("against a real hub", () => {
  it("receives typed batches and the stream state, sharing one socket", async () => {
    const hub = await startHub();
    const landale = client(hub.socketUrl);
    const batches: EventBatch[] = [];
    const states: StreamState[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    landale.subscribe(STREAM_OVERLAYS, PUSH.streamState, (state) => states.push(state));
    await eventually("the stream state", () => states.length > 0);
    await postEvents(hub, [note(1), note(2)]);
    await eventually("two events", () => seqsOf(batches).length === 2);
    expect(seqsOf(batches)).toEqual(["note-1", "note-2"]);
    expect(landale.status()).toMatchObject({ state: "open", attempts: 0, invalid: 0 });
  });

  it("reconnects after the hub is killed and restarted, and catches up on what it missed", async () => {
    const hub = await startHub();
    const landale = client(hub.socketUrl);
    const batches: EventBatch[] = [];
    const statuses: ClientStatus["state"][] = [];
    landale.onStatus((status) => statuses.push(status.state));
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("joined", () => landale.status().state === "open");
    await postEvents(hub, [note(1)]);
    await eventually("the first event", () => seqsOf(batches).length === 1);

    hub.child.kill("SIGKILL");
    await hub.child.exited;
    await eventually("reconnecting", () => landale.status().state === "reconnecting");
    const again = await startHub({ port: hub.port, dataDir: hub.dataDir });
    await eventually("open again", () => landale.status().state === "open");
    await postEvents(again, [note(2), note(3)]);
    await eventually("every event once", () => seqsOf(batches).length >= 3);
    expect(seqsOf(batches)).toEqual(["note-1", "note-2", "note-3"]);
    expect(statuses).toContain("reconnecting");
  });

  it("catches up on exactly the events it missed while its link was cut", async () => {
    const hub = await startHub();
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: hub.port });
    const landale = client(`ws://127.0.0.1:${proxy.port}/socket`);
    const batches: EventBatch[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("open", () => landale.status().state === "open");
    await postEvents(hub, [note(1), note(2)]);
    await eventually("the first events", () => seqsOf(batches).length === 2);

    await proxy.cut();
    await eventually("the cut noticed", () => landale.status().state === "reconnecting");
    await postEvents(hub, [note(3), note(4)]);
    await postEvents(hub, [note(5)]);
    await proxy.restore();
    await eventually("the missed events", () => seqsOf(batches).length >= 5);
    await postEvents(hub, [note(6)]);
    await eventually("live again", () => seqsOf(batches).length >= 6);
    expect(seqsOf(batches)).toEqual(["note-1", "note-2", "note-3", "note-4", "note-5", "note-6"]);
    expect(batches.some((batch) => batch.replay === true)).toBe(true);
    await proxy.stop();
  });

  it("pages what a replay cut to its bound left out, ending with every event once", async () => {
    const hub = await startHub();
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: hub.port });
    const landale = client(`ws://127.0.0.1:${proxy.port}/socket`);
    const batches: EventBatch[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("open", () => landale.status().state === "open");
    await postEvents(hub, [note(0)]);
    await eventually("the first event", () => seqsOf(batches).length === 1);

    await proxy.cut();
    await eventually("the cut noticed", () => landale.status().state === "reconnecting");
    // More than the hub replays on a join (1,000): the rest must come from the activity API.
    const missed = Array.from({ length: 1500 }, (_, n) => note(n + 1));
    await postEvents(hub, missed.slice(0, 750));
    await postEvents(hub, missed.slice(750));
    await proxy.restore();
    await eventually("the missed events", () => seqsOf(batches).length >= 1501, 30_000);
    await postEvents(hub, [note(1501)]);
    await eventually("live again", () => seqsOf(batches).length >= 1502);

    expect(seqsOf(batches)).toEqual(Array.from({ length: 1502 }, (_, n) => `note-${n}`));
    expect(landale.status()).toMatchObject({ paged: 500, unfilled: 0 });
    await proxy.stop();
  });

  it("notices a frozen hub through missed heartbeats and catches up when it thaws", async () => {
    const hub = await startHub();
    const landale = client(hub.socketUrl);
    const batches: EventBatch[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("open", () => landale.status().state === "open");
    await postEvents(hub, [note(1)]);
    await eventually("the first event", () => seqsOf(batches).length === 1);

    hub.child.kill("SIGSTOP");
    await eventually("the dead link noticed", () => landale.status().state === "reconnecting");
    hub.child.kill("SIGCONT");
    await eventually("open again", () => landale.status().state === "open");
    await postEvents(hub, [note(2)]);
    await eventually("the next event", () => seqsOf(batches).length === 2);
    expect(seqsOf(batches)).toEqual(["note-1", "note-2"]);
  });

  it("queues pushes while disconnected and sends them in order once joined", async () => {
    const hub = await startHub();
    hub.child.kill("SIGKILL");
    await hub.child.exited;
    const landale = client(hub.socketUrl);
    const replies = [1, 2, 3].map((n) => landale.push(INGEST, "ingest", note(n)));
    await eventually("queued", () => landale.status().queueDepth === 3);
    const again = await startHub({ port: hub.port, dataDir: hub.dataDir });
    const answered = await Promise.all(replies);
    const seqs = answered.map(
      (reply) => (reply.response as { accepted: { seq: number }[] }).accepted[0]?.seq ?? 0,
    );
    expect(answered.every((reply) => reply.status === "ok")).toBe(true);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(landale.status().queueDepth).toBe(0);
    expect((await fetch(`${again.url}/api/activity/events/note-3`)).status).toBe(200);
  });
});

/** A hub stand-in whose `events:all` the test drives: it loses batches when told to. */
function eventsServer(replay: (sinceSeq: number) => EventBatch) {
  const joins: { since_seq?: number }[] = [];
  const channels = createChannelServer({
    router: createRouter().channel(ALL.name, {
      join: (_topic, payload) => {
        joins.push((payload ?? {}) as { since_seq?: number });
        return ok({ filter: "all" });
      },
      afterJoin: (ctx) => {
        const since = joins[joins.length - 1]?.since_seq;
        if (since !== undefined) ctx.push(PUSH.eventBatch, replay(since));
      },
    }),
  });
  const server = Bun.serve({
    port: 0,
    fetch: (req, srv) => channels.upgrade(req, srv),
    websocket: channels.websocket,
  });
  servers.add(() => {
    channels.close();
    server.stop(true);
  });
  return {
    url: `ws://127.0.0.1:${server.port}/socket`,
    joins,
    send: (batch: EventBatch) => channels.broadcast(ALL.name, PUSH.eventBatch, batch),
    closeSockets: (code: number, reason: string) => channels.close(code, reason),
    subscribers: () => channels.stats().channels,
  };
}

const servers = new Set<() => void>();
afterEach(() => {
  for (const stop of servers) stop();
  servers.clear();
});

function envelope(seq: number): EventEnvelope {
  const at = new Date(Date.UTC(2026, 10, 21, 12, 0, seq)).toISOString();
  return {
    id: `e-${seq}`,
    seq,
    type: "custom.note",
    source: "api",
    ts: at,
    received_at: at,
    correlation_id: `c-${seq}`,
    data: { seq },
  };
}

function batchOf(seqs: number[], from = seqs[0] ?? 0, to = seqs[seqs.length - 1] ?? 0): EventBatch {
  return { events: seqs.map(envelope), from_seq: from, to_seq: to };
}

describe("against a server that loses batches", () => {
  it("notices a gap in from_seq, rejoins with since_seq, and gets the missing events once", async () => {
    const stored = [1, 2, 3, 4, 5, 6];
    const hub = eventsServer((since) => ({
      ...batchOf(
        stored.filter((seq) => seq > since && seq <= 5),
        since + 1,
        5,
      ),
      replay: true,
    }));
    const landale = client(hub.url);
    const batches: EventBatch[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("joined", () => hub.subscribers() === 1);

    hub.send(batchOf([1, 2]));
    await eventually("the first batch", () => seqsOf(batches).length === 2);
    hub.send(batchOf([5])); // 3 and 4 were lost on the way.
    await eventually("a rejoin", () => hub.joins.length === 2);
    await eventually("the replay", () => seqsOf(batches).length >= 5);
    hub.send(batchOf([6]));
    await eventually("the live batch after it", () => seqsOf(batches).length >= 6);

    expect(hub.joins).toEqual([{}, { since_seq: 2 }]);
    expect(seqsOf(batches)).toEqual(["e-1", "e-2", "e-3", "e-4", "e-5", "e-6"]);
    expect(landale.status()).toMatchObject({ gaps: 1, unfilled: 0 });
  });

  it("reconnects after being closed as too slow (4008) and catches up from its last batch", async () => {
    const hub = eventsServer((since) => ({
      ...batchOf(
        [3, 4].filter((seq) => seq > since),
        since + 1,
        4,
      ),
      replay: true,
    }));
    const landale = client(hub.url);
    const batches: EventBatch[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("joined", () => hub.subscribers() === 1);
    hub.send(batchOf([1, 2]));
    await eventually("the first batch", () => seqsOf(batches).length === 2);

    hub.closeSockets(4008, "too slow: back-pressure limit passed");
    await eventually("the missed events", () => seqsOf(batches).length >= 4);

    expect(hub.joins).toEqual([{}, { since_seq: 2 }]);
    expect(seqsOf(batches)).toEqual(["e-1", "e-2", "e-3", "e-4"]);
  });

  it("moves on when the rejoin shows the hole is empty, without rejoining again", async () => {
    // Seqs 3 and 4 hold nothing (refused events): the replay accounts for them with no events.
    const hub = eventsServer((since) => ({ ...batchOf([], since + 1, 4), replay: true }));
    const landale = client(hub.url);
    const batches: EventBatch[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("joined", () => hub.subscribers() === 1);

    hub.send(batchOf([1, 2]));
    await eventually("the first batch", () => seqsOf(batches).length === 2);
    hub.send(batchOf([5]));
    await eventually("a rejoin", () => hub.joins.length === 2);
    await eventually("the replay", () => batches.some((batch) => batch.replay === true));
    hub.send(batchOf([5]));
    hub.send(batchOf([6]));
    await eventually("the live batches after it", () => seqsOf(batches).length >= 4);

    expect(seqsOf(batches)).toEqual(["e-1", "e-2", "e-5", "e-6"]);
    expect(hub.joins).toHaveLength(2);
    expect(landale.status()).toMatchObject({ gaps: 1, unfilled: 0 });
  });

  it("accepts a gap that a rejoin did not fill instead of rejoining forever", async () => {
    // A replay that accounts for nothing past since_seq.
    const hub = eventsServer((since) => ({ ...batchOf([], since + 1, since), replay: true }));
    const landale = client(hub.url);
    const batches: EventBatch[] = [];
    landale.subscribe(ALL, PUSH.eventBatch, (batch) => batches.push(batch));
    await eventually("joined", () => hub.subscribers() === 1);

    hub.send(batchOf([1, 2]));
    await eventually("the first batch", () => seqsOf(batches).length === 2);
    hub.send(batchOf([5]));
    // The replay is pushed as the join is answered, so it reaches the client before what follows.
    await eventually("a rejoin", () => hub.joins.length === 2);
    hub.send(batchOf([6]));
    hub.send(batchOf([7]));
    await eventually("the live batches", () => seqsOf(batches).length >= 4);

    expect(seqsOf(batches)).toEqual(["e-1", "e-2", "e-6", "e-7"]);
    expect(hub.joins).toHaveLength(2);
    expect(landale.status()).toMatchObject({ gaps: 2, unfilled: 1 });
  });
});

describe("against a misbehaving server", () => {
  function serve(onJoin: (broadcast: (payload: unknown) => void) => void) {
    const channels = createChannelServer({
      router: createRouter().channel(FEED.name, {
        join: () => ok({}),
        afterJoin: () => onJoin((p) => channels.broadcast(FEED.name, "item", p)),
      }),
    });
    const server = Bun.serve({
      port: 0,
      fetch: (req, srv) => channels.upgrade(req, srv),
      websocket: channels.websocket,
    });
    return {
      url: `ws://127.0.0.1:${server.port}/socket`,
      stop: () => {
        channels.close();
        server.stop(true);
      },
    };
  }

  it("counts an invalid payload and keeps delivering valid ones", async () => {
    const server = serve((broadcast) => {
      broadcast({ n: "one" });
      broadcast({ n: 2 });
    });
    const landale = client(server.url);
    const items: number[] = [];
    landale.subscribe(FEED, "item", (item) => items.push(item.n));
    await eventually("the valid item", () => items.length === 1);
    expect(items).toEqual([2]);
    expect(landale.status().invalid).toBe(1);
    server.stop();
  });

  it("closes with a push unanswered: fails it as closed and leaves no timer running", async () => {
    const child = Bun.spawn(["bun", new URL("./unanswered-push.ts", import.meta.url).pathname], {
      stdout: "pipe",
      stderr: "inherit",
    });
    // The process ends only once nothing keeps it alive; a push's leftover timer would for 5 min.
    expect(await child.exited).toBe(0);
    expect((await new Response(child.stdout).text()).trim()).toBe("closed");
  });

  it("keeps at most queueMax pushes while it cannot connect, dropping the oldest", async () => {
    const landale = client("ws://127.0.0.1:9/socket", { queueMax: 2 });
    const first = landale.push(FEED, "x");
    landale.push(FEED, "y").catch(() => {});
    landale.push(FEED, "z").catch(() => {});
    await expect(first).rejects.toBeInstanceOf(PushError);
    expect(landale.status()).toMatchObject({ queueDepth: 2, dropped: 1 });
    landale.close();
    expect(landale.status()).toMatchObject({ state: "closed", queueDepth: 0 });
  });
});
