/**
 * The checks obs-websocket makes on every incoming message before acting on it, with its close
 * codes and reasons word for word (src/websocketserver/WebSocketServer*.cpp): decoding, the base
 * object `{op, d}`, Identify, Request and RequestBatch. Each answers either the parsed message or
 * the close to perform.
 */
import { decode } from "@msgpack/msgpack";
import { z } from "zod";
import { OBS_BATCH_EXECUTION, OBS_CLOSE, OBS_SUBPROTOCOL, type ObsEncoding } from "./protocol";
import { toObject } from "./request-fields";

export interface CloseAction {
  close: number;
  reason: string;
}

const closeWith = (close: number, reason: string): CloseAction => ({ close, reason });
export const isClose = (value: unknown): value is CloseAction =>
  typeof value === "object" && value !== null && "close" in value;

/** nlohmann's is_number_unsigned, for a value JSON or MessagePack decoded. */
const Unsigned = z.int().nonnegative();
const isUnsigned = (value: unknown) => Unsigned.safeParse(value).success;

export function decodeFrame(
  encoding: ObsEncoding,
  frame: string | Uint8Array,
): Record<string, unknown> | CloseAction {
  let message: unknown;
  if (encoding === OBS_SUBPROTOCOL.json) {
    if (typeof frame !== "string") {
      return closeWith(
        OBS_CLOSE.MessageDecodeError,
        "Your session encoding is set to Json, but a binary message was received.",
      );
    }
    try {
      message = JSON.parse(frame);
    } catch (error) {
      return closeWith(OBS_CLOSE.MessageDecodeError, `Unable to decode Json: ${String(error)}`);
    }
  } else {
    if (typeof frame === "string") {
      return closeWith(
        OBS_CLOSE.MessageDecodeError,
        "Your session encoding is set to MsgPack, but a text message was received.",
      );
    }
    try {
      message = decode(frame);
    } catch (error) {
      return closeWith(OBS_CLOSE.MessageDecodeError, `Unable to decode MsgPack: ${String(error)}`);
    }
  }
  return (
    toObject(message) ?? closeWith(OBS_CLOSE.MessageDecodeError, "You sent a non-object payload.")
  );
}

export interface Envelope {
  op: number;
  d: Record<string, unknown>;
}

/** The base object: a 4.x client is refused, then `op` and `d` are checked. */
export function readEnvelope(
  message: Record<string, unknown>,
  identified: boolean,
): Envelope | CloseAction {
  if (!identified && "request-type" in message) {
    return closeWith(
      OBS_CLOSE.UnsupportedRpcVersion,
      "You appear to be attempting to connect with the pre-5.0.0 plugin protocol. Check to make sure your client is updated.",
    );
  }
  if (!("op" in message))
    return closeWith(OBS_CLOSE.UnknownOpCode, "Your request is missing an `op`.");
  if (typeof message.op !== "number") {
    return closeWith(OBS_CLOSE.UnknownOpCode, "Your `op` is not a number.");
  }
  const d = toObject(message.d);
  if (d === null) {
    return message.d === undefined || message.d === null
      ? closeWith(OBS_CLOSE.MissingDataField, "Your payload is missing data (`d`).")
      : closeWith(OBS_CLOSE.InvalidDataFieldType, "Your payload's data (`d`) is not an object.");
  }
  return { op: message.op, d };
}

/** `eventSubscriptions` of an Identify or Reidentify; `fallback` when absent. */
export function readSubscriptions(
  d: Record<string, unknown>,
  fallback: number,
): number | CloseAction {
  if (!("eventSubscriptions" in d)) return fallback;
  if (!isUnsigned(d.eventSubscriptions)) {
    return closeWith(
      OBS_CLOSE.InvalidDataFieldType,
      "Your `eventSubscriptions` is not an unsigned number.",
    );
  }
  return d.eventSubscriptions as number;
}

/** Identify after the authentication check: the rpc version OBS can speak, then the subscriptions. */
export function readIdentify(
  d: Record<string, unknown>,
  rpcVersion: number,
  defaultSubscriptions: number,
): { eventSubscriptions: number } | CloseAction {
  if (!("rpcVersion" in d)) {
    return closeWith(OBS_CLOSE.MissingDataField, "Your payload's data is missing an `rpcVersion`.");
  }
  if (!isUnsigned(d.rpcVersion)) {
    return closeWith(
      OBS_CLOSE.InvalidDataFieldType,
      "Your `rpcVersion` is not an unsigned number.",
    );
  }
  if (d.rpcVersion !== rpcVersion) {
    return closeWith(
      OBS_CLOSE.UnsupportedRpcVersion,
      "Your requested RPC version is not supported by this server.",
    );
  }
  const eventSubscriptions = readSubscriptions(d, defaultSubscriptions);
  return isClose(eventSubscriptions) ? eventSubscriptions : { eventSubscriptions };
}

export interface RequestMessage {
  requestType: string;
  requestId: unknown;
  requestData: unknown;
}

export function readRequest(d: Record<string, unknown>): RequestMessage | CloseAction {
  if (!("requestId" in d)) {
    return closeWith(OBS_CLOSE.MissingDataField, "Your payload data is missing a `requestId`.");
  }
  if (!("requestType" in d)) {
    return closeWith(
      OBS_CLOSE.MissingDataField,
      "Your payload's data is missing an `requestType`.",
    );
  }
  if (typeof d.requestType !== "string") {
    return closeWith(OBS_CLOSE.InvalidDataFieldType, "Your `requestType` is not a string.");
  }
  return { requestType: d.requestType, requestId: d.requestId, requestData: d.requestData };
}

export interface BatchMessage {
  requestId: unknown;
  haltOnFailure: boolean;
  executionType: number;
  /** Each request's `requestType` forced to a string (`""` when it was not one), as OBS does. */
  requests: RequestMessage[];
}

export function readBatch(d: Record<string, unknown>): BatchMessage | CloseAction {
  if (!("requestId" in d)) {
    return closeWith(OBS_CLOSE.MissingDataField, "Your payload data is missing a `requestId`.");
  }
  let executionType: number = OBS_BATCH_EXECUTION.SerialRealtime;
  if (d.executionType !== undefined && d.executionType !== null) {
    if (!isUnsigned(d.executionType)) {
      return closeWith(OBS_CLOSE.InvalidDataFieldType, "Your `executionType` is not a number.");
    }
    executionType = d.executionType as number;
    if (executionType > OBS_BATCH_EXECUTION.Parallel) {
      return closeWith(
        OBS_CLOSE.InvalidDataFieldValue,
        "Your `executionType` has an invalid value.",
      );
    }
  }
  let haltOnFailure = false;
  if (d.haltOnFailure !== undefined && d.haltOnFailure !== null) {
    if (typeof d.haltOnFailure !== "boolean") {
      return closeWith(OBS_CLOSE.InvalidDataFieldType, "Your `haltOnFailure` is not a boolean.");
    }
    haltOnFailure = d.haltOnFailure;
  }
  if (!("requests" in d)) {
    return closeWith(OBS_CLOSE.MissingDataField, "Your payload data is missing a `requests`.");
  }
  if (!Array.isArray(d.requests)) {
    return closeWith(OBS_CLOSE.InvalidDataFieldType, "Your `requests` is not an array.");
  }
  const requests = d.requests.map((entry): RequestMessage => {
    const request = toObject(entry) ?? {};
    return {
      requestType: typeof request.requestType === "string" ? request.requestType : "",
      requestId: request.requestId,
      requestData: request.requestData,
    };
  });
  return { requestId: d.requestId, haltOnFailure, executionType, requests };
}
