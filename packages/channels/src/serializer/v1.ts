/**
 * Phoenix V1 JSON serializer (`vsn=1.0.0`): every frame is a text frame holding one object
 * `{topic, event, payload, ref, join_ref}`. V1 has no binary frames.
 */
import { FrameError } from "../errors";
import { type InboundMessage, isBinary, type Outbound, PHX } from "../message";
import type { Serializer } from "./serializer";
import { fieldPattern, headAndTail, isNullableString, parseJsonString } from "./text";

const TOPIC = fieldPattern("topic");
const REF = fieldPattern("ref");
const JOIN_REF = fieldPattern("join_ref");

export const v1: Serializer = {
  name: "v1",
  vsn: "1.0.0",

  decode(frame) {
    if (typeof frame !== "string") {
      throw new FrameError("malformed_message", "binary frames need vsn=2.0.0");
    }
    let value: unknown;
    try {
      value = JSON.parse(frame);
    } catch {
      throw new FrameError("malformed_message", "frame is not valid JSON", peek(frame));
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new FrameError("malformed_message", "a V1 frame must be a JSON object");
    }
    const { topic, event, payload, ref, join_ref: joinRef } = value as Record<string, unknown>;
    const partial =
      typeof topic === "string" && isNullableString(ref)
        ? { topic, ref, joinRef: isNullableString(joinRef) ? joinRef : null }
        : null;
    if (typeof topic !== "string")
      throw new FrameError("malformed_message", "topic must be a string");
    if (typeof event !== "string") {
      throw new FrameError("malformed_message", "event must be a string", partial);
    }
    if (!isNullableString(ref) || !(joinRef === undefined || isNullableString(joinRef))) {
      throw new FrameError(
        "malformed_message",
        "ref and join_ref must be strings or null",
        partial,
      );
    }
    return {
      topic,
      event,
      payload: payload ?? {},
      ref,
      joinRef: joinRef ?? null,
    } satisfies InboundMessage;
  },

  encode(message: Outbound) {
    switch (message.kind) {
      case "push":
        assertText(message.payload);
        return JSON.stringify({
          topic: message.topic,
          event: message.event,
          payload: message.payload,
          ref: message.ref,
          join_ref: message.joinRef,
        });
      case "reply":
        assertText(message.response);
        return JSON.stringify({
          topic: message.topic,
          event: PHX.reply,
          payload: { status: message.status, response: message.response },
          ref: message.ref,
          join_ref: message.joinRef,
        });
      case "broadcast":
        assertText(message.payload);
        return JSON.stringify({
          topic: message.topic,
          event: message.event,
          payload: message.payload,
          ref: null,
          join_ref: null,
        });
    }
  },

  peek,
};

/** V1 objects carry topic/event first and ref/join_ref last (as clients build them). */
function peek(frame: string | Uint8Array) {
  if (typeof frame !== "string") return null;
  const text = headAndTail(frame);
  const topic = parseJsonString(TOPIC.exec(text)?.[1]);
  if (topic === null) return null;
  return {
    topic,
    ref: parseJsonString(REF.exec(text)?.[1]),
    joinRef: parseJsonString(JOIN_REF.exec(text)?.[1]),
  };
}

function assertText(payload: unknown): void {
  if (isBinary(payload))
    throw new FrameError("malformed_message", "V1 cannot carry binary payloads");
}
