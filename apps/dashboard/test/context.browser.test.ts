/**
 * The Stream context view in a real browser (Debian's Chromium through playwright-core) against a
 * real hub started as a child process, fed by a worker (`@landale/client` with the worker token)
 * as the AI worker would: a context stored before the page opened is read back, and one submitted
 * while it is open becomes the latest analysis, with its suggested actions and topics, and a
 * second point on the chart. Each step is saved as a screenshot under `test-output/`. Needs
 * `bun run build` first.
 */
import { describe, expect, it } from "bun:test";
import { CONTEXTS_LIVE, type StreamContext, TRANSCRIPTION_LIVE } from "@landale/shared";
import { sampleAnalysis, sampleContext } from "@landale/shared/fixtures/context";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { freePort, spawnProgram } from "@landale/testkit";
import { useDashboardWithWorker } from "./support/page";

const SEED_MAIN = new URL("../../seed/src/main.ts", import.meta.url).pathname;
const TOKEN = "dashboard-context-test-token";
const WORKER_TOKEN = "dashboard-context-worker-token";
const WAIT_MS = 15_000;
const WINDOW_MS = 120_000;

const dashboard = useDashboardWithWorker({ control: TOKEN, worker: WORKER_TOKEN });

/** Window `n` of today's stream, ending `n` windows after the first one began (a few minutes ago). */
function windowOf(n: number, extra: Partial<StreamContext> = {}): StreamContext {
  const first = Date.now() - 10 * WINDOW_MS;
  return sampleContext(n, {
    session_id: "stream_today",
    started_at: new Date(first + (n - 1) * WINDOW_MS).toISOString(),
    ended_at: new Date(first + n * WINDOW_MS).toISOString(),
    ...extra,
  });
}

async function submit(context: StreamContext): Promise<void> {
  const reply = await dashboard.worker().push(CONTEXTS_LIVE, "submit_context", context);
  expect(reply).toMatchObject({ status: "ok", response: { id: context.id, stored: true } });
}

const text = (testId: string) => dashboard.page.getByTestId(testId).first().textContent();

describe("the dashboard's Stream context view against a real hub", () => {
  it("says when there is no context yet", async () => {
    await dashboard.signIn(TOKEN, { path: "context" });
    await dashboard.page.locator("#view-title").filter({ hasText: "Stream context" }).waitFor();
    await dashboard.page
      .getByTestId("context-empty")
      .filter({ hasText: "No stream context yet" })
      .waitFor();
  });

  it("reads back a stored context on open, then shows a submitted one as the latest", async () => {
    await submit(
      windowOf(1, {
        analysis: sampleAnalysis({
          energy: 0.3,
          sentiment: "neutral",
          context: "A quiet start: the streamer sets up the run.",
          topics: ["setup"],
        }),
        source: { kind: "fallback", detail: "no_model" },
      }),
    );
    await dashboard.page.reload();
    await dashboard.page.getByTestId("context-latest").waitFor();
    expect(await text("context-summary")).toBe("A quiet start: the streamer sets up the run.");
    expect(await text("context-source")).toBe("Offline fallback · no model configured");
    await dashboard.page.locator("[data-testid='context-chart'][data-points='1']").waitFor();
    await dashboard.screenshot("context-read-back", true);

    await submit(
      windowOf(2, {
        analysis: sampleAnalysis({
          energy: 0.85,
          sentiment: "positive",
          context: "Chat erupts as the skip lands on the first try.",
          topics: ["speedrun", "setup"],
          suggested_actions: ["Clip the skip", "Thank the raiders"],
        }),
      }),
    );
    await dashboard.page.locator("[data-testid='context-latest'][data-id='ctx-2']").waitFor();
    expect(await text("context-summary")).toBe("Chat erupts as the skip lands on the first try.");
    expect(
      await dashboard.page.getByTestId("context-sentiment").getAttribute("data-sentiment"),
    ).toBe("positive");
    expect(await text("context-energy")).toBe("85 %");
    expect(await text("context-source")).toBe("Model · qwen2.5-7b-instruct");
    expect(await dashboard.page.getByTestId("context-action").allTextContents()).toEqual([
      "Clip the skip",
      "Thank the raiders",
    ]);
    expect(await dashboard.page.getByTestId("context-topic").allTextContents()).toEqual([
      "speedrun",
      "setup",
    ]);
    expect(
      await dashboard.page
        .getByTestId("context-stream-topic")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-topic"))),
    ).toEqual(["setup", "speedrun"]);
    await dashboard.page.locator("[data-testid='context-chart'][data-points='2']").waitFor();
    const chart = await dashboard.page.getByTestId("context-chart").getAttribute("aria-label");
    expect(chart).toContain("now 85 % energy and positive");
    await dashboard.screenshot("context-live", true);
  });

  it("shows the AI worker's analysis of chat and speech sent to the hub, with no model configured", async () => {
    const healthPort = await freePort();
    const seed = spawnProgram(["bun", SEED_MAIN], {
      name: "seed",
      env: {
        LANDALE_HUB_URL: dashboard.hub.url,
        LANDALE_WORKER_TOKEN: WORKER_TOKEN,
        SEED_HEALTH_PORT: String(healthPort),
        SEED_ANALYSIS_INTERVAL_MS: "500",
        SEED_CONTEXT_INTERVAL_MS: "500",
        SEED_ANALYSIS_WINDOW_MS: "60000",
        LANDALE_EXIT_WITH_PARENT: "1",
        LOG_LEVEL: "warn",
      },
    });
    try {
      // The worker is ready once its health says both of its topics are joined.
      await seed.until("the AI worker to join its topics", async () => {
        const answer = await fetch(`http://127.0.0.1:${healthPort}/health`).catch(() => null);
        if (answer === null || !answer.ok) return false;
        const health = (await answer.json()) as { link: { joined: Record<string, boolean> } };
        return Object.values(health.link.joined).every(Boolean);
      });
      const said = "this boss is so hard but we are going to win today";
      const transcription = await dashboard
        .worker()
        .push(TRANSCRIPTION_LIVE, "submit_transcription", {
          id: crypto.randomUUID(),
          session_id: "stream_today",
          ts: new Date().toISOString(),
          duration_ms: 3000,
          text: said,
        });
      expect(transcription).toMatchObject({ status: "ok" });
      for (const [n, line] of ["LETS GO this is hype", "you got this!!", "so good"].entries()) {
        const chat = {
          type: "channel.chat.message",
          data: {
            ...TWITCH_SAMPLES["channel.chat.message"],
            message_id: `context-chat-${n}`,
            chatter_user_id: `70${n}`,
            chatter_user_login: `viewer${n}`,
            chatter_user_name: `Viewer${n}`,
            message: {
              text: line,
              fragments: [
                { type: "text", text: line, cheermote: null, emote: null, mention: null },
              ],
            },
          },
        };
        const posted = await fetch(`${dashboard.hub.url}/api/events`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(chat),
        });
        expect(posted.status).toBe(202);
      }
      // The worker's context is the newest window: the view shows it as the latest, live.
      await dashboard.page
        .locator("[data-testid='context-latest']:not([data-id='ctx-2'])")
        .waitFor({ timeout: WAIT_MS * 2 });
      expect(await text("context-source")).toBe("Offline fallback · no model configured");
      await dashboard.screenshot("context-from-worker", true);
    } finally {
      seed.child.kill("SIGTERM");
      await seed.child.exited;
    }
  });
});
