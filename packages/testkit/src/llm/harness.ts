/** What the fake model's tests share: fakes stopped by `stopAll` after each test, a bare HTTP client. */
import { startFakeLlm } from "./fake";
import type { FakeLlm, FakeLlmOptions } from "./fake-types";

const running: FakeLlm[] = [];

export async function stopAll() {
  for (const fake of running.splice(0)) await fake.stop();
}

export function start(options: FakeLlmOptions = {}): FakeLlm {
  const fake = startFakeLlm(options);
  running.push(fake);
  return fake;
}

/** A request the AI worker would send. */
export function chatBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: "fake-llm",
    messages: [
      { role: "system", content: "You analyse live streams. Answer with one JSON object." },
      { role: "user", content: "Transcript: let's go, boss time. Chat: PogChamp PogChamp" },
    ],
    temperature: 0.3,
    max_tokens: 800,
    response_format: { type: "json_object" },
    ...extra,
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  json: () => unknown;
  text: string;
}

export async function post(
  fake: FakeLlm,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Answer> {
  const response = await fetch(`${fake.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** The assistant message's content of a 200 answer. */
export function contentOf(answer: Answer): string {
  if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${answer.text}`);
  const body = answer.json() as { choices: Array<{ message: { content: string } }> };
  return body.choices[0]?.message.content ?? "";
}
