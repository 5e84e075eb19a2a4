/**
 * The Transcripts view in a real browser (Debian's Chromium through playwright-core) against a
 * real hub started as a child process, fed by a worker (`@landale/client` with the worker token)
 * as the audio worker would: a line said before the page opened is read back, a new one appears
 * at the top as it is submitted, and the search finds lines by their words with their session.
 * Each step is saved as a screenshot under `test-output/`. Needs `bun run build` first.
 */
import { describe, expect, it } from "bun:test";
import { TRANSCRIPTION_LIVE } from "@landale/shared";
import { useDashboardWithWorker } from "./support/page";

const TOKEN = "dashboard-transcripts-test-token";
const WORKER_TOKEN = "dashboard-transcripts-worker-token";

async function say(
  id: string,
  text: string,
  session = "stream_2026_11_21",
  source = "mic",
): Promise<void> {
  const reply = await dashboard.worker().push(TRANSCRIPTION_LIVE, "submit_transcription", {
    id,
    session_id: session,
    ts: new Date().toISOString(),
    duration_ms: 1800,
    text,
    source_id: source,
    confidence: 0.87,
  });
  expect(reply.status).toBe("ok");
}

const liveIds = () =>
  dashboard.page
    .getByTestId("transcripts-live-item")
    .evaluateAll((items) => items.map((item) => item.getAttribute("data-id")));

const dashboard = useDashboardWithWorker({ control: TOKEN, worker: WORKER_TOKEN });

describe("the dashboard's Transcripts view against a real hub", () => {
  it("reads back what was said before it opened, then shows new lines at the top", async () => {
    await say("line-1", "welcome back to the stream everyone");
    await dashboard.signIn(TOKEN, { path: "transcripts" });
    await dashboard.page.locator("#view-title").filter({ hasText: "Transcripts" }).waitFor();
    await dashboard.page
      .getByTestId("transcripts-live-item")
      .filter({ hasText: "welcome back" })
      .waitFor();
    await dashboard.page.getByTestId("transcripts-search-hint").waitFor();
    await dashboard.screenshot("transcripts-read-back", true);

    await say(
      "line-2",
      "the quick brown foxes are speedrunning tonight",
      "stream_other",
      "guest-mic",
    );
    await dashboard.page.waitForFunction(
      () => document.querySelectorAll("[data-testid='transcripts-live-item']").length === 2,
    );
    expect(await liveIds()).toEqual(["line-2", "line-1"]);
    const newest = dashboard.page.getByTestId("transcripts-live-item").first();
    expect(await newest.getByTestId("transcript-session").textContent()).toBe("stream_other");
    // Two microphones: each line says which one heard it.
    expect(await newest.getByTestId("transcript-source").textContent()).toBe("guest-mic");
    expect(await newest.textContent()).toContain("87 %");
  });

  it("searches by words in their other forms, with each match's session, and says when none match", async () => {
    await dashboard.page.getByTestId("transcripts-search-input").fill("fox");
    await dashboard.page.getByTestId("transcripts-search-submit").click();
    const result = dashboard.page.getByTestId("transcripts-search-result");
    await result.filter({ hasText: "brown foxes" }).waitFor();
    expect(await result.count()).toBe(1);
    expect(await result.getByTestId("transcript-session").textContent()).toBe("stream_other");
    expect(await dashboard.page.getByTestId("transcripts-search-count").textContent()).toContain(
      "1 match",
    );
    await dashboard.screenshot("transcripts-search", true);

    await dashboard.page.getByTestId("transcripts-search-input").fill('"boss fight"');
    await dashboard.page.getByTestId("transcripts-search-submit").click();
    await dashboard.page
      .getByTestId("transcripts-search-empty")
      .filter({ hasText: "boss fight" })
      .waitFor();

    await dashboard.page.getByTestId("transcripts-search-input").fill("   ");
    await dashboard.page.getByTestId("transcripts-search-submit").click();
    await dashboard.page
      .getByTestId("transcripts-search-error")
      .filter({ hasText: "type a word" })
      .waitFor();

    await dashboard.page.getByTestId("transcripts-search-clear").click();
    await dashboard.page.getByTestId("transcripts-search-hint").waitFor();
  });
});
