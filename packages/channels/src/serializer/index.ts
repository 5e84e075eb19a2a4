/**
 * A serializer turns wire frames into `InboundMessage`s and `Outbound` frames into wire frames.
 * The client picks one with the `vsn` socket param: none or "1.0.0" → V1, "2.0.0" → V2.
 */
import type { InboundMessage, Outbound } from "../message";
import { v1 } from "./v1";
import { v2 } from "./v2";

export interface Serializer {
  /** Short name, also the prefix of this serializer's native pub/sub topics. */
  readonly name: "v1" | "v2";
  readonly vsn: string;
  /** Throws `FrameError` for a frame that is not a valid message. */
  decode(frame: string | Uint8Array): InboundMessage;
  /** Throws `FrameError` for a message this serializer cannot express (binary on V1). */
  encode(message: Outbound): string | Uint8Array;
  /** Reads a frame's join_ref/ref/topic without decoding its payload (for refused frames). */
  peek(
    frame: string | Uint8Array,
  ): { joinRef: string | null; ref: string | null; topic: string } | null;
}

export const DEFAULT_VSN = "1.0.0";
export const SERIALIZERS: readonly Serializer[] = [v1, v2];

/** The serializer for a `vsn` socket param, or null when that version is not supported. */
export function negotiate(vsn: string | null): Serializer | null {
  const wanted = vsn ?? DEFAULT_VSN;
  return SERIALIZERS.find((s) => s.vsn === wanted) ?? null;
}

export { v1, v2 };
