/** @landale/channels — a Phoenix Channels server for Bun. */
export type { AdapterStats, PubSubAdapter, RemoteBroadcast } from "./adapter";
export {
  FrameError,
  type ProtocolErrorBody,
  type ProtocolErrorCode,
  protocolError,
} from "./errors";
export type { ChannelContext, ChannelHandler, TerminateReason } from "./handler";
export { type Logger, silentLogger, ThrottledWarn } from "./logger";
export {
  error,
  HEARTBEAT_TOPIC,
  type InboundMessage,
  type Outbound,
  ok,
  type Payload,
  PHX,
  type Reply,
} from "./message";
export {
  createRedisAdapter,
  REDIS_DEFAULTS,
  type RedisAdapter,
  type RedisAdapterOptions,
} from "./redis-adapter";
export type { Backoff } from "./redis-link";
export { createRouter, Router } from "./router";
export { negotiate, SERIALIZERS, type Serializer, v1, v2 } from "./serializer";
export {
  AUTH_TOKEN_PREFIX,
  type ChannelServer,
  type ChannelServerOptions,
  type ChannelServerStats,
  CLOSE_GOING_AWAY,
  CLOSE_TOO_SLOW,
  type ConnectInfo,
  createChannelServer,
  DEFAULTS,
} from "./server";
export type { Socket } from "./socket";
