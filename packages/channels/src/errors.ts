/**
 * Protocol errors. Replies keep Phoenix's `{reason}` so any Phoenix client understands them, and
 * also carry `{code, message}` so every error a client sees has the same shape.
 */

export type ProtocolErrorCode =
  | "unmatched_topic"
  | "too_many_channels"
  | "join_crashed"
  | "frame_too_large"
  | "malformed_message"
  | "unhandled_event"
  | "overloaded"
  | "topic_too_long";

const REASONS: Record<ProtocolErrorCode, string> = {
  unmatched_topic: "unmatched topic",
  too_many_channels: "too many channels",
  join_crashed: "join crashed",
  frame_too_large: "frame too large",
  malformed_message: "malformed message",
  unhandled_event: "unhandled event",
  overloaded: "overloaded",
  topic_too_long: "topic too long",
};

export interface ProtocolErrorBody {
  reason: string;
  code: ProtocolErrorCode;
  message: string;
  details?: unknown;
}

export function protocolError(
  code: ProtocolErrorCode,
  message: string,
  details?: unknown,
): ProtocolErrorBody {
  const body: ProtocolErrorBody = { reason: REASONS[code], code, message };
  if (details !== undefined) body.details = details;
  return body;
}

/**
 * A frame that could not be decoded. `partial` holds what could be read of it (enough, when
 * present, to answer the client's push with an error reply instead of dropping it silently).
 */
export class FrameError extends Error {
  constructor(
    readonly code: "malformed_message" | "frame_too_large",
    message: string,
    readonly partial: { joinRef: string | null; ref: string | null; topic: string } | null = null,
  ) {
    super(message);
    this.name = "FrameError";
  }
}
