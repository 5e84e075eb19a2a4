/**
 * A subscriber that stops reading: a V2 WebSocket client on a plain TCP socket that joins a topic
 * and then pauses, so the hub's buffers for it fill up. `resume()` reads again and resolves with
 * the code of the close frame the hub sent (null if the connection ended without one). Frames are
 * parsed as they arrive, each byte once: a reader that re-scanned megabytes on every chunk would
 * be slow enough for the hub's close timeout to cut it before it reads its close frame.
 */
import net from "node:net";

const WAIT_MS = 15_000;
const HEADER_END = "\r\n\r\n";
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;

export class StalledSubscriber {
  /** The HTTP response until its end is seen; then unparsed bytes of the frame being received. */
  #pending: Buffer = Buffer.alloc(0);
  #upgraded = false;
  #joined: (() => void) | null = null;
  #closeCode: number | undefined = undefined;
  #ended = false;
  #onChange: (() => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.once("close", () => {
      this.#ended = true;
      this.#onChange?.();
    });
  }

  static async join(port: number, topic: string): Promise<StalledSubscriber> {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const subscriber = new StalledSubscriber(socket);
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no join reply")), WAIT_MS);
      subscriber.#joined = () => {
        clearTimeout(timer);
        resolve();
      };
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
    await joined;
    socket.pause();
    return subscriber;
  }

  /** Reads again until the hub's close frame (its code) or the end of the connection (null). */
  resume(): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no close frame")), WAIT_MS);
      this.#onChange = () => {
        if (this.#closeCode === undefined && !this.#ended) return;
        clearTimeout(timer);
        this.#onChange = null;
        resolve(this.#closeCode ?? null);
      };
      this.socket.resume();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    if (!this.#upgraded) {
      const end = this.#pending.indexOf(HEADER_END);
      if (end === -1) return;
      this.#upgraded = true;
      this.#pending = this.#pending.subarray(end + HEADER_END.length);
    }
    for (let frame = nextFrame(this.#pending); frame !== null; frame = nextFrame(this.#pending)) {
      this.#pending = this.#pending.subarray(frame.size);
      if (frame.opcode === OPCODE_TEXT && this.#joined !== null) {
        if (frame.payload.includes('"phx_reply"')) {
          this.#joined();
          this.#joined = null;
        }
      } else if (frame.opcode === OPCODE_CLOSE && this.#closeCode === undefined) {
        this.#closeCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
      }
    }
    this.#onChange?.();
  }
}

/** The first whole (unmasked, server-to-client) frame in `bytes`, or null if none is whole yet. */
function nextFrame(bytes: Buffer): { opcode: number; payload: Buffer; size: number } | null {
  if (bytes.length < 2) return null;
  const opcode = (bytes[0] ?? 0) & 0x0f;
  let length = (bytes[1] ?? 0) & 0x7f;
  let header = 2;
  if (length === 126) {
    if (bytes.length < 4) return null;
    length = bytes.readUInt16BE(2);
    header = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return null;
    length = Number(bytes.readBigUInt64BE(2));
    header = 10;
  }
  if (bytes.length < header + length) return null;
  return { opcode, payload: bytes.subarray(header, header + length), size: header + length };
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
