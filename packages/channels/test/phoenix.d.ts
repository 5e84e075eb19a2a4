/** The parts of the official `phoenix` client (1.8) the tests use; the package ships no types. */
declare module "phoenix" {
  /** A decoded message, as the client's serializers hand it around. */
  export type Message = {
    join_ref: string | null;
    ref: string | null;
    topic: string;
    event: string;
    payload: unknown;
  };

  /** The client's default (V2) serializer. */
  export const Serializer: {
    encode(
      message: Record<string, unknown>,
      callback: (encoded: string | ArrayBuffer) => void,
    ): void;
    decode(raw: string | ArrayBuffer, callback: (message: Message) => void): void;
  };

  export interface SocketOptions {
    vsn?: string;
    params?: Record<string, string> | (() => Record<string, string>);
    authToken?: string | (() => string);
    timeout?: number;
    heartbeatIntervalMs?: number;
    reconnectAfterMs?: (tries: number) => number;
    rejoinAfterMs?: (tries: number) => number;
    encode?: (message: Message, callback: (encoded: string | ArrayBuffer) => void) => void;
    decode?: (raw: string | ArrayBuffer, callback: (message: Message) => void) => void;
    logger?: (kind: string, message: string, data: unknown) => void;
  }

  export class Push {
    receive(status: "ok" | "error" | "timeout", callback: (response: unknown) => void): Push;
  }

  export class Channel {
    readonly topic: string;
    readonly state: "closed" | "errored" | "joined" | "joining" | "leaving";
    join(timeout?: number): Push;
    leave(timeout?: number): Push;
    push(event: string, payload: object | ArrayBuffer, timeout?: number): Push;
    on(event: string, callback: (payload: unknown, ref: string | null) => void): number;
    off(event: string, ref?: number): void;
    onClose(callback: (payload: unknown) => void): void;
    onError(callback: (reason: unknown) => void): number;
    joinRef(): string;
  }

  export class Socket {
    constructor(endPoint: string, options?: SocketOptions);
    readonly conn: WebSocket | null;
    connect(): void;
    disconnect(callback?: () => void, code?: number, reason?: string): void;
    channel(topic: string, params?: object): Channel;
    isConnected(): boolean;
    endPointURL(): string;
    onOpen(callback: () => void): string;
    onClose(callback: (event: CloseEvent) => void): string;
    onError(callback: (error: unknown) => void): string;
    onMessage(callback: (message: Message) => void): string;
  }
}
