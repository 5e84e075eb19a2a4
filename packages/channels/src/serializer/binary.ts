/**
 * Phoenix V2 binary frames. A one-byte kind, then one byte per header field's length (so each
 * field is at most 255 bytes), the fields as UTF-8, then the raw payload:
 *   push from a client:  0 | join_ref_len ref_len topic_len event_len  | join_ref ref topic event | data
 *   push to a client:    0 | join_ref_len topic_len event_len          | join_ref topic event     | data
 *   reply:               1 | join_ref_len ref_len topic_len status_len | join_ref ref topic status | data
 *   broadcast:           2 | topic_len event_len                       | topic event              | data
 */
import { FrameError } from "../errors";
import type { InboundMessage, Outbound } from "../message";

export const KIND = { push: 0, reply: 1, broadcast: 2 } as const;
export const MAX_FIELD_BYTES = 255;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function decodeClientPush(frame: Uint8Array): InboundMessage {
  const header = readHeader(frame);
  if (header === null)
    throw new FrameError("malformed_message", "binary frame header is truncated");
  if (frame[0] !== KIND.push) {
    throw new FrameError(
      "malformed_message",
      `clients may only send binary pushes (kind ${KIND.push})`,
    );
  }
  return { ...header.fields, payload: frame.subarray(header.payloadOffset) };
}

/** The envelope of a client push, read from its header alone. */
export function peekClientPush(frame: Uint8Array) {
  return readHeader(frame)?.fields ?? null;
}

function readHeader(frame: Uint8Array) {
  const headerLength = 5;
  if (frame.length < headerLength) return null;
  const sizes = [frame[1]!, frame[2]!, frame[3]!, frame[4]!];
  let offset = headerLength;
  const parts: string[] = [];
  for (const size of sizes) {
    if (offset + size > frame.length) return null;
    parts.push(decoder.decode(frame.subarray(offset, offset + size)));
    offset += size;
  }
  const [joinRef, ref, topic, event] = parts as [string, string, string, string];
  return {
    fields: { joinRef: joinRef || null, ref: ref || null, topic, event },
    payloadOffset: offset,
  };
}

export function encodeBinary(message: Outbound, data: Uint8Array): Uint8Array {
  switch (message.kind) {
    case "push":
      return frame(KIND.push, [message.joinRef ?? "", message.topic, message.event], data);
    case "reply":
      return frame(
        KIND.reply,
        [message.joinRef ?? "", message.ref ?? "", message.topic, message.status],
        data,
      );
    case "broadcast":
      return frame(KIND.broadcast, [message.topic, message.event], data);
  }
}

function frame(kind: number, fields: string[], data: Uint8Array): Uint8Array {
  const encoded = fields.map((field) => encoder.encode(field));
  const headerLength = 1 + encoded.length + encoded.reduce((sum, bytes) => sum + bytes.length, 0);
  const out = new Uint8Array(headerLength + data.length);
  out[0] = kind;
  let offset = 1 + encoded.length;
  encoded.forEach((bytes, index) => {
    if (bytes.length > MAX_FIELD_BYTES) {
      throw new FrameError(
        "malformed_message",
        `binary header field exceeds ${MAX_FIELD_BYTES} bytes`,
      );
    }
    out[1 + index] = bytes.length;
    out.set(bytes, offset);
    offset += bytes.length;
  });
  out.set(data, offset);
  return out;
}

export function toBytes(payload: Uint8Array | ArrayBuffer): Uint8Array {
  return payload instanceof Uint8Array ? payload : new Uint8Array(payload);
}
