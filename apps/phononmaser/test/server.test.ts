/**
 * The audio socket as senders and subscribers meet it: the `status` greeting, every refusal with
 * its close code and reason, the source limit, `/events` fan-out that audio sources never see,
 * the health endpoint, and a stop that leaves nothing listening.
 */
import { describe, expect, it } from "bun:test";
import { binaryFrame, jsonAudioFrame, sinePcm } from "./support/frames";
import { eventually, openSocket, startTestWorker } from "./support/worker";

const quiet = () => sinePcm("int16", { frames: 1024, amplitude: 0.01 });

describe("an audio source", () => {
  it("is greeted with the older worker's status message", async () => {
    const test = await startTestWorker();
    const socket = await openSocket(`${test.worker.audioUrl}/any/path`);
    await eventually("the greeting", () => socket.messages.length === 1);
    expect(JSON.parse(socket.messages[0] ?? "")).toEqual({
      type: "status",
      connected: true,
      receiving: false,
      bufferSize: 0,
      transcribing: false,
      droppedEvents: 0,
      queueSize: 0,
    });
    socket.ws.send(JSON.stringify({ type: "start" }));
    socket.ws.send(JSON.stringify({ type: "heartbeat" }));
    for (let i = 0; i < 5; i++) socket.ws.send(binaryFrame({ pcm: quiet() }));
    await eventually("the frames taken", () => test.worker.health().audio.frames === 5);
    const second = await openSocket(test.worker.audioUrl);
    await eventually("the second greeting", () => second.messages.length === 1);
    const status = JSON.parse(second.messages[0] ?? "");
    expect(status.receiving).toBe(true);
    // The pre-roll the pipeline holds: whole 30 ms frames of 16 kHz int16.
    expect(status.bufferSize).toBeGreaterThan(0);
    expect(status.bufferSize % 960).toBe(0);
  });

  const refusals: Array<[string, string | Uint8Array, number, string]> = [
    [
      "a short frame",
      new Uint8Array(10),
      1007,
      "frame of 10 bytes is shorter than the 28-byte header",
    ],
    [
      "a zero rate",
      binaryFrame({ sampleRate: 0 }),
      1007,
      "sample_rate 0 is outside 8000-384000 Hz",
    ],
    [
      "an absurd rate",
      binaryFrame({ sampleRate: 1_000_000 }),
      1007,
      "sample_rate 1000000 is outside 8000-384000 Hz",
    ],
    ["zero channels", binaryFrame({ channels: 0 }), 1007, "channels 0 is outside 1-32"],
    ["64 channels", binaryFrame({ channels: 64 }), 1007, "channels 64 is outside 1-32"],
    [
      "a 24-bit depth",
      binaryFrame({ bitDepth: 24 }),
      1007,
      "bit_depth 24 is not supported (16 or 32)",
    ],
    [
      "a string past the end",
      binaryFrame({ sourceId: "mic", sourceName: "Mic", nameLength: 1000 }),
      1007,
      "source_id_len 3 + source_name_len 1000 run past the frame's end (6 bytes after the header)",
    ],
    [
      "a frame over 1 MiB",
      binaryFrame({
        channels: 1,
        sourceId: "m",
        sourceName: "M",
        pcm: new Uint8Array(1024 * 1024),
      }),
      1009,
      "frame of 1048606 bytes is over the 1048576 limit",
    ],
    ["text that is not JSON", "hello", 1007, "text frame is not JSON"],
    [
      "an unknown message type",
      JSON.stringify({ type: "subscribe" }),
      1003,
      'unknown message type (expected "start", "stop", "heartbeat" or "audio_data")',
    ],
    [
      "audio_data with bad hex",
      jsonAudioFrame().replace(/"data":"[^"]*"/, '"data":"xyz"'),
      1007,
      "audio_data: data is not an even number of hex digits",
    ],
  ];
  for (const [what, frame, code, reason] of refusals) {
    it(`is closed with ${code} for ${what}`, async () => {
      const test = await startTestWorker();
      const socket = await openSocket(test.worker.audioUrl);
      socket.ws.send(frame);
      expect(await socket.closed).toEqual({ code, reason });
      expect(test.worker.health().audio.refused_connections).toBe(1);
    });
  }

  it("is closed by Bun itself with 1009 for a frame over twice the limit", async () => {
    const test = await startTestWorker();
    const socket = await openSocket(test.worker.audioUrl);
    socket.ws.send(new Uint8Array(3 * 1024 * 1024));
    expect((await socket.closed).code).toBe(1009);
  });

  it("is refused past 16 sources, and the refusal is counted", async () => {
    const test = await startTestWorker();
    const socket = await openSocket(test.worker.audioUrl);
    for (let i = 0; i < 17; i++)
      socket.ws.send(binaryFrame({ sourceId: `source-${i}`, pcm: quiet() }));
    expect(await socket.closed).toEqual({
      code: 1008,
      reason: 'too many audio sources: "source-16" was not taken',
    });
    const health = test.worker.health();
    expect(health.audio.refused_sources).toBe(1);
    // The connection's sources ended with it.
    await eventually("the sources released", () => test.worker.health().audio.sources.length === 0);
  });
});

