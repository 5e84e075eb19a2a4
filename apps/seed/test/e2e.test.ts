/**
 * The AI worker end to end, as a new user runs it: a real hub (`spawnHub`), chat and a follow
 * POSTed to it and a transcription submitted with the worker token, the worker (in process, short
 * cadence) → an analysis on `contexts:live` within one cadence, stored and read back from
 * `GET /api/contexts`; with no model the fallback's, with the fake model the model's once it
 * answers well, the worker running on through its hangs and invalid answers.
 */
import { describe, expect, it, onTestFinished } from "bun:test";
import { createClient } from "@landale/client";
import {
  CONTEXTS_LIVE,
  ContextPage,
  PING,
  PUSH,
  type StreamContext,
  TRANSCRIPTION_LIVE,
} from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { type HubProcess, postgresBehindProxy, spawnHub, startFakeLlm } from "@landale/testkit";
import type { Worker } from "../src/worker";
import { chatData } from "./support/inputs";
import { eventually, startTestWorker, WORKER_TOKEN } from "./support/worker";

const HUB_MAIN = new URL("../../server/src/main.ts", import.meta.url).pathname;
const SESSION = "stream_e2e";
const SAID = "here comes the boss fight, wish me luck";
/** Short cadence: an analysis and a context every 300 ms over the last minute. */
const CADENCE = {
  SEED_ANALYSIS_INTERVAL_MS: "300",
  SEED_CONTEXT_INTERVAL_MS: "300",
  SEED_ANALYSIS_WINDOW_MS: "60000",
};

