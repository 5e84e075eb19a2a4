/**
 * The serializer contract, as Phoenix.Socket.Serializer states it: decode a client's frame into an
 * `InboundMessage`, encode an `Outbound` frame for the wire, and peek at a refused frame's envelope.
 * Each wire version (`v1.ts`, `v2.ts`) implements it; `index.ts` picks one by `vsn`.
 */
import type { InboundMessage, Outbound } from "../message";

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
