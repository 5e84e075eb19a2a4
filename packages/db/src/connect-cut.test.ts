import { afterEach, describe, expect, it } from "bun:test";
import net from "node:net";
import { connect } from "./connect";

/**
 * A proxy to Postgres that cuts the first connection as its first query after start-up goes
 * through, and then refuses every connection: the database going away at the worst moment of a
 * connection's start.
 */
async function proxyCutAtFirstQuery(target: URL): Promise<{ url: string; stop(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || "5432"), target.hostname);
    sockets.add(client).add(upstream);
    client.on("error", () => {});
    upstream.on("error", () => {});
    let chunks = 0;
    client.on("data", (chunk) => {
      // The first chunk is the start-up message; the next is a query (with trust auth, as on the
      // test server: with a password it would be the password, and the cut would come earlier).
      if (++chunks < 2) {
        upstream.write(chunk);
        return;
      }
      server.close();
      for (const socket of sockets) socket.destroy();
    });
    upstream.on("data", (chunk) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    stop: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

describe.if(Boolean(process.env.TEST_DATABASE_URL))(
  "a connection to Postgres cut as it starts",
  () => {
    let stop = () => {};
    afterEach(() => stop());

    it("fails the call that opened it, and nothing else", async () => {
      const proxy = await proxyCutAtFirstQuery(new URL(process.env.TEST_DATABASE_URL ?? ""));
      stop = proxy.stop;
      const failure = await connect({ url: proxy.url, dataDir: "" }).then(
        () => null,
        (err: unknown) => err,
      );
      // postgres.js fails whatever else it had under way on this connection first, in the same
      // turn: an unheard failure there ends this test with it.
      expect(failure).toBeInstanceOf(Error);
    });
  },
);
