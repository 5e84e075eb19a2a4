/**
 * A subscriber that stops reading: a V2 WebSocket client on a plain TCP socket that joins a topic
 * and then pauses, so the hub's buffers for it fill up. `resume()` reads again and resolves with
 * the code of the close frame the hub sent (null if the connection ended without one).
 */
import net from "node:net";

const WAIT_MS = 15_000;

export class StalledSubscriber {
  private constructor(
    readonly socket: net.Socket,
    private readonly bytes: () => Buffer,
  ) {}

  static async join(port: number, topic: string): Promise<StalledSubscriber> {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const chunks: Buffer[] = [];
    const bytes = () => Buffer.concat(chunks);
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no join reply")), WAIT_MS);
      socket.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (!bytes().includes('"phx_reply"')) return;
        clearTimeout(timer);
        resolve();
      });
    });
    socket.write(
      [
        "GET /socket/websocket?vsn=2.0.0 HTTP/1.1",
        `Host: 127.0.0.1:${port}`,
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        "",
        "",
      ].join("\r\n"),
    );
    socket.write(maskedTextFrame(JSON.stringify(["1", "1", topic, "phx_join", {}])));
    await arrived;
    socket.pause();
    return new StalledSubscriber(socket, bytes);
  }

  /** Reads again until the hub's close frame (its code) or the end of the connection (null). */
  resume(): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no close frame")), WAIT_MS);
      const check = (ended: boolean) => {
        const code = closeCodeIn(this.bytes());
        if (code === undefined && !ended) return;
        clearTimeout(timer);
        resolve(code ?? null);
      };
      this.socket.on("data", () => check(false));
      this.socket.once("close", () => check(true));
      this.socket.resume();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The code of the first close frame after the HTTP response, or undefined if none yet. */
function closeCodeIn(stream: Buffer): number | undefined {
  let at = stream.indexOf("\r\n\r\n");
  if (at === -1) return undefined;
  at += 4;
  while (at + 2 <= stream.length) {
    const opcode = (stream[at] ?? 0) & 0x0f;
    let length = (stream[at + 1] ?? 0) & 0x7f;
    let header = 2;
    if (length === 126) {
      if (at + 4 > stream.length) return undefined;
      length = stream.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (at + 10 > stream.length) return undefined;
      length = Number(stream.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (at + header + length > stream.length) return undefined;
    if (opcode === 0x8) return length >= 2 ? stream.readUInt16BE(at + header) : 1005;
    at += header + length;
  }
  return undefined;
}

/** A client-to-server text frame (FIN, opcode 1, masked), as RFC 6455 requires. */
function maskedTextFrame(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  if (payload.length > 125) throw new Error("frames stay under 126 bytes");
  const mask = [0x12, 0x34, 0x56, 0x78];
  const out = new Uint8Array(2 + 4 + payload.length);
  out.set([0x81, 0x80 | payload.length, ...mask]);
  payload.forEach((byte, index) => {
    out[6 + index] = byte ^ (mask[index % 4] ?? 0);
  });
  return out;
}
