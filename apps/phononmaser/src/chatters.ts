/**
 * Who chatted lately, for the engines' participants prompt: the hub's stored
 * `channel.chat.message` events of the last 30 minutes (`GET /api/activity/events`), one display
 * name per message, the latest first, read with the worker token (`readActivityPage`).
 */
import { readActivityPage } from "@landale/client";
import { z } from "zod";

const WINDOW_MS = 30 * 60 * 1000;
const LIMIT = 200;
const TIMEOUT_MS = 5_000;

const ChatMessage = z.looseObject({ chatter_user_name: z.string().min(1) });

export async function fetchRecentChatters(options: {
  /** The hub's HTTP origin. */
  url: string;
  token: string | null;
  /** Aborts the read (the link stopping). */
  signal: AbortSignal;
  now: number;
}): Promise<string[]> {
  const query = {
    type: "channel.chat.message",
    limit: String(LIMIT),
    since: new Date(options.now - WINDOW_MS).toISOString(),
  };
  const page = await readActivityPage(
    { url: options.url, token: options.token },
    query,
    AbortSignal.any([options.signal, AbortSignal.timeout(TIMEOUT_MS)]),
  );
  return page.events.flatMap((event) => {
    const message = ChatMessage.safeParse(event.data);
    return message.success ? [message.data.chatter_user_name] : [];
  });
}
