/** The official `phoenix` npm client against the server, over V1 and V2. */
import { describe, expect, it } from "bun:test";
import { Inbox, outcome, phoenixOptions, useHarness, VERSIONS } from "./support";

const h = useHarness();

/** Reconnects and rejoins come quickly in tests, and never hit the 10 s default push timeout. */
const quick = {
  reconnectAfterMs: () => 20,
  rejoinAfterMs: () => 20,
  timeout: 2000,
};

describe.each(VERSIONS)("the official phoenix client over $name", ({ vsn }) => {
  it("joins, pushes, and receives replies and pushes", async () => {
    const server = h.server();
    const socket = h.phoenix(server.endpoint, phoenixOptions(vsn, quick));
    socket.connect();
    const channel = socket.channel("room:lobby", { welcome: true });
    const welcomes = new Inbox<unknown>();
    channel.on("welcome", (payload) => welcomes.add(payload));

    const joined = await outcome(channel.join());
    const echoed = await outcome(channel.push("echo", { body: "hi!" }));

    expect(joined).toEqual({ status: "ok", response: {} });
    expect(echoed).toEqual({ status: "ok", response: { body: "hi!" } });
    expect(await welcomes.next()).toEqual({ topic: "room:lobby" });
  });

  it("receives broadcasts on the joined topic, and not its own broadcastFrom", async () => {
    const server = h.server();
    const socket = h.phoenix(server.endpoint, phoenixOptions(vsn, quick));
    socket.connect();
    const channel = socket.channel("room:news");
    const heard = new Inbox<unknown>();
    channel.on("headline", (payload) => heard.add(payload));
    channel.on("shout", (payload) => heard.add(payload));
    await outcome(channel.join());

    server.channels.broadcast("room:news", "headline", { text: "hello" });
    await outcome(channel.push("shout_others", { text: "not for me" }));
    // The server broadcasts before it replies, so this shout has arrived once the reply has.
    await outcome(channel.push("shout", { text: "for everyone" }));

    expect(heard.history).toEqual([{ text: "hello" }, { text: "for everyone" }]);
  });

  it("hears the handler's payload when a join is refused", async () => {
    const server = h.server();
    const socket = h.phoenix(server.endpoint, phoenixOptions(vsn, quick));
    socket.connect();
    const channel = socket.channel("refuse:vip");

    const refused = await outcome(channel.join());
    channel.leave();

    expect(refused).toEqual({
      status: "error",
      response: { reason: "not allowed", topic: "refuse:vip" },
    });
  });

  it("leaves a channel, and the server ends it", async () => {
    const server = h.server();
    const socket = h.phoenix(server.endpoint, phoenixOptions(vsn, quick));
    socket.connect();
    const channel = socket.channel("room:lobby");
    await outcome(channel.join());

    const left = await outcome(channel.leave());

    expect(left.status).toBe("ok");
    expect(channel.state).toBe("closed");
    expect(await server.log.terminations.next()).toMatchObject({
      topic: "room:lobby",
      reason: "leave",
    });
  });

  it("rejoins a channel that crashed, on the same socket", async () => {
    const server = h.server();
    const socket = h.phoenix(server.endpoint, phoenixOptions(vsn, quick));
    socket.connect();
    const channel = socket.channel("room:fragile");
    const joins = new Inbox<unknown>();
    const errors = new Inbox<unknown>();
    channel.onError((reason) => errors.add(reason));
    channel.join().receive("ok", (response) => joins.add(response));
    await joins.next();

    channel.push("boom", {});
    await errors.next();
    await joins.next(() => true, "the rejoin");

    expect(channel.state).toBe("joined");
    expect(await outcome(channel.push("echo", { after: "crash" }))).toEqual({
      status: "ok",
      response: { after: "crash" },
    });
    expect(server.channels.stats()).toMatchObject({ connections: 1, channels: 1, crashes: 1 });
  });

  it("authenticates with its authToken option, over the phoenix subprotocol", async () => {
    const server = h.server({
      authenticate: ({ token }) => (token === "s3cret-token" ? { token } : null),
    });
    const socket = h.phoenix(
      server.endpoint,
      phoenixOptions(vsn, { ...quick, authToken: "s3cret-token" }),
    );
    socket.connect();
    const channel = socket.channel("room:lobby");
    await outcome(channel.join());

    const whoami = await outcome(channel.push("whoami", {}));

    expect(whoami.response).toMatchObject({ assigns: { token: "s3cret-token" } });
    expect(socket.conn?.protocol).toBe("phoenix");
  });

  it("cannot connect with an authToken the server refuses", async () => {
    const server = h.server({ authenticate: () => null });
    const socket = h.phoenix(server.endpoint, phoenixOptions(vsn, { ...quick, authToken: "bad" }));
    const errors = new Inbox<unknown>();
    socket.onError((error) => errors.add(error));

    socket.connect();
    const error = await errors.next();

    expect(error instanceof ErrorEvent ? error.message : String(error)).toContain("403");
    expect(socket.isConnected()).toBe(false);
  });

  it("reconnects and rejoins after the server restarts", async () => {
    const first = h.server();
    const socket = h.phoenix(first.endpoint, phoenixOptions(vsn, quick));
    socket.connect();
    const channel = socket.channel("room:lobby");
    const joins = new Inbox<unknown>();
    const news = new Inbox<unknown>();
    channel.join().receive("ok", (response) => joins.add(response));
    channel.on("headline", (payload) => news.add(payload));
    await joins.next();

    await first.stop();
    const second = h.server({ port: first.port });
    await joins.next(() => true, "the rejoin on the new server");
    second.channels.broadcast("room:lobby", "headline", { text: "back" });

    expect(await news.next()).toEqual({ text: "back" });
    expect(second.channels.stats()).toMatchObject({ connections: 1, channels: 1 });
    expect(await outcome(channel.push("echo", { n: 1 }))).toEqual({
      status: "ok",
      response: { n: 1 },
    });
  });
});

describe("the official phoenix client over V2", () => {
  it("pushes binary payloads and gets binary replies", async () => {
    const server = h.server();
    const socket = h.phoenix(server.endpoint, phoenixOptions("2.0.0", quick));
    socket.connect();
    const channel = socket.channel("room:bin");
    await outcome(channel.join());
    const bytes = Uint8Array.from({ length: 64 }, (_, index) => 255 - index);

    const echoed = await outcome(channel.push("echo", bytes.buffer));

    expect(echoed.status).toBe("ok");
    expect(echoed.response).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(echoed.response as ArrayBuffer)]).toEqual([...bytes]);
  });
});
