/**
 * An OpenAI-compatible chat client for the analysis (LM Studio, Ollama, llama.cpp server, OpenAI):
 * `POST <url>/v1/chat/completions` asking for a JSON object (`response_format`, dropped for good
 * once a server refuses it with 400 and answers without it), one attempt at a time no closer than
 * `minIntervalMs`, each cut off after `timeoutMs`, 429/5xx and lost connections retried with
 * backoff (`./retry`), the answer extracted and validated (`./extract`), and a circuit breaker
 * (`./breaker`) that sends the worker to the fallback while the model keeps failing. `stop()`
 * aborts the request in flight and any wait.
 */
import type { Logger } from "@landale/logger";
import type { Analysis } from "@landale/shared";
import { z } from "zod";
import { BREAKER_DEFAULTS, type BreakerStatus, CircuitBreaker } from "./breaker";
import { extractAnalysis } from "./extract";
import type { ChatMessage } from "./prompt";
import {
  isRetryable,
  parseRetryAfter,
  RETRY_DEFAULTS,
  type RetryPolicy,
  retryDelay,
} from "./retry";

export interface LlmSettings {
  /** The server's base URL, without `/v1`. */
  url: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
  minIntervalMs: number;
  retry: RetryPolicy;
  breaker: { threshold: number; cooldownMs: number };
  maxTokens: number;
}

export const LLM_DEFAULTS = {
  timeoutMs: 30_000,
  minIntervalMs: 2_000,
  retry: RETRY_DEFAULTS,
  breaker: BREAKER_DEFAULTS,
  maxTokens: 1200,
} as const;

export type FailureReason = "breaker_open" | "invalid_answer" | "model_failed";

export type ModelAnswer =
  | { ok: true; analysis: Analysis; model: string }
  | { ok: false; reason: FailureReason; message: string };

export interface LlmStats {
  url: string;
  model: string;
  /** Whether requests still ask for `response_format: json_object`. */
  jsonMode: boolean;
  breaker: BreakerStatus;
  requests: number;
  retries: number;
  answered: number;
  invalid: number;
  failed: number;
  timedOut: number;
  lastError: string | null;
}

/** The part of a completion this client reads. */
const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1),
});

/** An answer bigger than this is not an analysis. */
const MAX_RESPONSE_CHARS = 1024 * 1024;

class ModelError extends Error {}

export class LlmClient {
  readonly #settings: LlmSettings;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #breaker: CircuitBreaker;
  readonly #stop = new AbortController();
  #jsonMode = true;
  #lastStart: number | null = null;
  #stats = { requests: 0, retries: 0, answered: 0, invalid: 0, failed: 0, timedOut: 0 };
  #lastError: string | null = null;

  constructor(
    settings: LlmSettings,
    deps: { logger: Logger; now?: () => number; random?: () => number },
  ) {
    this.#settings = settings;
    this.#logger = deps.logger;
    this.#now = deps.now ?? Date.now;
    this.#random = deps.random ?? Math.random;
    this.#breaker = new CircuitBreaker({ ...settings.breaker, now: this.#now });
  }

