/**
 * A guard for a postgres.js / Bun interaction that can end the process. When postgres.js closes
 * a connection it calls `socket.removeAllListeners()`; a connect to a Postgres that is down, still
 * in flight at that moment (a reconnect racing `end()`), later fails with `ECONNREFUSED`, and an
 * `error` event with no listener is an uncaught exception — the hub dies because the database was
 * away, the one fault it must ride out. Once postgres.js is opened, a socket whose listeners were
 * all removed keeps one that ignores errors: its owner has let it go and will never hear them.
 * A socket also gets that listener as it starts to connect, beside its owner's, so a connect that
 * fails after its owner's listener went some other way is not an uncaught exception either; an
 * owner that listens still hears every error. (The unheard `ECONNREFUSED` the outage tests saw
 * now and then was not a socket's: it was postgres.js's array-type query, `docs/FAULTS.md`.)
 */
import net from "node:net";

const GUARDED = Symbol.for("landale.db.socketGuard");
const ignore = () => {};

export function guardAbandonedSockets(): void {
  const proto = net.Socket.prototype as net.Socket & { [GUARDED]?: true };
  if (proto[GUARDED]) return;
  const removeAll = proto.removeAllListeners;
  proto.removeAllListeners = function (this: net.Socket, event?: string | symbol) {
    const result = removeAll.call(this, event);
    if (event === undefined || event === "error") this.on("error", ignore);
    return result;
  } as typeof proto.removeAllListeners;
  const connect = proto.connect;
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    if (!this.listeners("error").includes(ignore)) this.on("error", ignore);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof proto.connect;
  proto[GUARDED] = true;
}
