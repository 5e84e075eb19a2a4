import { afterEach, describe, expect, it } from "bun:test";
import { createChannelServer, createRouter, ok } from "@landale/channels";
import { EventBatch, StreamState } from "@landale/shared";
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

const seqsOf = (batches: EventBatch[]) =>
  batches.flatMap((batch) => batch.events.map((event) => event.id));

describe("against a real hub", () => {
  it("receives typed batches and the stream state, sharing one socket", async () => {
    const hub = await startHub();
    const landale = client(hub.socketUrl);
    const batches: EventBatch[] = [];
    const states: StreamState[] = [];
    landale.subscribe("events:all", "event_batch", EventBatch, (batch) => batches.push(batch));
    landale.subscribe("stream:overlays", "stream_state", StreamState, (state) =>
      states.push(state),
    );
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
    landale.subscribe("events:all", "event_batch", EventBatch, (batch) => batches.push(batch));
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
    landale.subscribe("events:all", "event_batch", EventBatch, (batch) => batches.push(batch));
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

  it("notices a frozen hub through missed heartbeats and catches up when it thaws", async () => {
    const hub = await startHub();
    const landale = client(hub.socketUrl);
    const batches: EventBatch[] = [];
    landale.subscribe("events:all", "event_batch", EventBatch, (batch) => batches.push(batch));
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
    const replies = [1, 2, 3].map((n) => landale.push("events:ingest", "ingest", note(n)));
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

describe("against a misbehaving server", () => {
  function serve(onJoin: (broadcast: (payload: unknown) => void) => void) {
    const channels = createChannelServer({
      router: createRouter().channel("feed", {
        join: () => ok({}),
        afterJoin: () => onJoin((p) => channels.broadcast("feed", "item", p)),
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
    landale.subscribe("feed", "item", z.object({ n: z.number() }), (item) => items.push(item.n));
    await eventually("the valid item", () => items.length === 1);
    expect(items).toEqual([2]);
    expect(landale.status().invalid).toBe(1);
    server.stop();
  });

  it("keeps at most queueMax pushes while it cannot connect, dropping the oldest", async () => {
    const landale = client("ws://127.0.0.1:9/socket", { queueMax: 2 });
    const first = landale.push("feed", "x");
    landale.push("feed", "y").catch(() => {});
    landale.push("feed", "z").catch(() => {});
    await expect(first).rejects.toBeInstanceOf(PushError);
    expect(landale.status()).toMatchObject({ queueDepth: 2, dropped: 1 });
    landale.close();
    expect(landale.status()).toMatchObject({ state: "closed", queueDepth: 0 });
  });
});
