/**
 * A fake OpenAI-compatible chat model for the AI worker's tests: `POST /v1/chat/completions` and
 * `GET /v1/models` over real HTTP on 127.0.0.1, checking requests as OpenAI does
 * (`request.ts`) and answering in OpenAI's shapes — a completion whose content is an analysis
 * wrapped as a given mode asks (`answers.ts`), OpenAI's error envelope, or no answer at all.
 */
import type { Analysis } from "@landale/shared";
import type { Server } from "bun";
import { completionBody, contentFor, DEFAULT_FAKE_ANALYSIS } from "./answers";
import type {
  FakeLlm,
  FakeLlmAnswer,
  FakeLlmMode,
  FakeLlmModes,
  FakeLlmOptions,
  FakeLlmRequest,
} from "./fake-types";
import {
  checkChatRequest,
  type FakeChatRequest,
  type OpenAiError,
  RESPONSE_FORMATS,
} from "./request";

const COMPLETIONS = "/v1/chat/completions";
const MODELS = "/v1/models";
/** Requests kept for `requests()`; older ones are dropped. */
const REQUESTS_KEPT = 1_000;
/** Requests `hang` holds at once; past this the fake answers 503, as an overloaded server. */
const HELD_MAX = 1_000;
const DEFAULT_MODEL = "fake-llm";
const DEFAULT_RETRY_AFTER_SECONDS = 1;
const SERVER_ERROR = "The server had an error while processing your request. Sorry about that!";
const BAD_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)";

export function startFakeLlm(options: FakeLlmOptions = {}): FakeLlm {
  const received: FakeLlmRequest[] = [];
  const held = new Set<(response: Response) => void>();
  const accepted = options.responseFormats ?? RESPONSE_FORMATS;
  const models = options.models ?? [DEFAULT_MODEL];
  let plan: FakeLlmAnswer | FakeLlmModes = options.modes ?? options.mode ?? "valid";
  let index = 0;
  let served = 0;
  let stopped = false;

  function record(entry: FakeLlmRequest): void {
    received.push(entry);
    if (received.length > REQUESTS_KEPT) received.splice(0, received.length - REQUESTS_KEPT);
  }

  function nextAnswer(request: FakeChatRequest): FakeLlmAnswer {
    const at = index++;
    if (typeof plan === "function") return plan(request, at);
    if (Array.isArray(plan)) {
      const answers = plan as readonly FakeLlmAnswer[];
      if (answers.length === 0) return "valid";
      return answers[Math.min(at, answers.length - 1)] as FakeLlmAnswer;
    }
    return plan as FakeLlmAnswer;
  }

  function analysisFor(request: FakeChatRequest, own: Analysis | undefined): Analysis {
    if (own) return own;
    const configured = options.analysis;
    return typeof configured === "function"
      ? configured(request)
      : (configured ?? DEFAULT_FAKE_ANALYSIS);
  }

  function authorize(request: Request): Response | null {
    if (options.apiKey === undefined) return null;
    const authorization = request.headers.get("authorization");
    if (!authorization)
      return failure(401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        type: "invalid_request_error",
        param: null,
        code: null,
      });
    // The key itself is never echoed back: a test that prints the answer prints nothing secret.
    if (authorization !== `Bearer ${options.apiKey}`)
      return failure(401, {
        message: "Incorrect API key provided.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      });
    return null;
  }

  function hold(request: Request): Promise<Response> {
    if (held.size >= HELD_MAX)
      return Promise.resolve(
        failure(503, {
          message: "The engine is currently overloaded, please try again later.",
          type: "server_error",
          param: null,
          code: null,
        }),
      );
    return new Promise<Response>((resolve) => {
      const release = (response: Response) => {
        held.delete(release);
        resolve(response);
      };
      held.add(release);
      // A client that gives up (or a connection stop() closes) lets go of its request.
      request.signal.addEventListener("abort", () => release(new Response(null, { status: 499 })));
    });
  }

  async function complete(request: Request): Promise<Response> {
    const at = Date.now();
    const text = await request.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      record({ at, body: text, status: 400, mode: null });
      return failure(400, {
        message: BAD_JSON,
        type: "invalid_request_error",
        param: null,
        code: null,
      });
    }
    const refuse = (status: number, error: OpenAiError) => {
      record({ at, body, status, mode: null });
      return failure(status, error);
    };
    const checked = checkChatRequest(body, accepted);
    if (!checked.ok) return refuse(400, checked.error);
    const chat = checked.request;
    if (options.models && !options.models.includes(chat.model))
      return refuse(404, {
        message: `The model \`${chat.model}\` does not exist or you do not have access to it.`,
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      });

    const answer = nextAnswer(chat);
    if (typeof answer === "object" && "content" in answer) {
      record({ at, body, status: 200, mode: "content" });
      return completion(chat, answer.content, answer.finishReason ?? "stop");
    }
    const { mode, analysis, retryAfterSeconds } =
      typeof answer === "string"
        ? { mode: answer, analysis: undefined, retryAfterSeconds: undefined }
        : answer;
    const entry: FakeLlmRequest = { at, body, status: statusOf(mode), mode };
    record(entry);
    switch (mode) {
      case "hang":
        return hold(request);
      case "500":
        return failure(500, {
          message: SERVER_ERROR,
          type: "server_error",
          param: null,
          code: null,
        });
      case "429": {
        const seconds =
          retryAfterSeconds !== undefined
            ? retryAfterSeconds
            : options.retryAfterSeconds !== undefined
              ? options.retryAfterSeconds
              : DEFAULT_RETRY_AFTER_SECONDS;
        return failure(
          429,
          {
            message: `Rate limit reached for ${chat.model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${seconds ?? 20}s.`,
            type: "requests",
            param: null,
            code: "rate_limit_exceeded",
          },
          seconds === null ? {} : { "retry-after": String(seconds) },
        );
      }
      default:
        return completion(chat, contentFor(mode, analysisFor(chat, analysis)), "stop");
    }
  }

  function completion(chat: FakeChatRequest, content: string, finish: "stop" | "length") {
    served += 1;
    const id = `chatcmpl-fake${String(served).padStart(8, "0")}`;
    return Response.json(completionBody(id, chat, content, finish, Date.now()));
  }

  async function handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const route = `${request.method} ${pathname}`;
    if (route !== `POST ${COMPLETIONS}` && route !== `GET ${MODELS}`)
      return failure(404, {
        message: `Invalid URL (${route})`,
        type: "invalid_request_error",
        param: null,
        code: null,
      });
    const refused = authorize(request);
    if (refused) return refused;
    if (pathname === MODELS)
      return Response.json({
        object: "list",
        data: models.map((id) => ({
          id,
          object: "model",
          created: 1_700_000_000,
          owned_by: "landale",
        })),
      });
    return complete(request);
  }

  const server: Server<undefined> = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handle });
  const port = server.port ?? 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests: () => received.map((entry) => ({ ...entry })),
    setMode(modes) {
      plan = modes;
      index = 0;
    },
    hanging: () => held.size,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop(true);
      // The connections are gone; settle what is still held so no handler is left waiting.
      for (const release of [...held]) release(new Response(null, { status: 499 }));
    },
  };
}

function statusOf(mode: FakeLlmMode): number | null {
  if (mode === "hang") return null;
  if (mode === "500") return 500;
  if (mode === "429") return 429;
  return 200;
}

function failure(
  status: number,
  error: OpenAiError,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error }, { status, headers });
}
