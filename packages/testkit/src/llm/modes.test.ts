import { afterEach, describe, expect, it } from "bun:test";
import { Analysis } from "@landale/shared";
import { DEFAULT_FAKE_ANALYSIS, NOT_JSON_CONTENT } from "./answers";
import { chatBody, contentOf, post, start, stopAll } from "./harness";

afterEach(stopAll);

const quiet: Analysis = {
  ...DEFAULT_FAKE_ANALYSIS,
  sentiment: "neutral",
  topics: ["just chatting"],
  context: "A calm stretch of talk with chat.",
};

describe("the fake model's answers", () => {
  it("answers `valid` with OpenAI's completion shape and the analysis as bare JSON", async () => {
    const fake = start();
    const answer = await post(fake, chatBody());
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      object: "chat.completion",
      model: "fake-llm",
      choices: [
        { index: 0, message: { role: "assistant" }, finish_reason: "stop", logprobs: null },
      ],
    });
    const body = answer.json() as {
      id: string;
      created: number;
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(body.id).toStartWith("chatcmpl-");
    expect(body.created).toBeNumber();
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    const analysis = Analysis.parse(JSON.parse(contentOf(answer)));
    expect(analysis).toEqual(DEFAULT_FAKE_ANALYSIS);
  });

  it("wraps the JSON in a code fence, after a <think> block, or in prose", async () => {
    const fake = start({ modes: ["fenced", "think", "prose"] });
    const fenced = contentOf(await post(fake, chatBody()));
    const inFence = /^```json\n([\s\S]+)\n```$/.exec(fenced);
    expect(Analysis.parse(JSON.parse(inFence?.[1] ?? ""))).toEqual(DEFAULT_FAKE_ANALYSIS);

    const think = contentOf(await post(fake, chatBody()));
    expect(think).toStartWith("<think>");
    expect(think.slice(0, think.indexOf("</think>"))).toContain("{"); // a trap for naive extraction
    const afterThink = think.slice(think.indexOf("</think>") + "</think>".length);
    expect(Analysis.parse(JSON.parse(afterThink))).toEqual(DEFAULT_FAKE_ANALYSIS);

    const prose = contentOf(await post(fake, chatBody()));
    expect(() => JSON.parse(prose)).toThrow();
    const start_ = prose.indexOf("{");
    const end = prose.lastIndexOf("}");
    expect(prose.slice(0, start_).trim()).not.toBe("");
    expect(prose.slice(end + 1).trim()).not.toBe("");
    expect(Analysis.parse(JSON.parse(prose.slice(start_, end + 1)))).toEqual(DEFAULT_FAKE_ANALYSIS);
  });

  it("answers `invalid` with JSON that fails the schema, and `not-json` with none", async () => {
    const fake = start({ modes: ["invalid", "not-json"] });
    const invalid = JSON.parse(contentOf(await post(fake, chatBody())));
    expect(Analysis.safeParse(invalid).success).toBe(false);
    const words = contentOf(await post(fake, chatBody()));
    expect(words).toBe(NOT_JSON_CONTENT);
    expect(words).not.toContain("{");
  });

  it("answers `500` with OpenAI's server error", async () => {
    const fake = start({ mode: "500" });
    const answer = await post(fake, chatBody());
    expect(answer.status).toBe(500);
    expect(answer.json()).toEqual({
      error: {
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        param: null,
        code: null,
      },
    });
  });

  it("answers `429` with OpenAI's rate-limit error and a configurable Retry-After", async () => {
    const fake = start({ modes: ["429", { mode: "429", retryAfterSeconds: 7 }] });
    const first = await post(fake, chatBody());
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    expect(first.json()).toMatchObject({
      error: { type: "requests", code: "rate_limit_exceeded", param: null },
    });
    expect((await post(fake, chatBody())).headers.get("retry-after")).toBe("7");

    const other = start({ mode: "429", retryAfterSeconds: 30 });
    expect((await post(other, chatBody())).headers.get("retry-after")).toBe("30");
    const none = start({ mode: "429", retryAfterSeconds: null });
    const bare = await post(none, chatBody());
    expect(bare.status).toBe(429);
    expect(bare.headers.has("retry-after")).toBe(false);
  });

  it("holds a `hang` request until its client gives up", async () => {
    const fake = start({ mode: "hang" });
    const abort = new AbortController();
    const pending = post(fake, chatBody(), { signal: abort.signal }).catch(
      (error: Error) => error.name,
    );
    while (fake.hanging() === 0) await Bun.sleep(5);
    expect(fake.requests()).toMatchObject([{ status: null, mode: "hang" }]);
    abort.abort();
    expect(await pending).toBe("AbortError");
    while (fake.hanging() > 0) await Bun.sleep(5);
  });

  it("closes hanging requests on stop()", async () => {
    const fake = start({ mode: "hang" });
    const pending = post(fake, chatBody()).then(
      (answer) => `answered ${answer.status}`,
      () => "connection closed",
    );
    while (fake.hanging() === 0) await Bun.sleep(5);
    await fake.stop();
    expect(await pending).toBe("connection closed");
    expect(fake.hanging()).toBe(0);
    await fake.stop(); // a second stop is harmless
  });

  it("consumes a sequence of modes per request, then repeats the last", async () => {
    const fake = start({ modes: ["429", "500", "valid"] });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(fake, chatBody())).status);
    expect(statuses).toEqual([429, 500, 200, 200, 200]);
    expect(fake.requests().map((request) => request.mode)).toEqual([
      "429",
      "500",
      "valid",
      "valid",
      "valid",
    ]);
  });

  it("chooses the answer with a function of the request and its index", async () => {
    const seen: number[] = [];
    const fake = start({
      modes: (request, index) => {
        seen.push(index);
        return request.model === "broken" ? "500" : { mode: "valid", analysis: quiet };
      },
    });
    expect((await post(fake, chatBody({ model: "broken" }))).status).toBe(500);
    const answer = await post(fake, chatBody());
    expect(JSON.parse(contentOf(answer))).toEqual(quiet);
    expect(seen).toEqual([0, 1]);
  });

  it("switches modes with setMode(), starting a new sequence from its first answer", async () => {
    const fake = start({ mode: "500" });
    expect((await post(fake, chatBody())).status).toBe(500);
    fake.setMode(["not-json", "valid"]);
    expect(contentOf(await post(fake, chatBody()))).toBe(NOT_JSON_CONTENT);
    fake.setMode("fenced");
    expect(contentOf(await post(fake, chatBody()))).toStartWith("```json\n");
    fake.setMode(["invalid", "valid"]);
    expect(Analysis.safeParse(JSON.parse(contentOf(await post(fake, chatBody())))).success).toBe(
      false,
    );
  });

  it("carries the analysis option, fixed or computed from the request", async () => {
    const fixed = start({ analysis: quiet });
    expect(JSON.parse(contentOf(await post(fixed, chatBody())))).toEqual(quiet);
    const computed = start({
      mode: "think",
      analysis: (request) => ({ ...quiet, topics: [request.model] }),
    });
    const content = contentOf(await post(computed, chatBody({ model: "qwen3-8b" })));
    const json = JSON.parse(content.slice(content.indexOf("</think>") + 8));
    expect(json.topics).toEqual(["qwen3-8b"]);
  });

  it("sends content as it is, with the finish reason given", async () => {
    const fake = start({ mode: { content: '{"patterns": {"energy_le', finishReason: "length" } });
    const answer = await post(fake, chatBody());
    expect(contentOf(answer)).toBe('{"patterns": {"energy_le');
    expect(answer.json()).toMatchObject({ choices: [{ finish_reason: "length" }] });
    expect(fake.requests()[0]?.mode).toBe("content");
  });

  it("logs each request's body, status and mode, the newest 1,000", async () => {
    const fake = start({ modes: ["500", "valid"] });
    await post(fake, chatBody({ temperature: 0.1 }));
    await post(fake, "{not json");
    const log = fake.requests();
    expect(log).toMatchObject([
      { body: { model: "fake-llm", temperature: 0.1 }, status: 500, mode: "500" },
      { body: "{not json", status: 400, mode: null },
    ]);
    expect(log[0]?.at).toBeNumber();
    for (let i = 0; i < 1_000; i++) await post(fake, chatBody({ max_tokens: i + 1 }));
    const kept = fake.requests();
    expect(kept).toHaveLength(1_000);
    expect(kept[0]?.body).toMatchObject({ max_tokens: 1 });
  });
});
