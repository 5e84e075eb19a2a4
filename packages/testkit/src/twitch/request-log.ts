/**
 * What the fake Twitch heard: each request's method, path, time, credentials headers and payload,
 * kept (the newest `REQUESTS_KEPT`) so a test can check what a client sent. The values are the
 * fake's own tokens, never real ones; a test that prints the log prints nothing secret.
 */
import { formFields, pushBounded } from "./wire";

/** Requests kept for `requests()`; the oldest beyond this are dropped. */
const REQUESTS_KEPT = 1_000;

export interface FakeRequest {
  method: string;
  /** The path; with the query string for Helix (an id-service query's fields are in `form`). */
  path: string;
  /** The fake's clock when the request arrived, epoch milliseconds. */
  at: number;
  /** The `Authorization` header as sent, or null. */
  authorization: string | null;
  /** The `Client-Id` header as sent, or null. */
  clientId: string | null;
  /** Id service (`/oauth2/…`): the form fields as Twitch reads them, query string and body. */
  form: Record<string, string> | null;
  /** Helix: the JSON body (its text when it is not JSON), or null without one. */
  body: unknown;
}

async function helixBody(request: Request): Promise<unknown> {
  const text = await request.text().catch(() => "");
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createRequestLog(now: () => number) {
  const log: FakeRequest[] = [];
  return {
    /** Records a request without consuming its body (the handler reads the original). */
    async record(request: Request, url: URL): Promise<void> {
      const helix = url.pathname.startsWith("/helix/");
      const oauth = url.pathname.startsWith("/oauth2/");
      const entry: FakeRequest = {
        method: request.method,
        path: `${url.pathname}${helix ? url.search : ""}`,
        at: now(),
        authorization: request.headers.get("authorization"),
        clientId: request.headers.get("client-id"),
        form: oauth ? await formFields(request.clone() as Request) : null,
        body: helix ? await helixBody(request.clone() as Request) : null,
      };
      pushBounded(log, entry, REQUESTS_KEPT);
    },
    entries: (): FakeRequest[] =>
      log.map((entry) => ({ ...entry, form: entry.form && { ...entry.form } })),
  };
}
