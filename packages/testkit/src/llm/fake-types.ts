/** The fake model's options, answers and controls (`startFakeLlm`, `src/llm/fake.ts`). */
import type { Analysis } from "@landale/shared";
import type { FakeChatRequest, ResponseFormatType } from "./request";

/**
 * How the fake answers one valid chat completion request:
 * - `valid`: the analysis as bare JSON; `fenced`: in a ```json code fence; `think`: after a
 *   `<think>…</think>` block; `prose`: with a sentence before and after it;
 * - `invalid`: valid JSON that fails `Analysis`; `not-json`: a sentence and no JSON at all;
 * - `500`: OpenAI's server error; `429`: OpenAI's rate-limit error with `Retry-After`;
 * - `hang`: no answer until the client gives up or the fake stops.
 */
export type FakeLlmMode =
  | "valid"
  | "fenced"
  | "think"
  | "prose"
  | "invalid"
  | "not-json"
  | "500"
  | "429"
  | "hang";

export const FAKE_LLM_MODES: readonly FakeLlmMode[] = [
  "valid",
  "fenced",
  "think",
  "prose",
  "invalid",
  "not-json",
  "500",
  "429",
  "hang",
];

/** One answer: a mode, a mode with its own analysis or `Retry-After`, or content sent as it is. */
export type FakeLlmAnswer =
  | FakeLlmMode
  | { mode: FakeLlmMode; analysis?: Analysis; retryAfterSeconds?: number | null }
  | { content: string; finishReason?: "stop" | "length" };

/**
 * Answers for successive requests (the last one repeats), or a function of each valid request and
 * its index (0 for the first since the fake started or `setMode` was called).
 */
export type FakeLlmModes =
  | readonly FakeLlmAnswer[]
  | ((request: FakeChatRequest, index: number) => FakeLlmAnswer);

export interface FakeLlmOptions {
  /** The answer to every request. Default `valid`. */
  mode?: FakeLlmAnswer;
  /** Answers in turn, or chosen per request; wins over `mode`. */
  modes?: FakeLlmModes;
  /** The analysis the JSON modes carry; default `DEFAULT_FAKE_ANALYSIS`. */
  analysis?: Analysis | ((request: FakeChatRequest) => Analysis);
  /** `Retry-After` of a 429, in seconds; null sends none. Default 1. */
  retryAfterSeconds?: number | null;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** The models `GET /v1/models` lists; when given, a request naming another model is a 404. */
  models?: readonly string[];
  /** The `response_format` types the server takes (LM Studio refuses `json_object`). Default all. */
  responseFormats?: readonly ResponseFormatType[];
}

/** One `POST /v1/chat/completions` the fake received. */
export interface FakeLlmRequest {
  /** Epoch milliseconds when it arrived. */
  at: number;
  /** The JSON body as sent (its text when it is not JSON). */
  body: unknown;
  /** The status answered; null for a request held by `hang`. */
  status: number | null;
  /** The answer's mode (`content` for content sent as it is); null when the request was refused. */
  mode: FakeLlmMode | "content" | null;
}

export interface FakeLlm {
  /** The API base, `http://127.0.0.1:<port>/v1` (LANDALE_LLM_URL). */
  url: string;
  port: number;
  /** The last 1,000 chat completion requests, oldest first; the authorization header is not kept. */
  requests(): FakeLlmRequest[];
  /** Replaces how the fake answers from the next request on; a sequence starts from its first. */
  setMode(modes: FakeLlmAnswer | FakeLlmModes): void;
  /** Requests held by `hang` and not yet given up by their clients. */
  hanging(): number;
  /** Closes every connection (held requests too) and releases the port. */
  stop(): Promise<void>;
}
