/**
 * The "Participants include: …" prompt: the names of the most frequent recent chatters, so the
 * model spells them as chat does. The names come from the hub (`recentChatters()`), are refreshed
 * at most every `refreshMs`, and a slow or failing hub never holds a transcription back for more
 * than `waitMs`: the last names known are used instead.
 */
import type { Logger } from "@landale/logger";

export interface ChatterSource {
  /** Authors of recent chat messages: one entry per message, or unique with the most active first. */
  recentChatters(): Promise<string[]>;
}

const PREFIX = "Participants include: ";
/** Whisper reads at most half its text context (224 tokens) of prompt; the older worker used 200. */
const DEFAULT_MAX_CHARS = 200;
const DEFAULT_REFRESH_MS = 30_000;
const DEFAULT_WAIT_MS = 1_000;
const MAX_NAME_CHARS = 50;

/** The prompt for these names, the most frequent first, cut to `maxChars`; null with no names. */
export function participantsPrompt(
  names: readonly string[],
  maxChars = DEFAULT_MAX_CHARS,
): string | null {
  const counts = new Map<string, { name: string; count: number; first: number }>();
  names.forEach((raw, index) => {
    const name = raw.replace(/[\p{C}]/gu, "").trim();
    if (name === "" || name.length > MAX_NAME_CHARS) return;
    const key = name.toLowerCase();
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { name, count: 1, first: index });
  });
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first);
  const included: string[] = [];
  let length = PREFIX.length + 1; // the closing period
  for (const { name } of ranked) {
    const added = (included.length > 0 ? 2 : 0) + name.length;
    if (length + added > maxChars) break;
    included.push(name);
    length += added;
  }
  return included.length > 0 ? `${PREFIX}${included.join(", ")}.` : null;
}

export interface ParticipantsPrompt {
  /** The current prompt, refreshed first when stale (waiting at most `waitMs`). */
  current(): Promise<string | null>;
}

export function createParticipantsPrompt(options: {
  hub: ChatterSource | undefined;
  logger: Logger;
  refreshMs?: number;
  waitMs?: number;
  maxChars?: number;
  now?: () => number;
}): ParticipantsPrompt {
  const { hub, logger } = options;
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const now = options.now ?? Date.now;
  let prompt: string | null = null;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  const refresh = (source: ChatterSource) => {
    inFlight ??= (async () => {
      try {
        prompt = participantsPrompt(await source.recentChatters(), options.maxChars);
      } catch (error) {
        logger.debug({ err: error }, "recent chatters unavailable; keeping the last prompt");
      } finally {
        // A failure waits a full period too, so a hub that is down is not asked every segment.
        fetchedAt = now();
        inFlight = null;
      }
    })();
    return inFlight;
  };

  return {
    async current() {
      if (!hub) return null;
      if (now() - fetchedAt < refreshMs) return prompt;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      try {
        await Promise.race([refresh(hub), waited]);
      } finally {
        clearTimeout(timer);
      }
      return prompt;
    },
  };
}
