/**
 * Any OpenAI-compatible transcription server (OpenAI, whisper.cpp's server, LocalAI, speaches):
 * `POST <base>/audio/transcriptions`, multipart `file` (the segment as WAV), `model`, `prompt`,
 * `response_format=json` → `{"text": …}`. Errors come back as `{"error": {"message"}}` (OpenAI),
 * `{"error": "…"}`, `{"detail": …}` (FastAPI servers) or plain text; the message is kept.
 */
import { z } from "zod";
import type { Segment } from "../pipeline/segment";
import { type Backend, type BackendResult, EngineFailure, EngineStoppedError } from "./backend";
import type { ParticipantsPrompt } from "./participants";
import { tail } from "./process-group";
import { encodeWav } from "./wav";

export const DEFAULT_TRANSCRIBE_MODEL = "whisper-1";
const REACH_TIMEOUT_MS = 5_000;
const TRANSCRIPTIONS_PATH = "/audio/transcriptions";

export interface OpenAiConfig {
  /** LANDALE_TRANSCRIBE_URL: the API base (`http://host:port/v1`) or the full endpoint. */
  url: string | null;
  model?: string;
  apiKey?: string | null;
}

const TranscriptionBody = z.object({ text: z.string() });
const ErrorBody = z.union([
  z.object({ error: z.object({ message: z.string() }) }).transform((body) => body.error.message),
  z.object({ error: z.string() }).transform((body) => body.error),
  z.object({ detail: z.unknown() }).transform((body) => JSON.stringify(body.detail)),
  z.object({ message: z.string() }).transform((body) => body.message),
]);

export function transcriptionsEndpoint(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith(TRANSCRIPTIONS_PATH) ? base : `${base}${TRANSCRIPTIONS_PATH}`;
}

export function createOpenAiBackend(
  config: OpenAiConfig,
  deps: { prompt: ParticipantsPrompt },
): Backend {
  const model = config.model ?? DEFAULT_TRANSCRIBE_MODEL;
  const endpoint =
    config.url && URL.canParse(config.url) ? transcriptionsEndpoint(config.url) : null;
  const stopping = new AbortController();

  async function check(): Promise<string | null> {
    if (!config.url) return "LANDALE_TRANSCRIBE_URL is not set";
    if (!endpoint || !/^https?:$/.test(new URL(endpoint).protocol))
      return `LANDALE_TRANSCRIBE_URL is not an http(s) URL: ${config.url}`;
    try {
      // Any answer, even 404 or 405, proves the server is there; only the network failing counts.
      const response = await fetch(endpoint, {
        method: "GET",
        signal: AbortSignal.any([AbortSignal.timeout(REACH_TIMEOUT_MS), stopping.signal]),
      });
      await response.body?.cancel();
      return null;
    } catch (error) {
      return `cannot reach the transcription server at ${endpoint}: ${describe(error)}`;
    }
  }

  async function transcribe(segment: Segment, signal: AbortSignal): Promise<BackendResult> {
    if (!endpoint) throw new EngineFailure("LANDALE_TRANSCRIBE_URL is not set or not a URL");
    const prompt = await deps.prompt.current();
    const form = new FormData();
    form.append("file", new File([encodeWav(segment.pcm)], "segment.wav", { type: "audio/wav" }));
    form.append("model", model);
    form.append("response_format", "json");
    if (prompt) form.append("prompt", prompt);
    const headers: Record<string, string> = {};
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
    const combined = AbortSignal.any([signal, stopping.signal]);
    let response: Response;
    let body: string;
    try {
      response = await fetch(endpoint, { method: "POST", body: form, headers, signal: combined });
      body = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (stopping.signal.aborted) throw new EngineStoppedError();
      throw new EngineFailure(`cannot reach the transcription server: ${describe(error)}`);
    }
    const json = parseJson(body);
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(json);
      const message = parsed.success ? parsed.data : tail(body) || response.statusText;
      throw new EngineFailure(`the transcription server answered ${response.status}: ${message}`);
    }
    const parsed = TranscriptionBody.safeParse(json);
    if (!parsed.success)
      throw new EngineFailure("the transcription server's answer has no text field");
    return { text: parsed.data.text.trim(), confidence: null };
  }

  return {
    check,
    transcribe,
    async stop() {
      stopping.abort();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
