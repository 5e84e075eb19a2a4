/**
 * The link to the hub, as processes over real sockets: the worker (`bun src/main.ts`) with the
 * fake whisper-cli as its engine (each run answers the next "caption number N"), and the real
 * hub. Transcriptions reach the hub through a hub restart, each stored once; a full queue drops
 * the oldest and says so; the whisper prompt names the hub's recent chatters.
 */
import { describe, expect, it, onTestFinished, setDefaultTimeout } from "bun:test";
import { createClient } from "@landale/client";
import { PUSH, TRANSCRIPTION_LIVE } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { concatAudio, freePort, type ObsAudio, sendAudio, speak } from "@landale/testkit";
import {
  audioSocket,
  fakeWhisper,
  numberedAnswers,
  startHub,
  startWorkerProcess,
  storedTranscriptions,
  WORKER_TOKEN,
} from "./support/hub";
import { eventually } from "./support/worker";

setDefaultTimeout(120_000);

const SENTENCE = "the quick brown fox jumps over the lazy dog";
/** One segment each: the sentence, with enough silence after it to close the segment. */
const speech = () => speak(SENTENCE, { encoding: "float32", padBeforeS: 0.3, padAfterS: 1.2 });

function durationNs(audio: ObsAudio): bigint {
  const frames = audio.pcm.byteLength / (4 * audio.channels);
  return BigInt(Math.round((frames / audio.rate) * 1e9));
}

/** Streams `audio` again and again at twice real-time pace until `signal` aborts. */
async function streamUntil(ws: WebSocket, audio: ObsAudio, signal: AbortSignal): Promise<void> {
  let startNs = BigInt(Date.now()) * 1_000_000n;
  while (!signal.aborted) {
    await sendAudio(ws, audio, { pace: 2, startNs, signal });
    startNs += durationNs(audio);
  }
  // Closes the speech still open, so its segment is transcribed too.
  ws.send(JSON.stringify({ type: "stop" }));
}

