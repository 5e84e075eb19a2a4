/**
 * The model client and the analysis against the fake OpenAI-compatible server in every mode: each
 * ends in a valid `Analysis` — the model's, or the fallback's with the reason — and the client
 * keeps answering after hangs, errors and rate limits; retries honour `Retry-After`, a refused
 * `response_format` is dropped, and the breaker opens and closes again.
 */
import { describe, expect, it, onTestFinished } from "bun:test";
import { createLogger } from "@landale/logger";
import { Analysis } from "@landale/shared";
import {
  DEFAULT_FAKE_ANALYSIS,
  FAKE_LLM_MODES,
  type FakeLlmMode,
  type FakeLlmOptions,
  startFakeLlm,
} from "@landale/testkit";
import { createAnalyzer } from "../src/analysis/analyze";
import { loadConfig } from "../src/config";
import { Inputs } from "../src/inputs/inputs";
import { LlmClient } from "../src/llm/client";
import { epochMsOf, isoOf, shift } from "../src/time";
import { summarize } from "../src/window/window";
import { chatEvent, transcription } from "./support/inputs";
import { eventually } from "./support/worker";

const logger = createLogger({ name: "seed-test", level: "silent" });

function fake(options: FakeLlmOptions) {
  const llm = startFakeLlm(options);
  onTestFinished(() => llm.stop());
  return llm;
}

/** A client as the worker builds it from its settings, with short waits for tests. */
function client(url: string, env: Record<string, string> = {}) {
  const { llm } = loadConfig({
    LANDALE_LLM_URL: url,
    LANDALE_LLM_MODEL: "fake-llm",
    SEED_LLM_TIMEOUT_MS: "500",
    SEED_LLM_MIN_INTERVAL_MS: "0",
    SEED_LLM_RETRIES: "1",
    SEED_LLM_RETRY_BASE_MS: "20",
    SEED_LLM_MAX_RETRY_WAIT_MS: "2000",
    ...env,
  });
  const subject = new LlmClient(llm!, { logger });
  onTestFinished(() => subject.stop());
  return subject;
}

const START = epochMsOf("2025-06-01T12:00:00.000Z")!;
const END = shift(START, 120_000);

function window() {
  const inputs = new Inputs();
  inputs.takeTranscription(transcription(isoOf(shift(START, 5000)), "the boss fight starts now"));
  for (const user of ["ana", "bo", "cy"]) {
    inputs.takeChat(chatEvent(isoOf(shift(START, 8000)), { user, text: "good luck!" }));
  }
  return summarize(inputs.between(START, END), {
    from: START,
    to: END,
    reactionMs: 10_000,
    nativeEmotes: null,
  });
}

const EXPECTED: Record<FakeLlmMode, { kind: "model" | "fallback"; detail: string }> = {
  valid: { kind: "model", detail: "fake-llm" },
  fenced: { kind: "model", detail: "fake-llm" },
  think: { kind: "model", detail: "fake-llm" },
  prose: { kind: "model", detail: "fake-llm" },
  invalid: { kind: "fallback", detail: "invalid_answer" },
  "not-json": { kind: "fallback", detail: "invalid_answer" },
  "500": { kind: "fallback", detail: "model_failed" },
  "429": { kind: "fallback", detail: "model_failed" },
  hang: { kind: "fallback", detail: "model_failed" },
};

