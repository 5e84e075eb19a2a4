/**
 * A TCP proxy a test can cut: the way to take a database "down" for one test without stopping the
 * shared server. `cut()` drops every connection and refuses new ones; `hang()` drops every
 * connection and then accepts new ones but never answers (a network that loses packets, where
 * only timeouts tell); `restore()` forwards again on the same port.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  cut(): Promise<void>;
  hang(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  let hanging = false;
  const server: Server = createServer((client) => {
    track(client);
    if (hanging) return; // held open, never answered, until restore() or stop() drops it
    const upstream = createConnection(target);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) =>
      server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
    );
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  const port = await listen(0);
  let listening = true;
  return {
    port,
    async cut() {
      if (!listening) return;
      listening = false;
      await close();
    },
    async hang() {
      hanging = true;
      for (const socket of sockets) socket.destroy();
      if (!listening) {
        listening = true;
        await listen(port);
      }
    },
    async restore() {
      if (hanging) {
        hanging = false;
        for (const socket of sockets) socket.destroy();
      }
      if (listening) return;
      listening = true;
      await listen(port);
    },
    async stop() {
      if (listening) await close();
      listening = false;
    },
  };
}
