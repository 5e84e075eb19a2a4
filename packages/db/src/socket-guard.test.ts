import { describe, expect, it } from "bun:test";
import net from "node:net";
import { guardAbandonedSockets } from "./socket-guard";

describe("guardAbandonedSockets", () => {
  it("keeps a socket whose listeners were all removed from ending the process when its connect fails", async () => {
    guardAbandonedSockets();
    const port = await closedPort();
    // As postgres.js does on close: every listener removed while a connect is still under way.
    const socket = new net.Socket();
    socket.on("error", () => {});
    socket.connect(port, "127.0.0.1");
    socket.removeAllListeners();
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect(socket.destroyed).toBe(true);
  });

  it("keeps a connecting socket whose own error listener was removed from ending the process", async () => {
    guardAbandonedSockets();
    const port = await closedPort();
    const socket = new net.Socket();
    const owner = () => {};
    socket.on("error", owner);
    socket.connect(port, "127.0.0.1");
    socket.removeListener("error", owner);
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect(socket.destroyed).toBe(true);
  });

  it("leaves a socket's own error listeners alone", async () => {
    guardAbandonedSockets();
    const socket = new net.Socket();
    const errors: Error[] = [];
    socket.on("error", (err) => errors.push(err));
    socket.connect(1, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect(errors.length).toBe(1);
  });
});

/** A loopback port nothing listens on (it was just given up). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