describe("the analysis against the fake model", () => {
  for (const mode of FAKE_LLM_MODES) {
    it(`ends in a valid analysis when the model answers ${mode}`, async () => {
      const llm = fake({ mode });
      const analyze = createAnalyzer(client(llm.url), logger);
      const { analysis, source } = await analyze(window());
      expect(source).toEqual(EXPECTED[mode]);
      expect(Analysis.safeParse(analysis).success).toBe(true);
      if (source.kind === "model") expect(analysis).toEqual(DEFAULT_FAKE_ANALYSIS);
    });
  }

  it("keeps answering through every mode in turn, with one client", async () => {
    const llm = fake({ mode: "valid" });
    const subject = client(llm.url, { SEED_LLM_BREAKER_THRESHOLD: "100" });
    const analyze = createAnalyzer(subject, logger);
    for (const mode of [...FAKE_LLM_MODES, "valid" as const]) {
      llm.setMode(mode);
      const { analysis, source } = await analyze(window());
      expect(source).toEqual(EXPECTED[mode]);
      expect(Analysis.safeParse(analysis).success).toBe(true);
    }
    expect(subject.stats()).toMatchObject({ timedOut: 1, breaker: { state: "closed" } });
    await eventually("the hung request let go", () => llm.hanging() === 0);
  });

  it("retries a rate limit no sooner than Retry-After, and a server error after backoff", async () => {
    const llm = fake({ modes: ["429", "500", "valid"], retryAfterSeconds: 1 });
    const subject = client(llm.url, { SEED_LLM_RETRIES: "2" });
    const answer = await subject.analyze([{ role: "user", content: "Answer in JSON." }]);
    expect(answer.ok).toBe(true);
    const [limited, failed, answered] = llm.requests();
    expect([limited?.status, failed?.status, answered?.status]).toEqual([429, 500, 200]);
    expect(failed!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(subject.stats()).toMatchObject({ requests: 3, retries: 2, answered: 1 });
  });

  it("starts requests no closer together than the minimum interval", async () => {
    const llm = fake({ mode: "valid" });
    const subject = client(llm.url, { SEED_LLM_MIN_INTERVAL_MS: "300" });
    const began = performance.now();
    for (let i = 0; i < 3; i++) await subject.analyze([{ role: "user", content: "JSON" }]);
    expect(llm.requests()).toHaveLength(3);
    // The third started two intervals after the first at the earliest (less the clock's rounding).
    expect(performance.now() - began).toBeGreaterThanOrEqual(598);
  });

  it("does not wait for a Retry-After longer than it allows", async () => {
    const llm = fake({ mode: "429", retryAfterSeconds: 60 });
    const answer = await client(llm.url).analyze([{ role: "user", content: "JSON please" }]);
    expect(answer).toMatchObject({ ok: false, reason: "model_failed" });
    expect(llm.requests()).toHaveLength(1);
  });

  it("asks without response_format once a server refuses it, and from then on", async () => {
    // LM Studio takes json_schema only.
    const llm = fake({ mode: "valid", responseFormats: ["json_schema"] });
    const subject = client(llm.url);
    expect((await subject.analyze([{ role: "user", content: "JSON" }])).ok).toBe(true);
    expect((await subject.analyze([{ role: "user", content: "JSON" }])).ok).toBe(true);
    const formats = llm.requests().map((request) => {
      const body = request.body as { response_format?: { type: string } };
      return [body.response_format?.type ?? null, request.status];
    });
    expect(formats).toEqual([
      ["json_object", 400],
      [null, 200],
      [null, 200],
    ]);
    expect(subject.stats().jsonMode).toBe(false);
  });

  it("sends the API key, and fails (without retrying) when it is wrong", async () => {
    const llm = fake({ mode: "valid", apiKey: "sk-right-key" });
    const right = client(llm.url, { LANDALE_LLM_API_KEY: "sk-right-key" });
    expect((await right.analyze([{ role: "user", content: "JSON" }])).ok).toBe(true);
    const wrong = client(llm.url, { LANDALE_LLM_API_KEY: "sk-wrong-key" });
    const answer = await wrong.analyze([{ role: "user", content: "JSON" }]);
    expect(answer).toMatchObject({ ok: false, reason: "model_failed" });
    if (!answer.ok) expect(answer.message).not.toContain("sk-wrong-key");
    expect(wrong.stats()).toMatchObject({ requests: 1, retries: 0, failed: 1 });
  });

  it("opens the breaker after failures in a row, then closes it on a good trial", async () => {
    const llm = fake({ mode: "500" });
    const subject = client(llm.url, {
      SEED_LLM_RETRIES: "0",
      SEED_LLM_BREAKER_THRESHOLD: "2",
      SEED_LLM_BREAKER_COOLDOWN_MS: "200",
    });
    const analyze = createAnalyzer(subject, logger);
    await analyze(window());
    await analyze(window());
    expect((await analyze(window())).source).toEqual({ kind: "fallback", detail: "breaker_open" });
    expect(llm.requests()).toHaveLength(2);
    llm.setMode("valid");
    await eventually("the cooldown", () => subject.stats().breaker.state === "half_open");
    expect((await analyze(window())).source).toEqual({ kind: "model", detail: "fake-llm" });
    expect(subject.stats().breaker).toMatchObject({ state: "closed", opened: 1 });
  });
});
