/**
 * The obs-websocket 5 vocabulary (rpcVersion 1), named and numbered as obsproject/obs-websocket's
 * docs/generated/protocol.md has them: op codes, close codes, request statuses, event
 * subscription bits, output states, subprotocols, and the challenge/salt authentication.
 */
import { createHash, randomBytes } from "node:crypto";

export const OBS_RPC_VERSION = 1;

export const OBS_SUBPROTOCOL = {
  json: "obswebsocket.json",
  msgpack: "obswebsocket.msgpack",
} as const;
export type ObsEncoding = (typeof OBS_SUBPROTOCOL)[keyof typeof OBS_SUBPROTOCOL];

export const OBS_OP = {
  Hello: 0,
  Identify: 1,
  Identified: 2,
  Reidentify: 3,
  Event: 5,
  Request: 6,
  RequestResponse: 7,
  RequestBatch: 8,
  RequestBatchResponse: 9,
} as const;

export const OBS_CLOSE = {
  /** Not obs-websocket's: the WebSocket code its server closes every session with on exit. */
  GoingAway: 1001,
  UnknownReason: 4000,
  MessageDecodeError: 4002,
  MissingDataField: 4003,
  InvalidDataFieldType: 4004,
  InvalidDataFieldValue: 4005,
  UnknownOpCode: 4006,
  NotIdentified: 4007,
  AlreadyIdentified: 4008,
  AuthenticationFailed: 4009,
  UnsupportedRpcVersion: 4010,
  SessionInvalidated: 4011,
  UnsupportedFeature: 4012,
} as const;

export const OBS_STATUS = {
  Success: 100,
  MissingRequestType: 203,
  UnknownRequestType: 204,
  GenericError: 205,
  UnsupportedRequestBatchExecutionType: 206,
  NotReady: 207,
  MissingRequestField: 300,
  MissingRequestData: 301,
  InvalidRequestField: 400,
  InvalidRequestFieldType: 401,
  RequestFieldOutOfRange: 402,
  RequestFieldEmpty: 403,
  TooManyRequestFields: 404,
  OutputRunning: 500,
  OutputNotRunning: 501,
  OutputPaused: 502,
  OutputNotPaused: 503,
  OutputDisabled: 504,
  StudioModeActive: 505,
  StudioModeNotActive: 506,
  ResourceNotFound: 600,
  ResourceAlreadyExists: 601,
  InvalidResourceType: 602,
  NotEnoughResources: 603,
  InvalidResourceState: 604,
  InvalidInputKind: 605,
  ResourceNotConfigurable: 606,
  InvalidFilterKind: 607,
  ResourceCreationFailed: 700,
  ResourceActionFailed: 701,
  RequestProcessingFailed: 702,
  CannotAct: 703,
} as const;

export const OBS_EVENT_SUBSCRIPTION = {
  None: 0,
  General: 1 << 0,
  Config: 1 << 1,
  Scenes: 1 << 2,
  Inputs: 1 << 3,
  Transitions: 1 << 4,
  Filters: 1 << 5,
  Outputs: 1 << 6,
  SceneItems: 1 << 7,
  MediaInputs: 1 << 8,
  Vendors: 1 << 9,
  Ui: 1 << 10,
  /** Every category but the high-volume ones, as obs-websocket 5.6 defines it (5.7 adds Canvases). */
  All: (1 << 11) - 1,
  InputVolumeMeters: 1 << 16,
  InputActiveStateChanged: 1 << 17,
  InputShowStateChanged: 1 << 18,
  SceneItemTransformChanged: 1 << 19,
} as const;

export const OBS_BATCH_EXECUTION = {
  None: -1,
  SerialRealtime: 0,
  SerialFrame: 1,
  Parallel: 2,
} as const;

export type ObsOutputState =
  | "OBS_WEBSOCKET_OUTPUT_UNKNOWN"
  | "OBS_WEBSOCKET_OUTPUT_STARTING"
  | "OBS_WEBSOCKET_OUTPUT_STARTED"
  | "OBS_WEBSOCKET_OUTPUT_STOPPING"
  | "OBS_WEBSOCKET_OUTPUT_STOPPED"
  | "OBS_WEBSOCKET_OUTPUT_RECONNECTING"
  | "OBS_WEBSOCKET_OUTPUT_RECONNECTED"
  | "OBS_WEBSOCKET_OUTPUT_PAUSED"
  | "OBS_WEBSOCKET_OUTPUT_RESUMED";

/** `requestStatus` plus `responseData`, before the request's type and id are put around it. */
export interface ObsRequestResult {
  code: number;
  comment?: string;
  responseData?: Record<string, unknown>;
}

/** 32 random bytes in base64, as obs-websocket generates its salt and each session's challenge. */
export function randomSalt(): string {
  return randomBytes(32).toString("base64");
}

function sha256Base64(text: string): string {
  return createHash("sha256").update(text).digest("base64");
}

/** base64(sha256(password + salt)): what the server keeps instead of the password. */
export function authSecret(password: string, salt: string): string {
  return sha256Base64(password + salt);
}

/** base64(sha256(secret + challenge)): the `authentication` string an Identify carries. */
export function authAnswer(secret: string, challenge: string): string {
  return sha256Base64(secret + challenge);
}

/** What a client computes from the password and the Hello's `authentication`. */
export function authResponse(password: string, salt: string, challenge: string): string {
  return authAnswer(authSecret(password, salt), challenge);
}