  /** Asks the model; never throws: a failure says why, for the fallback's `source.detail`. */
  async analyze(messages: ChatMessage[]): Promise<ModelAnswer> {
    if (this.#stop.signal.aborted) return this.#fail("model_failed", "the client is stopped");
    if (!this.#breaker.allow()) {
      return { ok: false, reason: "breaker_open", message: "the model failed too often lately" };
    }
    let content: string;
    try {
      content = await this.#complete(messages);
    } catch (err) {
      if (this.#stop.signal.aborted) return this.#fail("model_failed", "the client is stopped");
      this.#breaker.failure();
      this.#stats.failed++;
      return this.#fail("model_failed", err instanceof Error ? err.message : String(err));
    }
    const extraction = extractAnalysis(content);
    if (!extraction.ok) {
      this.#breaker.failure();
      this.#stats.invalid++;
      const why = extraction.reason === "no_json" ? "no JSON object" : extraction.issues.join("; ");
      return this.#fail("invalid_answer", `the answer is not an analysis: ${why}`);
    }
    this.#breaker.success();
    this.#stats.answered++;
    return { ok: true, analysis: extraction.analysis, model: this.#settings.model };
  }

  stats(): LlmStats {
    return {
      url: this.#settings.url,
      model: this.#settings.model,
      jsonMode: this.#jsonMode,
      breaker: this.#breaker.status(),
      ...this.#stats,
      lastError: this.#lastError,
    };
  }

  stop(): void {
    this.#stop.abort();
  }

  #fail(reason: FailureReason, message: string): ModelAnswer {
    this.#lastError = message;
    return { ok: false, reason, message };
  }

  async #complete(messages: ChatMessage[]): Promise<string> {
    let triedWithoutFormat = false;
    let retries = 0;
    for (;;) {
      const jsonMode = this.#jsonMode && !triedWithoutFormat;
      const outcome = await this.#attempt(messages, jsonMode);
      if ("content" in outcome) {
        // The server answered without `response_format` after refusing it: leave it out from now on.
        if (triedWithoutFormat) this.#jsonMode = false;
        return outcome.content;
      }
      if (outcome.status === 400 && jsonMode) {
        this.#logger.info("the model server refused response_format: asking without it");
        triedWithoutFormat = true;
        continue;
      }
      const retryable = outcome.status === null || isRetryable(outcome.status);
      retries++;
      const wait = retryable
        ? retryDelay(this.#settings.retry, retries, outcome.retryAfterMs, this.#random)
        : null;
      if (wait === null) throw new ModelError(outcome.message);
      this.#stats.retries++;
      this.#logger.warn({ wait_ms: wait, problem: outcome.message }, "retrying the model");
      await delay(wait, this.#stop.signal);
    }
  }

  /** One HTTP attempt: the content, or why not (`status` null for a lost connection). */
  async #attempt(
    messages: ChatMessage[],
    jsonMode: boolean,
  ): Promise<
    { content: string } | { status: number | null; retryAfterMs: number | null; message: string }
  > {
    await this.#pace();
    const { url, model, apiKey, timeoutMs, maxTokens } = this.#settings;
    const body = {
      model,
      messages,
      temperature: 0.3,
      max_tokens: maxTokens,
      stream: false,
      ...(jsonMode ? { response_format: { type: "json_object" } } : {}),
    };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
    // A timer of our own rather than AbortSignal.timeout: it is cleared the moment the answer is in.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    this.#stats.requests++;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.any([this.#stop.signal, timeout.signal]),
      });
      text = await response.text();
    } catch (err) {
      if (this.#stop.signal.aborted) throw err;
      if (timeout.signal.aborted) {
        this.#stats.timedOut++;
        throw new ModelError(`no answer within ${timeoutMs} ms`);
      }
      const message = err instanceof Error ? err.message : String(err);
      return { status: null, retryAfterMs: null, message: `request failed: ${message}` };
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      return {
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), this.#now()),
        message: `HTTP ${response.status}: ${text.slice(0, 200)}`,
      };
    }
    if (text.length > MAX_RESPONSE_CHARS) throw new ModelError("the answer is too large");
    const completion = Completion.safeParse(tryJson(text));
    if (!completion.success) throw new ModelError("the server's answer is not a chat completion");
    return { content: completion.data.choices[0]?.message.content ?? "" };
  }

  /** Waits until `minIntervalMs` after the previous attempt started. */
  async #pace(): Promise<void> {
    const last = this.#lastStart;
    if (last !== null) {
      const wait = last + this.#settings.minIntervalMs - this.#now();
      if (wait > 0) await delay(wait, this.#stop.signal);
    }
    this.#lastStart = this.#now();
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
