/**
 * The worker's link to the hub, through `@landale/client` (one socket, reconnect forever): it
 * subscribes to `transcription:live`, `events:chat` and `events:interactions` (the client rejoins
 * those with `since_seq`, so chat missed while the link was down still arrives), reads back the
 * last minutes of speech after every (re)connect (`get_recent`, kept once by id) and the last
 * minutes of chat and interactions once the event topics are first joined (`./read-back`: what
 * happened before this worker started), each tried again until read while what it brings is still
 * inside the analysis window (`./retry`: a hub whose database is away answers them with errors),
 * fetches the channel's emotes when the worker's token may read them, and sends contexts on
 * `contexts:live`.
 */
import {
  ActivityReadError,
  type ClientStatus,
  createClient,
  PushError,
  type Reply,
} from "@landale/client";
import type { Logger } from "@landale/logger";
import {
  CONTEXTS_LIVE,
  EVENTS,
  INTERACTION_TYPES,
  PING,
  PUSH,
  RecentTranscriptions,
  type StreamContext,
  TRANSCRIPTION_LIVE,
  TwitchEmotes,
} from "@landale/shared";
import { CHAT_MESSAGE_TYPE, type Inputs } from "../inputs/inputs";
import { readBackEvents } from "./read-back";
import { retrying } from "./retry";

/** How often the channel's emote list is read again. */
const EMOTES_REFRESH_MS = 30 * 60 * 1000;
const EMOTES_TIMEOUT_MS = 10_000;
/** The start's read-back of chat and interactions, all its pages, at most. */
const READ_BACK_TIMEOUT_MS = 30_000;

export interface LinkOptions {
  /** The hub's HTTP origin, e.g. `http://127.0.0.1:7175`. */
  hubUrl: string;
  token: string | null;
  inputs: Inputs;
  /** Speech read back after a (re)connect, and chat and interactions at start, in minutes. */
  recentMinutes: number;
  logger: Logger;
}

export type LinkHealth = { connected: boolean } & Record<string, unknown>;