async function api(hub: HubProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${WORKER_TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function start(env: Record<string, string> = {}) {
  const hub = await spawnHub({ main: HUB_MAIN, env: { LANDALE_WORKER_TOKEN: WORKER_TOKEN } });
  const worker = await startTestWorker({
    LANDALE_HUB_URL: hub.url,
    LANDALE_WORKER_TOKEN: WORKER_TOKEN,
    ...CADENCE,
    ...env,
  });
  // Live events reach only a joined topic: wait for the worker's first joins.
  await eventually("the worker joined", () =>
    Object.values(worker.health().link.joined as Record<string, boolean>).every(Boolean),
  );
  return { hub, worker };
}

/** Resolves with the first context on `contexts:live` that `wanted` accepts, as a dashboard sees it. */
async function watch(hub: HubProcess, wanted: (context: StreamContext) => boolean) {
  const watcher = createClient({ url: hub.socketUrl, params: { token: WORKER_TOKEN } });
  onTestFinished(() => watcher.close());
  let found: (context: StreamContext) => void = () => {};
  const seen = new Promise<StreamContext>((resolve) => {
    found = resolve;
  });
  watcher.subscribe(CONTEXTS_LIVE, PUSH.newContext, (context) => {
    if (context.session_id === SESSION && wanted(context)) found(context);
  });
  expect((await watcher.push(CONTEXTS_LIVE, PING)).status).toBe("ok");
  return seen;
}

/** What happens on stream: the streamer speaks, three chatters answer, someone follows. */
async function feed(hub: HubProcess) {
  const speaker = createClient({ url: hub.socketUrl, params: { token: WORKER_TOKEN } });
  onTestFinished(() => speaker.close());
  const said = await speaker.push(TRANSCRIPTION_LIVE, "submit_transcription", {
    session_id: SESSION,
    ts: new Date().toISOString(),
    duration_ms: 2000,
    text: SAID,
  });
  expect(said.status).toBe("ok");
  const kappa = { name: "Kappa", id: "25" };
  const posted = await api(hub, "POST", "/api/events", [
    { type: "channel.chat.message", data: chatData({ user: "ana", text: "good luck!" }) },
    {
      type: "channel.chat.message",
      data: chatData({ user: "bo", text: "boss fight hype", emotes: [kappa] }),
    },
    { type: "channel.chat.message", data: chatData({ user: "cy", text: "you got this" }) },
    { type: "channel.follow", data: TWITCH_SAMPLES["channel.follow"] },
  ]);
  expect(posted.status).toBe(202);
}

async function expectStored(hub: HubProcess, worker: Worker, context: StreamContext) {
  const stored = await api(hub, "GET", `/api/contexts?session=${SESSION}`);
  expect(stored.status).toBe(200);
  expect(ContextPage.parse(stored.body).contexts.map((row) => row.id)).toContain(context.id);
  await eventually("the worker's acknowledgement", () => worker.health().contexts.acked >= 1);
}

describe("seed against a real hub", () => {
  it("turns chat and speech into a stored context on contexts:live, offline with no model", async () => {
    const { hub, worker } = await start();
    const seen = watch(hub, (context) => context.chat.messages === 3);
    await feed(hub);

    const context = await seen;
    expect(context.source).toEqual({ kind: "fallback", detail: "no_model" });
    expect(context.transcript).toBe(SAID);
    expect(context.chat).toMatchObject({ messages: 3, participants: 3, reaction_share: 1 });
    expect(context.interactions).toEqual({ "channel.follow": 1 });
    expect(context.emotes).toEqual({ top: [{ name: "Kappa", count: 1 }], native: [] });
    expect(context.analysis.topics).toContain("boss");
    await expectStored(hub, worker, context);
    // The worker scope may not read the channel's emotes: native stays empty.
    expect(worker.health().link.emotes_status).toBe(403);
  });

  it("reads back the chat and the follow sent before it started, into its first context", async () => {
    const hub = await spawnHub({ main: HUB_MAIN, env: { LANDALE_WORKER_TOKEN: WORKER_TOKEN } });
    const seen = watch(hub, (context) => context.chat.messages === 3);
    await feed(hub);
    const worker = await startTestWorker({
      LANDALE_HUB_URL: hub.url,
      LANDALE_WORKER_TOKEN: WORKER_TOKEN,
      ...CADENCE,
    });

    const context = await seen;
    expect(context.chat).toMatchObject({ messages: 3, participants: 3 });
    expect(context.interactions).toEqual({ "channel.follow": 1 });
    expect(context.transcript).toBe(SAID);
    expect(worker.health().link.read_back).toBe("3 chat messages, 1 interactions");
    expect(worker.health().buffers).toMatchObject({ duplicates: 0 });
  });

  it("stores the model's analysis once it answers well, running on through a hang and nonsense", async () => {
    const llm = startFakeLlm({ modes: ["hang", "invalid", "valid"] });
    onTestFinished(() => llm.stop());
    const { hub, worker } = await start({
      LANDALE_LLM_URL: llm.url,
      LANDALE_LLM_MODEL: "fake-llm",
      SEED_LLM_TIMEOUT_MS: "300",
      SEED_LLM_MIN_INTERVAL_MS: "0",
      SEED_LLM_RETRIES: "0",
    });
    const fallbacks: string[] = [];
    const seen = watch(hub, (context) => {
      if (context.source.kind === "fallback") fallbacks.push(context.source.detail);
      return context.source.kind === "model";
    });
    await feed(hub);

    const context = await seen;
    expect(context.source).toEqual({ kind: "model", detail: "fake-llm" });
    expect(context.analysis.sentiment).toBe("positive");
    expect(context.chat.messages).toBe(3);
    expect(fallbacks).toEqual(["model_failed", "invalid_answer"]);
    await expectStored(hub, worker, context);
    expect(worker.health().model).toMatchObject({ configured: true, timed_out: 1, invalid: 1 });
  });
});

// An outage is a cut proxy in front of Postgres (PGlite has no network to lose).
describe.if(Boolean(process.env.TEST_DATABASE_URL))("seed starting while Postgres is away", () => {
  it("reads back the speech, chat and follow from before it started once the database is back", async () => {
    const behind = await postgresBehindProxy();
    onTestFinished(() => behind.test.dispose());
    onTestFinished(() => behind.proxy.stop());
    const hub = await spawnHub({
      main: HUB_MAIN,
      env: { LANDALE_WORKER_TOKEN: WORKER_TOKEN, DATABASE_URL: behind.url },
    });
    await feed(hub);
    await behind.proxy.cut();
    const worker = await startTestWorker({
      LANDALE_HUB_URL: hub.url,
      LANDALE_WORKER_TOKEN: WORKER_TOKEN,
      ...CADENCE,
    });
    // The hub cannot read its events or its transcriptions: both read-backs fail and are tried again.
    await eventually("a failed read-back", () =>
      /trying again/.test(String(worker.health().link.read_back)),
    );
    const seen = watch(hub, (context) => context.chat.messages === 3);
    await behind.proxy.restore();

    const context = await seen;
    expect(context.transcript).toBe(SAID);
    expect(context.chat).toMatchObject({ messages: 3, participants: 3 });
    expect(context.interactions).toEqual({ "channel.follow": 1 });
    expect(worker.health().link.read_back).toBe("3 chat messages, 1 interactions");
  });
});
