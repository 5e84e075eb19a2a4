/**
 * The AI worker end to end, as a new user runs it: a real hub (`spawnHub`), chat and a follow
 * POSTed to it and a transcription submitted with the worker token, the worker (in process, short
 * cadence, no model) → an analysis on `contexts:live` within one cadence, stored and read back
 * from `GET /api/contexts`.
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
import { spawnHub } from "@landale/testkit";
import { chatData } from "./support/inputs";
import { eventually, startTestWorker, WORKER_TOKEN } from "./support/worker";

const HUB_MAIN = new URL("../../server/src/main.ts", import.meta.url).pathname;
const SESSION = "stream_e2e";

async function api(hubUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${hubUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${WORKER_TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("seed against a real hub", () => {
  it("turns chat and speech into a stored context on contexts:live", async () => {
    const hub = await spawnHub({ main: HUB_MAIN, env: { LANDALE_WORKER_TOKEN: WORKER_TOKEN } });
    const worker = await startTestWorker({
      LANDALE_HUB_URL: hub.url,
      LANDALE_WORKER_TOKEN: WORKER_TOKEN,
      SEED_ANALYSIS_INTERVAL_MS: "300",
      SEED_CONTEXT_INTERVAL_MS: "300",
      SEED_ANALYSIS_WINDOW_MS: "60000",
    });
    // Live events reach only a joined topic: wait for the worker's first joins.
    await eventually("the worker joined", () =>
      Object.values(worker.health().link.joined as Record<string, boolean>).every(Boolean),
    );

    // What a dashboard sees: a client of its own on contexts:live.
    const watcher = createClient({ url: hub.socketUrl, params: { token: WORKER_TOKEN } });
    onTestFinished(() => watcher.close());
    let resolveSeen: (context: StreamContext) => void = () => {};
    const seen = new Promise<StreamContext>((resolve) => {
      resolveSeen = resolve;
    });
    watcher.subscribe(CONTEXTS_LIVE, PUSH.newContext, (context) => {
      if (context.session_id === SESSION && context.chat.messages === 3) resolveSeen(context);
    });
    expect((await watcher.push(CONTEXTS_LIVE, PING)).status).toBe("ok");

    const speaker = createClient({ url: hub.socketUrl, params: { token: WORKER_TOKEN } });
    onTestFinished(() => speaker.close());
    const said = await speaker.push(TRANSCRIPTION_LIVE, "submit_transcription", {
      session_id: SESSION,
      ts: new Date().toISOString(),
      duration_ms: 2000,
      text: "here comes the boss fight, wish me luck",
    });
    expect(said.status).toBe("ok");
    const posted = await api(hub.url, "POST", "/api/events", [
      { type: "channel.chat.message", data: chatData({ user: "ana", text: "good luck!" }) },
      {
        type: "channel.chat.message",
        data: chatData({
          user: "bo",
          text: "boss fight hype",
          emotes: [{ name: "Kappa", id: "25" }],
        }),
      },
      { type: "channel.chat.message", data: chatData({ user: "cy", text: "you got this" }) },
      { type: "channel.follow", data: TWITCH_SAMPLES["channel.follow"] },
    ]);
    expect(posted.status).toBe(202);

    const context = await seen;
    expect(context.source).toEqual({ kind: "fallback", detail: "no_model" });
    expect(context.transcript).toBe("here comes the boss fight, wish me luck");
    expect(context.chat).toMatchObject({ messages: 3, participants: 3, reaction_share: 1 });
    expect(context.interactions).toEqual({ "channel.follow": 1 });
    expect(context.emotes).toEqual({ top: [{ name: "Kappa", count: 1 }], native: [] });
    expect(context.analysis.topics).toContain("boss");

    const stored = await api(hub.url, "GET", `/api/contexts?session=${SESSION}`);
    expect(stored.status).toBe(200);
    const page = ContextPage.parse(stored.body);
    expect(page.contexts.map((row) => row.id)).toContain(context.id);
    await eventually("the worker's acknowledgement", () => worker.health().contexts.acked >= 1);
    expect(worker.health().link.emotes_status).toBe(403);
  });
});