export interface HubLink {
  submit(context: StreamContext): Promise<Reply>;
  /** The channel's emote ids and names, or null while the hub does not tell this worker. */
  nativeEmotes(): ReadonlySet<string> | null;
  health(): LinkHealth;
  close(): void;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function openHubLink(options: LinkOptions): HubLink {
  const { inputs, logger } = options;
  const client = createClient({
    url: `${options.hubUrl.replace(/^http/, "ws")}/socket`,
    apiUrl: options.hubUrl,
    params: options.token === null ? {} : { token: options.token },
    logger: { warn: (message, context) => logger.warn({ context }, message) },
  });
  const stops = [
    client.subscribe(TRANSCRIPTION_LIVE, PUSH.newTranscription, (transcription) => {
      inputs.takeTranscription(transcription);
    }),
    client.subscribe(EVENTS.topic("chat"), PUSH.eventBatch, (batch) => {
      for (const envelope of batch.events) inputs.takeChat(envelope);
    }),
    client.subscribe(EVENTS.topic("interactions"), PUSH.eventBatch, (batch) => {
      for (const envelope of batch.events) inputs.takeInteraction(envelope);
    }),
  ];

  // A ping answered on a topic proves its first join is done: until then, pushes on it were missed.
  const joined = { transcriptions: false, chat: false, interactions: false };
  const topics = {
    transcriptions: TRANSCRIPTION_LIVE,
    chat: EVENTS.topic("chat"),
    interactions: EVENTS.topic("interactions"),
  } as const;
  const windowMs = options.recentMinutes * 60_000;
  let readingBack: AbortController | null = null;
  let readBackStatus: string | null = null;
  // Chat and interactions from before the start, tried until they are read, the link closes, the
  // hub refuses them (a 4xx), or the analysis window has moved past them; what two tries both
  // bring is kept once by id.
  const readBack = async () => {
    const controller = new AbortController();
    readingBack = controller;
    const since = new Date(Date.now() - windowMs);
    const read = (types: readonly string[], max: number) =>
      readBackEvents({
        api: { url: options.hubUrl, token: options.token },
        types,
        since,
        max,
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(READ_BACK_TIMEOUT_MS)]),
      });
    const { chat, interactions } = inputs.stats();
    try {
      const [lines, done] = await retrying(
        () =>
          Promise.all([
            read([CHAT_MESSAGE_TYPE], chat.capacity),
            read(INTERACTION_TYPES, interactions.capacity),
          ]),
        {
          signal: controller.signal,
          withinMs: windowMs,
          isFinal: (err) => err instanceof ActivityReadError && err.final,
          onRetry: (err, tries, waitMs) => {
            readBackStatus = `${messageOf(err)}; trying again (${tries} tried)`;
            logger.warn(
              { err, tries, retry_in_ms: waitMs },
              "chat and interactions from before the start not read yet",
            );
          },
        },
      );
      for (const envelope of lines) inputs.takeChat(envelope);
      for (const envelope of done) inputs.takeInteraction(envelope);
      readBackStatus = `${lines.length} chat messages, ${done.length} interactions`;
    } catch (err) {
      if (controller.signal.aborted) return;
      readBackStatus = `not read: ${messageOf(err)}`;
      logger.warn({ err }, "chat and interactions from before the start not read");
    }
  };

  for (const name of Object.keys(topics) as Array<keyof typeof topics>) {
    client.push(topics[name], PING).then(
      () => {
        joined[name] = true;
        // Joined, both event topics carry everything from here: read back what came before.
        if (joined.chat && joined.interactions && readingBack === null) void readBack();
      },
      () => {},
    );
  }

  let native: ReadonlySet<string> | null = null;
  let nativeCount = 0;
  let emotesStatus: number | string | null = null;
  let reading: AbortController | null = null;
  const readEmotes = async () => {
    reading?.abort();
    const controller = new AbortController();
    reading = controller;
    const timer = setTimeout(() => controller.abort(), EMOTES_TIMEOUT_MS);
    try {
      const headers: Record<string, string> =
        options.token === null ? {} : { authorization: `Bearer ${options.token}` };
      const response = await fetch(`${options.hubUrl}/api/twitch/emotes`, {
        headers,
        signal: controller.signal,
      });
      emotesStatus = response.status;
      // The worker scope may not read it (403), or Twitch is not linked: native stays empty.
      if (!response.ok) {
        await response.body?.cancel();
        return;
      }
      const { emotes } = TwitchEmotes.parse(await response.json());
      native = new Set(emotes.flatMap((emote) => [emote.id, emote.name]));
      nativeCount = emotes.length;
    } catch (err) {
      if (!controller.signal.aborted || reading !== controller) {
        emotesStatus = err instanceof Error ? err.message : String(err);
      }
    } finally {
      clearTimeout(timer);
      if (reading === controller) reading = null;
    }
  };
  const emotesTimer = setInterval(() => void readEmotes(), EMOTES_REFRESH_MS);

  // The last minutes of speech, after every (re)connect: tried until read, the next (re)connect
  // (which starts its own), the link's close, or the analysis window has moved past them.
  let catchingUp: AbortController | null = null;
  const catchUp = async () => {
    catchingUp?.abort();
    const controller = new AbortController();
    catchingUp = controller;
    const readRecent = async () => {
      const reply = await client.push(TRANSCRIPTION_LIVE, "get_recent", {
        minutes: options.recentMinutes,
      });
      const recent = RecentTranscriptions.safeParse(reply.response);
      if (reply.status !== "ok" || !recent.success) {
        throw new Error(`get_recent answered ${reply.status}: ${JSON.stringify(reply.response)}`);
      }
      return recent.data.transcriptions;
    };
    try {
      const transcriptions = await retrying(readRecent, {
        signal: controller.signal,
        withinMs: windowMs,
        // Closing the link fails a read still unanswered: that is the stop, not a fault.
        isFinal: (err) => err instanceof PushError && err.reason === "closed",
        onRetry: (err, tries, waitMs) => {
          logger.warn({ err, tries, retry_in_ms: waitMs }, "recent transcriptions not read yet");
        },
      });
      for (const transcription of transcriptions) inputs.takeTranscription(transcription);
    } catch (err) {
      if (controller.signal.aborted) return;
      if (err instanceof PushError && err.reason === "closed") return;
      logger.warn({ err }, "recent transcriptions not read");
    }
  };
  let state: ClientStatus["state"] = client.status().state;
  const stopStatus = client.onStatus((status) => {
    const opened = status.state === "open" && state !== "open";
    state = status.state;
    if (!opened) return;
    logger.info("linked to the hub");
    void catchUp();
    void readEmotes();
  });

  return {
    submit: (context) => client.push(CONTEXTS_LIVE, "submit_context", context),
    nativeEmotes: () => native,
    health() {
      const status = client.status();
      return {
        connected: status.state === "open",
        state: status.state,
        joined: { ...joined },
        attempts: status.attempts,
        last_error: status.lastError,
        queue_depth: status.queueDepth,
        dropped: status.dropped,
        invalid: status.invalid,
        gaps: status.gaps,
        paged: status.paged,
        unfilled: status.unfilled,
        native_emotes: native === null ? null : nativeCount,
        read_back: readBackStatus,
        emotes_status: emotesStatus,
      };
    },
    close() {
      clearInterval(emotesTimer);
      reading?.abort();
      readingBack?.abort();
      catchingUp?.abort();
      stopStatus();
      for (const stop of stops) stop();
      client.close();
    },
  };
}