describe("the connection limit", () => {
  it("refuses a 17th audio connection, and keeps a long reason within 123 bytes", async () => {
    const test = await startTestWorker();
    const sockets = [];
    for (let i = 0; i < 16; i++) sockets.push(await openSocket(test.worker.audioUrl));
    const extra = await openSocket(test.worker.audioUrl);
    expect(await extra.closed).toEqual({
      code: 1008,
      reason: "too many audio connections (at most 16)",
    });
    // The 16 are still served: one of them sends 16 sources with long ids, then a 17th.
    const [first] = sockets;
    const id = (n: number) => `${"x".repeat(120)}-${n}`;
    for (let i = 0; i < 17; i++) first?.ws.send(binaryFrame({ sourceId: id(i), pcm: quiet() }));
    const closed = await first?.closed;
    expect(closed?.code).toBe(1008);
    expect(new TextEncoder().encode(closed?.reason).byteLength).toBeLessThanOrEqual(123);
    expect(closed?.reason).toStartWith('too many audio sources: "xxx');
    expect(closed?.reason).toEndWith("...");
  });
});

describe("/events", () => {
  it("gets audio:chunk for every source, which audio sources never get", async () => {
    const test = await startTestWorker();
    const subscriber = await openSocket(`${test.worker.audioUrl}/events`);
    const source = await openSocket(test.worker.audioUrl);
    const other = await openSocket(test.worker.audioUrl);
    await eventually(
      "the greetings",
      () => source.messages.length === 1 && other.messages.length === 1,
    );
    source.ws.send(
      binaryFrame({
        timestampNs: 1_700_000_000_000_000_000n,
        sourceId: "mic",
        sourceName: "Mic",
        pcm: quiet(),
      }),
    );
    other.ws.send(
      jsonAudioFrame({
        timestamp: 1_700_000_000_000_000,
        sourceId: "desk",
        sourceName: "Desk",
        pcm: quiet(),
      }),
    );
    await eventually("two chunks", () => subscriber.messages.length === 2);
    expect(subscriber.messages.map((message) => JSON.parse(message))).toContainEqual({
      type: "audio:chunk",
      timestamp: 1_700_000_000_000_000,
      source_id: "mic",
      source_name: "Mic",
      size: 4096,
    });
    expect(subscriber.messages.map((message) => JSON.parse(message).source_id).sort()).toEqual([
      "desk",
      "mic",
    ]);
    // What a subscriber sends is ignored, and it is never greeted or refused.
    subscriber.ws.send(new Uint8Array(3));
    source.ws.send(binaryFrame({ sourceId: "mic", pcm: quiet() }));
    await eventually("the third frame", () => test.worker.health().audio.frames === 3);
    expect(source.messages.length).toBe(1);
    expect(other.messages.length).toBe(1);
    expect(test.worker.health().events.subscribers).toBe(1);
  });
});

describe("the health endpoint", () => {
  it("answers GET /health with the sources, queues, engine and link", async () => {
    const test = await startTestWorker();
    const socket = await openSocket(test.worker.audioUrl);
    socket.ws.send(
      binaryFrame({
        sourceId: "mic",
        sourceName: "Mic",
        bitDepth: 32,
        pcm: sinePcm("float32", { frames: 960 }),
      }),
    );
    await eventually("the frame taken", () => test.worker.health().audio.frames === 1);
    const response = await fetch(test.worker.healthUrl);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      status: "ok",
      service: "phononmaser",
      problems: [],
      audio: {
        connections: 1,
        frames: 1,
        bytes: 960 * 2 * 4,
        sources: [
          { id: "mic", name: "Mic", sample_rate: 48_000, channels: 2, encoding: "float32" },
        ],
      },
      queue: { depth: 0, capacity: 16, dropped: 0 },
      events: { subscribers: 0, dropped: 0 },
      engine: { name: "none", state: "ready", message: null },
      transcription: { transcribing: false, completed: 0, last_age_ms: null },
      link: null,
    });
    expect((await fetch(test.worker.healthUrl.replace("/health", "/nope"))).status).toBe(404);
  });

  it("stops listening, on both ports, once the worker stops", async () => {
    const test = await startTestWorker();
    const socket = await openSocket(test.worker.audioUrl);
    await test.worker.stop();
    expect((await socket.closed).code).not.toBe(1000);
    await expect(fetch(test.worker.healthUrl)).rejects.toThrow();
    await expect(openSocket(test.worker.audioUrl)).rejects.toThrow();
  });
});
