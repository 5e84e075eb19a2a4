import { afterEach, describe, expect, it } from "bun:test";
import { chatBody, post, start, stopAll } from "./harness";

afterEach(stopAll);

type Case = [
  what: string,
  body: unknown,
  message: string,
  param: string | null,
  code: string | null,
];

const user = (content: unknown) => ({ role: "user", content });

const CASES: Case[] = [
  ["no model", chatBody({ model: undefined }), "you must provide a model parameter", null, null],
  [
    "a model that is not a string",
    chatBody({ model: 7 }),
    "Invalid type for 'model': expected a string, but got an integer instead.",
    "model",
    "invalid_type",
  ],
  [
    "no messages",
    { model: "m" },
    "Missing required parameter: 'messages'.",
    "messages",
    "missing_required_parameter",
  ],
  [
    "messages that are not an array",
    chatBody({ messages: "hello json" }),
    "Invalid type for 'messages': expected an array, but got a string instead.",
    "messages",
    "invalid_type",
  ],
  [
    "an empty messages array",
    chatBody({ messages: [] }),
    "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
    "messages",
    "empty_array",
  ],
  [
    "an unknown role",
    chatBody({ messages: [{ role: "robot", content: "json" }] }),
    "Invalid value: 'robot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
    "messages[0].role",
    "invalid_value",
  ],
  [
    "a user message without content",
    chatBody({ messages: [user("json"), { role: "user" }] }),
    "Missing required parameter: 'messages[1].content'.",
    "messages[1].content",
    "missing_required_parameter",
  ],
  [
    "content that is neither a string nor parts",
    chatBody({ messages: [user(42)] }),
    "Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an integer instead.",
    "messages[0].content",
    "invalid_type",
  ],
  [
    "a temperature above 2",
    chatBody({ temperature: 3 }),
    "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.",
    "temperature",
    "decimal_above_max_value",
  ],
  [
    "a temperature that is a string",
    chatBody({ temperature: "hot" }),
    "Invalid type for 'temperature': expected a decimal, but got a string instead.",
    "temperature",
    "invalid_type",
  ],
  [
    "max_tokens that is not an integer",
    chatBody({ max_tokens: 1.5 }),
    "Invalid type for 'max_tokens': expected an integer, but got a decimal instead.",
    "max_tokens",
    "invalid_type",
  ],
  [
    "max_tokens below 1",
    chatBody({ max_tokens: 0 }),
    "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
    "max_tokens",
    "integer_below_min_value",
  ],
  [
    "an unknown response_format type",
    chatBody({ response_format: { type: "xml" } }),
    "Invalid value: 'xml'. Supported values are: 'text', 'json_object', and 'json_schema'.",
    "response_format.type",
    "invalid_value",
  ],
  [
    "json_schema without its schema object",
    chatBody({ response_format: { type: "json_schema" } }),
    "Missing required parameter: 'response_format.json_schema'.",
    "response_format.json_schema",
    "missing_required_parameter",
  ],
  [
    "a json_schema without a name",
    chatBody({ response_format: { type: "json_schema", json_schema: { schema: {} } } }),
    "Missing required parameter: 'response_format.json_schema.name'.",
    "response_format.json_schema.name",
    "missing_required_parameter",
  ],
  [
    "JSON mode with no mention of JSON in the messages",
    chatBody({ messages: [user("What is happening?")] }),
    "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
    "messages",
    null,
  ],
  [
    "a body that is not an object",
    [1, 2],
    "Invalid type for request body: expected an object, but got an array instead.",
    null,
    "invalid_type",
  ],
  [
    "a streaming request",
    chatBody({ stream: true }),
    "The fake model does not stream.",
    "stream",
    null,
  ],
];

describe("the fake model's request check", () => {
  for (const [what, body, message, param, code] of CASES)
    it(`refuses ${what} with OpenAI's 400`, async () => {
      const fake = start();
      const answer = await post(fake, body);
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({
        error: { message, type: "invalid_request_error", param, code },
      });
      expect(fake.requests()).toMatchObject([{ status: 400, mode: null }]);
    });

  it("refuses a body that is not JSON with OpenAI's parse error", async () => {
    const fake = start();
    const answer = await post(fake, '{"model": "m",');
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({
      error: { type: "invalid_request_error", param: null, code: null },
    });
    expect((answer.json() as { error: { message: string } }).error.message).toStartWith(
      "We could not parse the JSON body of your request.",
    );
  });

  it("takes the optional fields in their valid forms", async () => {
    const fake = start({ modes: ["valid"] });
    const schema = { name: "stream_analysis", schema: { type: "object" }, strict: true };
    const bodies = [
      { model: "m", messages: [user("hi")] },
      chatBody({ response_format: { type: "json_schema", json_schema: schema } }),
      chatBody({ response_format: { type: "text" }, temperature: 0, max_tokens: null }),
      chatBody({
        messages: [
          { role: "developer", content: [{ type: "text", text: "Answer in JSON." }] },
          { role: "assistant", content: null },
          user("go"),
        ],
      }),
    ];
    for (const body of bodies) expect((await post(fake, body)).status).toBe(200);
  });

  it("refuses response_format types the server does not take, as LM Studio refuses json_object", async () => {
    const fake = start({ responseFormats: ["text", "json_schema"] });
    const answer = await post(fake, chatBody());
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({
      error: {
        message: "Invalid value: 'json_object'. Supported values are: 'text', and 'json_schema'.",
        param: "response_format.type",
      },
    });
  });

  it("lists its models, and refuses another one when its models are given", async () => {
    const open = start();
    const listed = await (await fetch(`${open.url}/models`)).json();
    expect(listed).toMatchObject({ object: "list", data: [{ id: "fake-llm", object: "model" }] });
    expect((await post(open, chatBody({ model: "anything" }))).status).toBe(200);

    const pinned = start({ models: ["qwen3-8b"] });
    const wrong = await post(pinned, chatBody({ model: "llama" }));
    expect(wrong.status).toBe(404);
    expect(wrong.json()).toMatchObject({ error: { code: "model_not_found" } });
    expect((await post(pinned, chatBody({ model: "qwen3-8b" }))).status).toBe(200);
  });

  it("checks the bearer key when it has one, without echoing the key", async () => {
    const fake = start({ apiKey: "sk-secret" });
    const none = await post(fake, chatBody());
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: { type: "invalid_request_error", code: null } });
    const wrong = await post(fake, chatBody(), { headers: { authorization: "Bearer sk-wrong" } });
    expect(wrong.json()).toMatchObject({ error: { code: "invalid_api_key" } });
    expect(wrong.text).not.toContain("sk-wrong");
    const models = await fetch(`${fake.url}/models`);
    expect(models.status).toBe(401);
    const right = await post(fake, chatBody(), { headers: { authorization: "Bearer sk-secret" } });
    expect(right.status).toBe(200);
    expect(JSON.stringify(fake.requests())).not.toContain("sk-secret");
  });

  it("answers other paths and methods with OpenAI's 404", async () => {
    const fake = start();
    const get = await fetch(`${fake.url}/chat/completions`);
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({
      error: { message: "Invalid URL (GET /v1/chat/completions)", type: "invalid_request_error" },
    });
    expect((await fetch(`${fake.url}/completions`, { method: "POST" })).status).toBe(404);
  });
});
