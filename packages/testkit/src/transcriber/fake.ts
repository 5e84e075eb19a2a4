/**
 * A fake OpenAI-compatible transcription server: `POST /v1/audio/transcriptions` over real HTTP,
 * checking the request as OpenAI does (bearer key, multipart body, `file`, `model`,
 * `response_format`) and answering with OpenAI's bodies and error envelope
 * (`{"error": {"message", "type", "param", "code"}}`). The transcript comes from the test.
 */
import type { Server } from "bun";
import { type FakeWav, parseWav } from "../audio/wav";

const PATH = "/v1/audio/transcriptions";
const FORMATS = ["json", "text", "srt", "verbose_json", "vtt"];
const AUDIO_TYPES = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"];
/** Requests kept for `requests()`; older ones are dropped. */
const REQUESTS_KEPT = 1_000;

export interface FakeTranscriptionRequest {
  model: string;
  prompt: string | null;
  language: string | null;
  responseFormat: string;
  fileName: string;
  wav: FakeWav;
}

export interface FakeTranscriberOptions {
  /** The transcript: fixed, or computed from the uploaded audio. Default "". */
  text?: string | ((wav: FakeWav, request: FakeTranscriptionRequest) => string);
  /** Wait this long before answering a valid request (a slow or hung server). */
  delayMs?: number;
  /** Answer every valid request with this status and OpenAI's error body instead. */
  status?: number;
  /** The error message sent with `status`. */
  message?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface FakeTranscriber {
  /** The API base, `http://127.0.0.1:<port>/v1` (LANDALE_TRANSCRIBE_URL). */
  url: string;
  port: number;
  /** Valid transcription requests received, oldest first. */
  requests(): readonly FakeTranscriptionRequest[];
  /** Closes every connection and cancels every delayed answer. */
  stop(): Promise<void>;
}

export function startFakeTranscriber(options: FakeTranscriberOptions = {}): FakeTranscriber {
  const received: FakeTranscriptionRequest[] = [];
  const delayed = new Set<ReturnType<typeof setTimeout>>();

  // A delayed answer cancelled by stop() never comes: its connection is closed instead.
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        resolve();
      }, ms);
      delayed.add(timer);
    });

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== PATH || request.method !== "POST")
      return failure(404, `Invalid URL (${request.method} ${url.pathname})`);
    if (options.apiKey !== undefined) {
      const authorization = request.headers.get("authorization");
      if (!authorization)
        return failure(401, "You didn't provide an API key.", { type: "invalid_request_error" });
      if (authorization !== `Bearer ${options.apiKey}`)
        return failure(401, "Incorrect API key provided.", { code: "invalid_api_key" });
    }
    const contentType = request.headers.get("content-type") ?? "";
    if (!contentType.startsWith("multipart/form-data"))
      return failure(
        400,
        `Invalid Content-Type header (${contentType}), expected multipart/form-data.`,
      );
    const form = await request.formData().catch(() => null);
    if (!form) return failure(400, "Could not parse multipart form");
    const file = form.get("file");
    if (!(file instanceof File)) return missing("file");
    const model = form.get("model");
    if (typeof model !== "string" || model === "") return missing("model");
    const responseFormat = stringField(form, "response_format") ?? "json";
    if (!FORMATS.includes(responseFormat))
      return failure(400, `'${responseFormat}' is not one of ${JSON.stringify(FORMATS)}`, {
        param: "response_format",
      });
    const wav = parseWav(new Uint8Array(await file.arrayBuffer()));
    if (!wav)
      return failure(400, `Invalid file format. Supported formats: ${JSON.stringify(AUDIO_TYPES)}`);
    const entry: FakeTranscriptionRequest = {
      model,
      prompt: stringField(form, "prompt"),
      language: stringField(form, "language"),
      responseFormat,
      fileName: file.name,
      wav,
    };
    received.push(entry);
    if (received.length > REQUESTS_KEPT) received.splice(0, received.length - REQUESTS_KEPT);
    if (options.delayMs) await wait(options.delayMs);
    if (options.status !== undefined && options.status >= 400)
      return failure(
        options.status,
        options.message ??
          "The server had an error while processing your request. Sorry about that!",
        { type: "server_error" },
      );
    const text =
      typeof options.text === "function" ? options.text(wav, entry) : (options.text ?? "");
    if (responseFormat === "text" || responseFormat === "srt" || responseFormat === "vtt")
      return new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } });
    if (responseFormat === "verbose_json")
      return Response.json({
        task: "transcribe",
        language: entry.language ?? "english",
        duration: wav.durationMs / 1000,
        text,
        segments: [],
      });
    return Response.json({ text });
  }

  const server: Server<undefined> = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handle });
  const port = server.port ?? 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests: () => [...received],
    async stop() {
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      await server.stop(true);
    },
  };
}

function stringField(form: { get(name: string): unknown }, name: string): string | null {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
}

function missing(param: string): Response {
  return failure(400, `Missing required parameter: '${param}'.`, { param });
}

function failure(
  status: number,
  message: string,
  extra: { type?: string; param?: string; code?: string } = {},
): Response {
  return Response.json(
    {
      error: {
        message,
        type: extra.type ?? "invalid_request_error",
        param: extra.param ?? null,
        code: extra.code ?? null,
      },
    },
    { status },
  );
}
