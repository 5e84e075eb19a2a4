/**
 * One signed-in session with the hub: the socket client (`@landale/client`), the REST API with
 * the same token, and the connection status as a signal. It is created inside the app's owner
 * and closed with it (sign-out disposes of the owner), so no socket or listener outlives it.
 */
import { type ClientStatus, createClient, type LandaleClient, PushError } from "@landale/client";
import { type CommandName, CommandReply, ErrorBody, type Topic } from "@landale/shared";
import { type Accessor, createContext, createSignal, onCleanup, useContext } from "solid-js";
import type { z } from "zod";
import { type Api, createApi } from "./api";

export interface Session {
  client: LandaleClient;
  api: Api;
  status: Accessor<ClientStatus>;
  /** Whether the hub asked for a token (so signing out makes sense). */
  tokenRequired: boolean;
  signOut(): void;
}

export interface SessionOptions {
  socketUrl: string;
  token: string | null;
  tokenRequired: boolean;
  /** The hub refused the token on a REST call: back to sign-in. */
  onUnauthorized: () => void;
  signOut: () => void;
}

/** Must run inside an owner: the client is closed when it is cleaned up. */
export function createSession(options: SessionOptions): Session {
  const client = createClient({
    url: options.socketUrl,
    params: options.token === null ? {} : { token: options.token },
  });
  const [status, setStatus] = createSignal<ClientStatus>(client.status());
  const stopStatus = client.onStatus(setStatus);
  onCleanup(() => {
    stopStatus();
    client.close();
  });
  const api = createApi({ token: options.token, onUnauthorized: options.onUnauthorized });
  return {
    client,
    api,
    status,
    tokenRequired: options.tokenRequired,
    signOut: options.signOut,
  };
}

export const SessionContext = createContext<Session>();

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error("useSession() outside a signed-in app");
  return session;
}

export type CommandOutcome = { ok: true; version: number } | { ok: false; error: ErrorBody };

/**
 * Sends a stream command over the socket and reads the one reply shape: `{version}` or
 * `{code, message, details}`. A push that never got an answer is an error too, in words.
 */
export async function sendCommand<T extends Topic>(
  client: LandaleClient,
  topic: T,
  event: CommandName<T>,
  payload: object = {},
): Promise<CommandOutcome> {
  const outcome = await askHub(client, topic, event, payload, CommandReply);
  return outcome.ok ? { ok: true, version: outcome.value.version } : outcome;
}

export type AskOutcome<V> = { ok: true; value: V } | { ok: false; error: ErrorBody };

/**
 * Sends a command whose reply is a value (`twitch:status` answers a `TwitchStatus`) and parses
 * the reply with `schema`; a refusal is the hub's `{code, message, details}`, a push that never
 * got an answer an error in words.
 */
export async function askHub<T extends Topic, S extends z.ZodType>(
  client: LandaleClient,
  topic: T,
  event: CommandName<T>,
  payload: object,
  schema: S,
): Promise<AskOutcome<z.infer<S>>> {
  try {
    const reply = await client.push(topic, event, payload);
    if (reply.status === "ok") {
      const parsed = schema.safeParse(reply.response);
      return parsed.success
        ? { ok: true, value: parsed.data }
        : {
            ok: false,
            error: { code: "invalid_reply", message: "the hub's answer made no sense" },
          };
    }
    const error = ErrorBody.safeParse(reply.response);
    return {
      ok: false,
      error: error.success ? error.data : { code: "refused", message: `${event} was refused` },
    };
  } catch (err) {
    if (err instanceof PushError) {
      const message =
        err.reason === "timeout"
          ? `${event}: no answer from the hub in time — it may still happen once the hub catches up`
          : err.message;
      return { ok: false, error: { code: err.reason, message } };
    }
    throw err;
  }
}
