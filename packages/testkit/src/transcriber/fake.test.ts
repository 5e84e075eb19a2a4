import { afterEach, describe, expect, it } from "bun:test";
import { type FakeTranscriber, type FakeTranscriberOptions, startFakeTranscriber } from "./fake";

type Body = RequestInit["body"];
type Headers = Record<string, string>;

let fake: FakeTranscriber | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

function start(options: FakeTranscriberOptions = {}): FakeTranscriber {
  fake = startFakeTranscriber(options);
  return fake;
}

/** A PCM 16-bit mono WAV of `samples`, as the audio worker uploads. */
function wav(samples: number[], sampleRate = 16_000): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) =>
    [...text].forEach((c, i) => {
      view.setUint8(at + i, c.charCodeAt(0));
    });
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((sample, i) => {
    view.setInt16(44 + i * 2, sample, true);
  });
  return bytes;
}

function form(fields: Record<string, string | Uint8Array>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields))
    body.append(name, typeof value === "string" ? value : new File([value], "segment.wav"));
  return body;
}

async function post(server: FakeTranscriber, body: Body, headers: Headers = {}) {
  const response = await fetch(`${server.url}/audio/transcriptions`, {
    method: "POST",
    body,
    headers,
  });
  return { status: response.status, body: await response.text() };
}

describe("the fake transcription server", () => {
  it("transcribes a WAV upload as OpenAI's json format, and records the request", async () => {
    const server = start({ text: (audio) => `${audio.samples.length} samples` });
    const answer = await post(
      server,
      form({ file: wav([1, 2, 3, 4]), model: "whisper-1", prompt: "Participants include: a." }),
    );
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ text: "4 samples" }) });
    const [request] = server.requests();
    expect(request?.model).toBe("whisper-1");
    expect(request?.prompt).toBe("Participants include: a.");
    expect(request?.responseFormat).toBe("json");
    expect(request?.wav.sampleRate).toBe(16_000);
    expect(request?.wav.channels).toBe(1);
    expect([...(request?.wav.samples ?? [])]).toEqual([1, 2, 3, 4]);
  });

  it("answers response_format=text with the bare transcript", async () => {
    const server = start({ text: "hello" });
    const answer = await post(
      server,
      form({ file: wav([0]), model: "m", response_format: "text" }),
    );
    expect(answer).toEqual({ status: 200, body: "hello" });
  });

  it("refuses what OpenAI refuses, in OpenAI's error envelope", async () => {
    const server = start({ text: "never" });
    const cases: Array<[Body, Headers, number, string]> = [
      [form({ model: "m" }), {}, 400, "Missing required parameter: 'file'."],
      [form({ file: wav([0]) }), {}, 400, "Missing required parameter: 'model'."],
      [form({ file: wav([0]), model: "m", response_format: "xml" }), {}, 400, "'xml' is not one"],
      [form({ file: new TextEncoder().encode("not audio"), model: "m" }), {}, 400, "Invalid file"],
      ['{"model":"m"}', { "content-type": "application/json" }, 400, "Invalid Content-Type"],
    ];
    for (const [body, headers, status, message] of cases) {
      const answer = await post(server, body, headers);
      expect(answer.status).toBe(status);
      expect(JSON.parse(answer.body).error.message).toStartWith(message);
      expect(JSON.parse(answer.body).error.type).toBe("invalid_request_error");
    }
    expect(server.requests()).toHaveLength(0);
    const missing = await fetch(`${server.url}/audio/transcriptions`);
    expect(missing.status).toBe(404);
  });

  it("checks the bearer key when it has one", async () => {
    const server = start({ text: "ok", apiKey: "sk-test" });
    const body = () => form({ file: wav([0]), model: "m" });
    expect((await post(server, body())).status).toBe(401);
    const wrong = await post(server, body(), { authorization: "Bearer sk-wrong" });
    expect(JSON.parse(wrong.body).error.code).toBe("invalid_api_key");
    const right = await post(server, body(), { authorization: "Bearer sk-test" });
    expect(right).toEqual({ status: 200, body: JSON.stringify({ text: "ok" }) });
  });

  it("fails valid requests with the status and message it is given", async () => {
    const server = start({ status: 500, message: "model crashed" });
    const answer = await post(server, form({ file: wav([0]), model: "m" }));
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body).error).toEqual({
      message: "model crashed",
      type: "server_error",
      param: null,
      code: null,
    });
  });

  it("holds a delayed answer; stop() drops it and closes the connection", async () => {
    const server = start({ text: "late", delayMs: 600_000 });
    const pending = fetch(`${server.url}/audio/transcriptions`, {
      method: "POST",
      body: form({ file: wav([0]), model: "m" }),
    }).then(
      (response) => response.text(),
      (error: Error) => `failed: ${error.message}`,
    );
    while (server.requests().length === 0) await Bun.sleep(10);
    await server.stop();
    fake = undefined;
    expect(await pending).not.toBe("late"); // the request failed instead
  });
});
