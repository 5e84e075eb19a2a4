/**
 * Phoenix V2 serializer (`vsn=2.0.0`): text frames are JSON arrays
 * `[join_ref, ref, topic, event, payload]`; binary payloads travel as V2 binary frames.
 */
import { FrameError } from "../errors";
import { type InboundMessage, isBinary, type Outbound, PHX } from "../message";
import { decodeClientPush, encodeBinary, peekClientPush, toBytes } from "./binary";
import type { Serializer } from "./serializer";
import { isNullableString, parseJsonString, V2_HEAD } from "./text";

export const v2: Serializer = {
  name: "v2",
  vsn: "2.0.0",

  decode(frame) {
    if (typeof frame !== "string") return decodeClientPush(frame);
    let value: unknown;
    try {
      value = JSON.parse(frame);
    } catch {
      throw new FrameError("malformed_message", "frame is not valid JSON", peek(frame));
    }
    if (!Array.isArray(value) || value.length !== 5) {
      throw new FrameError(
        "malformed_message",
        "a V2 frame must be an array [join_ref, ref, topic, event, payload]",
      );
    }
    const [joinRef, ref, topic, event, payload] = value as unknown[];
    if (!isNullableString(joinRef) || !isNullableString(ref) || typeof topic !== "string") {
      throw new FrameError(
        "malformed_message",
        "join_ref and ref must be strings or null, topic a string",
      );
    }
    if (typeof event !== "string") {
      throw new FrameError("malformed_message", "event must be a string", { joinRef, ref, topic });
    }
    return { joinRef, ref, topic, event, payload } satisfies InboundMessage;
  },

  encode(message: Outbound) {
    const body = message.kind === "reply" ? message.response : message.payload;
    if (isBinary(body)) return encodeBinary(message, toBytes(body));
    switch (message.kind) {
      case "push":
        return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, body]);
      case "reply":
        return JSON.stringify([
          message.joinRef,
          message.ref,
          message.topic,
          PHX.reply,
          { status: message.status, response: body },
        ]);
      case "broadcast":
        return JSON.stringify([null, null, message.topic, message.event, body]);
    }
  },

  peek,
};

function peek(frame: string | Uint8Array) {
  if (typeof frame !== "string") return peekClientPush(frame);
  const head = V2_HEAD.exec(frame.slice(0, 1024));
  if (head === null) return null;
  const topic = parseJsonString(head[3]);
  if (topic === null) return null;
  return { joinRef: parseJsonString(head[1]), ref: parseJsonString(head[2]), topic };
}
