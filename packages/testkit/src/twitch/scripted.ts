/**
 * Answers a test puts in front of the fake Twitch's protocol (`answerNext`): what Twitch's edge
 * sends that its documented protocol does not describe — a 5xx, a body of the wrong shape. Each is
 * used once, for the next request to its path, in the order given.
 */

/** Answers waiting in all; more is a test's mistake, refused loudly. */
const SCRIPTED_KEPT = 100;

export interface ScriptedAnswer {
  /** Default 200. */
  status?: number;
  /** A string is sent as it is; anything else as JSON. Omitted: no body. */
  body?: unknown;
  headers?: Record<string, string>;
}

function toResponse(answer: ScriptedAnswer): Response {
  const status = answer.status ?? 200;
  const headers = new Headers(answer.headers);
  if (answer.body === undefined) return new Response(null, { status, headers });
  if (typeof answer.body === "string") return new Response(answer.body, { status, headers });
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return new Response(JSON.stringify(answer.body), { status, headers });
}

export function createScriptedAnswers() {
  const waiting = new Map<string, ScriptedAnswer[]>();
  let count = 0;
  return {
    add(path: string, answer: ScriptedAnswer): void {
      if (count >= SCRIPTED_KEPT) {
        throw new Error(`more than ${SCRIPTED_KEPT} scripted answers are waiting`);
      }
      const queue = waiting.get(path) ?? [];
      queue.push({ ...answer });
      waiting.set(path, queue);
      count += 1;
    },
    /** The answer waiting for `path` (a URL's pathname), used up; null when there is none. */
    take(path: string): Response | null {
      const queue = waiting.get(path);
      const next = queue?.shift();
      if (!next) return null;
      if (queue?.length === 0) waiting.delete(path);
      count -= 1;
      return toResponse(next);
    },
  };
}