describe("the link to the hub", () => {
  it("delivers every transcription across a hub restart, each stored and pushed once", async () => {
    const hub = await startHub();
    const fake = await fakeWhisper(numberedAnswers(200));
    const worker = await startWorkerProcess(hub.url, fake);
    await eventually("the link up", async () => (await worker.health()).link?.connected === true);

    const listener = createClient({ url: `${hub.url.replace(/^http/, "ws")}/socket` });
    onTestFinished(() => listener.close());
    const pushed: string[] = [];
    listener.subscribe(TRANSCRIPTION_LIVE, PUSH.newTranscription, (transcription) =>
      pushed.push(transcription.id),
    );

    const ws = await audioSocket(`${worker.audioUrl}/mic`);
    const streaming = new AbortController();
    onTestFinished(() => streaming.abort());
    const stream = streamUntil(ws, await speech(), streaming.signal);

    await eventually("two stored", async () => (await storedTranscriptions(hub.url)).length >= 2);
    await hub.kill();
    // Transcriptions made while the hub is down wait in the link's queue.
    await eventually("two waiting for the hub", async () => {
      const { link } = await worker.health();
      return link?.connected === false && link.queue.depth >= 2;
    });
    await hub.start();
    const afterRestart = (await storedTranscriptions(hub.url)).length;
    await eventually(
      "more stored after the restart",
      async () => (await storedTranscriptions(hub.url)).length >= afterRestart + 4,
    );
    streaming.abort();
    await stream;

    await eventually("the worker and its link idle", async () => {
      const health = await worker.health();
      return (
        health.queue.depth === 0 &&
        !health.transcription.transcribing &&
        health.link?.queue.depth === 0 &&
        health.transcription.completed === (await fake.invocations()).length
      );
    });
    const health = await worker.health();
    const runs = (await fake.invocations()).length;
    const stored = await storedTranscriptions(hub.url);
    expect(health.link).toMatchObject({ connected: true, queue: { dropped: 0 }, refused: 0 });
    expect(health.queue.dropped).toBe(0);
    expect(health.transcription.completed).toBe(runs);
    // Every run's text stored once: none lost, none twice.
    expect(stored.map((transcription) => transcription.text).sort()).toEqual(
      numberedAnswers(runs)
        .map((answer) => ("text" in answer ? String(answer.text) : ""))
        .sort(),
    );
    expect(new Set(stored.map((transcription) => transcription.id)).size).toBe(runs);
    expect(stored.every((transcription) => transcription.source_id === "mic")).toBe(true);
    // A re-sent transcription is answered, not pushed to captions again.
    expect(new Set(pushed).size).toBe(pushed.length);
  });

  it("keeps at most PHONONMASER_LINK_QUEUE while the hub is away, dropping the oldest and saying so", async () => {
    const port = await freePort();
    const fake = await fakeWhisper(numberedAnswers(20));
    const worker = await startWorkerProcess(`http://127.0.0.1:${port}`, fake, {
      PHONONMASER_LINK_QUEUE: "2",
    });
    const ws = await audioSocket(`${worker.audioUrl}/mic`);
    const one = await speech();
    await sendAudio(ws, concatAudio([one, one, one, one, one]));
    ws.send(JSON.stringify({ type: "stop" }));
    await eventually("five transcribed", async () => {
      const health = await worker.health();
      return health.transcription.completed === 5 && health.link?.queue.depth === 2;
    });
    const health = await worker.health();
    expect(health.link).toMatchObject({ connected: false, queue: { depth: 2, dropped: 3 } });
    expect(health.status).toBe("degraded");
    expect(health.problems).toContain("the link to the hub is down");

    // The hub comes up where the worker looks for it: the two kept arrive.
    const hub = await startHub(port);
    await eventually(
      "the kept ones stored",
      async () => (await storedTranscriptions(hub.url)).length === 2,
    );
    const stored = await storedTranscriptions(hub.url);
    expect(stored.map((transcription) => transcription.text).sort()).toEqual([
      "caption number 4",
      "caption number 5",
    ]);
    await eventually("the link idle", async () => (await worker.health()).link?.queue.depth === 0);
  });

  it("names the hub's most frequent recent chatters in the whisper prompt, and stops cleanly", async () => {
    const hub = await startHub();
    const chat = (name: string, n: number) => ({
      id: `chat-${name}-${n}`,
      type: "channel.chat.message",
      data: {
        ...TWITCH_SAMPLES["channel.chat.message"],
        chatter_user_id: String(Bun.hash(name)),
        chatter_user_login: name.toLowerCase(),
        chatter_user_name: name,
        message_id: `message-${name}-${n}`,
      },
    });
    const response = await fetch(`${hub.url}/api/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${WORKER_TOKEN}` },
      body: JSON.stringify([chat("Bob", 1), chat("Alice_Streams", 1), chat("Alice_Streams", 2)]),
    });
    expect(response.status).toBeLessThan(300);
    await eventually("the chat stored", async () => {
      const page = await fetch(
        `${hub.url}/api/activity/events?type=channel.chat.message&limit=10`,
      ).then((answer) => answer.json() as Promise<{ events: unknown[] }>);
      return page.events.length === 3;
    });

    const fake = await fakeWhisper([{ text: "hello chat" }]);
    const worker = await startWorkerProcess(hub.url, fake);
    const ws = await audioSocket(`${worker.audioUrl}/mic`);
    await sendAudio(ws, await speech());
    ws.send(JSON.stringify({ type: "stop" }));
    await eventually("one stored", async () => (await storedTranscriptions(hub.url)).length === 1);
    const [run] = await fake.invocations();
    expect(run?.prompt).toBe("Participants include: Alice_Streams, Bob.");

    // Linked, it still stops cleanly: 0 only if nothing was left open (main.ts's watchdog).
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
