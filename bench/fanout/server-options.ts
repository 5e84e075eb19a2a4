/** The WebSocket transport settings both servers share, so the ceiling differs only in protocol. */

/** As `createChannelServer` sets them (its `DEFAULTS.backpressureLimit` is 4 MiB); copied rather
 * than imported so the bare server loads nothing of the package it is compared with. */
export const TRANSPORT = {
  perMessageDeflate: false,
  idleTimeout: 0,
  sendPings: false,
  publishToSelf: false,
  backpressureLimit: 4 * 1024 * 1024,
  closeOnBackpressureLimit: false,
} as const;

export const HOSTNAME = "127.0.0.1";
/** A server lives at most this long unless the driver passes a longer limit. */
export const DEFAULT_LIFETIME_MS = 15 * 60_000;
