import { afterEach, describe, expect, it } from "bun:test";
import { startFakeObs } from "./fake";
import type { FakeObs, FakeObsOptions } from "./fake-types";
import { OBS_EVENT_SUBSCRIPTION as SUB } from "./protocol";
import { connectObs, type RawObsClient } from "./raw-client";

const fakes: FakeObs[] = [];
const clients: RawObsClient[] = [];

function start(options: FakeObsOptions = {}) {
  const obs = startFakeObs(options);
  fakes.push(obs);
  return obs;
}
async function connect(obs: FakeObs, eventSubscriptions?: number) {
  const client = await connectObs(obs.url, { eventSubscriptions });
  clients.push(client);
  return client;
}
const states = (client: RawObsClient, eventType: string) =>
  client
    .events()
    .filter((event) => event.eventType === eventType)
    .map((event) => event.eventData?.outputState);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(fakes.splice(0).map((obs) => obs.stop()));
});

describe("scene events", () => {
  it("announces a scene the streamer clicks in OBS", async () => {
    const obs = start();
    const client = await connect(obs);
    obs.setProgramScene("BRB");
    const game = obs.snapshot().scenes.find((scene) => scene.sceneName === "BRB")!;
    expect(await client.event("CurrentProgramSceneChanged")).toEqual({
      eventType: "CurrentProgramSceneChanged",
      eventIntent: SUB.Scenes,
      eventData: { sceneName: "BRB", sceneUuid: game.sceneUuid },
    });
  });

  it("sends a request's response before the events it caused", async () => {
    const obs = start();
    const client = await connect(obs);
    await client.call("SetCurrentProgramScene", { sceneName: "Game" });
    await client.event("CurrentProgramSceneChanged");
    const ops = client.received().map((message) => message.op);
    expect(ops.slice(-2)).toEqual([7, 5]);
  });

  it("announces studio mode and the preview scene", async () => {
    const obs = start();
    const client = await connect(obs);
    obs.setStudioMode(true);
    expect((await client.event("StudioModeStateChanged")).eventIntent).toBe(SUB.Ui);
    obs.setPreviewScene("Ending");
    expect((await client.event("CurrentPreviewSceneChanged")).eventData?.sceneName).toBe("Ending");
  });

  it("announces a new scene list and moves the program off a removed scene", async () => {
    const obs = start();
    const client = await connect(obs);
    obs.setScenes(["Intro", "Game"]);
    const list = await client.event("SceneListChanged");
    const scenes = list.eventData?.scenes as Array<{ sceneName: string; sceneIndex: number }>;
    expect(scenes.map(({ sceneName, sceneIndex }) => [sceneName, sceneIndex])).toEqual([
      ["Game", 0],
      ["Intro", 1],
    ]);
    expect((await client.event("CurrentProgramSceneChanged")).eventData?.sceneName).toBe("Intro");
  });

  it("announces a renamed scene with SceneNameChanged alone, also the scene on program", async () => {
    const obs = start({ programScene: "BRB" });
    const client = await connect(obs);
    const brb = obs.snapshot().scenes.find((scene) => scene.sceneName === "BRB")!;
    obs.renameScene("BRB", "Chatting");
    expect(await client.event("SceneNameChanged")).toEqual({
      eventType: "SceneNameChanged",
      eventIntent: SUB.Scenes,
      eventData: { sceneUuid: brb.sceneUuid, oldSceneName: "BRB", sceneName: "Chatting" },
    });
    // OBS says nothing more: the program scene is the same scene under its new name.
    expect((await client.call("GetCurrentProgramScene")).responseData).toMatchObject({
      sceneName: "Chatting",
      sceneUuid: brb.sceneUuid,
    });
    expect(client.events().map((event) => event.eventType)).toEqual(["SceneNameChanged"]);
    expect(obs.snapshot().programScene).toBe("Chatting");
    expect(() => obs.renameScene("Chatting", "Game")).toThrow('a source is already named "Game"');
  });

  it("turns studio mode on with the program in preview, announcing no preview scene", async () => {
    const obs = start({ programScene: "Game" });
    const client = await connect(obs);
    obs.setStudioMode(true);
    await client.event("StudioModeStateChanged");
    expect((await client.call("GetCurrentPreviewScene")).responseData).toMatchObject({
      currentPreviewSceneName: "Game",
    });
    expect(client.events().map((event) => event.eventType)).toEqual(["StudioModeStateChanged"]);
  });

  it("announces a browser source the streamer adds", async () => {
    const obs = start();
    const client = await connect(obs);
    obs.addBrowserSource({ name: "Alerts", url: "http://127.0.0.1:7175/overlays/alerts" });
    const { eventIntent, eventData } = await client.event("InputCreated");
    expect(eventIntent).toBe(SUB.Inputs);
    expect(eventData).toMatchObject({
      inputName: "Alerts",
      inputKind: "browser_source",
      inputSettings: { url: "http://127.0.0.1:7175/overlays/alerts" },
      defaultInputSettings: { width: 800, height: 600 },
    });
  });
});

describe("output events", () => {
  it("announces a stream started and stopped in OBS, step by step", async () => {
    const obs = start();
    const client = await connect(obs);
    obs.startStreamExternally();
    const starting = await client.event("StreamStateChanged");
    expect(starting).toEqual({
      eventType: "StreamStateChanged",
      eventIntent: SUB.Outputs,
      eventData: { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_STARTING" },
    });
    expect((await client.event("StreamStateChanged")).eventData).toEqual({
      outputActive: true,
      outputState: "OBS_WEBSOCKET_OUTPUT_STARTED",
    });
    obs.stopStreamExternally();
    await client.event("StreamStateChanged");
    await client.event("StreamStateChanged");
    expect(states(client, "StreamStateChanged")).toEqual([
      "OBS_WEBSOCKET_OUTPUT_STARTING",
      "OBS_WEBSOCKET_OUTPUT_STARTED",
      "OBS_WEBSOCKET_OUTPUT_STOPPING",
      "OBS_WEBSOCKET_OUTPUT_STOPPED",
    ]);
  });

  it("answers StartStream with success and then fails the start, as with a wrong stream key", async () => {
    const obs = start();
    const client = await connect(obs);
    obs.failStreamStarts(true);
    expect((await client.call("StartStream")).requestStatus).toEqual({ result: true, code: 100 });
    await client.event("StreamStateChanged");
    expect((await client.event("StreamStateChanged")).eventData?.outputState).toBe(
      "OBS_WEBSOCKET_OUTPUT_STOPPED",
    );
    expect(obs.snapshot().streaming).toBe(false);
  });

  it("announces the recording's states, with the file when it starts and stops", async () => {
    const obs = start({ recordDirectory: "/rec" });
    const client = await connect(obs);
    obs.startRecordExternally();
    obs.setRecordPausedExternally(true);
    obs.setRecordPausedExternally(false);
    obs.stopRecordExternally();
    for (let seen = 0; seen < 6; seen += 1) await client.event("RecordStateChanged");
    const events = client.events().map((event) => event.eventData);
    const path = obs.snapshot().recordPath;
    expect(path).toStartWith("/rec/");
    expect(events).toEqual([
      { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_STARTING", outputPath: null },
      { outputActive: true, outputState: "OBS_WEBSOCKET_OUTPUT_STARTED", outputPath: path },
      { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_PAUSED", outputPath: null },
      { outputActive: true, outputState: "OBS_WEBSOCKET_OUTPUT_RESUMED", outputPath: null },
      { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_STOPPING", outputPath: null },
      { outputActive: false, outputState: "OBS_WEBSOCKET_OUTPUT_STOPPED", outputPath: path },
    ]);
  });

  it("announces the virtual camera and the replay buffer", async () => {
    const obs = start({ replayBuffer: true });
    const client = await connect(obs);
    obs.setVirtualCamExternally(true);
    expect((await client.event("VirtualcamStateChanged")).eventData?.outputState).toBe(
      "OBS_WEBSOCKET_OUTPUT_STARTED",
    );
    obs.setReplayBufferExternally(true);
    await client.event("ReplayBufferStateChanged");
    await client.event("ReplayBufferStateChanged");
    expect(states(client, "ReplayBufferStateChanged")).toEqual([
      "OBS_WEBSOCKET_OUTPUT_STARTING",
      "OBS_WEBSOCKET_OUTPUT_STARTED",
    ]);
  });
});

describe("event subscriptions", () => {
  it("sends each client only the categories it subscribed to", async () => {
    const obs = start();
    const outputsOnly = await connect(obs, SUB.Outputs);
    const everything = await connect(obs);
    const nothing = await connect(obs, SUB.None);
    obs.setProgramScene("Game");
    obs.setStudioMode(true);
    obs.startStreamExternally();
    await outputsOnly.event("StreamStateChanged");
    await outputsOnly.event("StreamStateChanged");
    await everything.event("StreamStateChanged");
    await everything.event("StreamStateChanged");
    expect(outputsOnly.events().map((event) => event.eventType)).toEqual([
      "StreamStateChanged",
      "StreamStateChanged",
    ]);
    expect(everything.events().map((event) => event.eventType)).toEqual([
      "CurrentProgramSceneChanged",
      "StudioModeStateChanged",
      "StreamStateChanged",
      "StreamStateChanged",
    ]);

    nothing.send({ op: 3, d: { eventSubscriptions: SUB.Scenes } });
    await nothing.nextOp(2);
    obs.setProgramScene("BRB");
    await nothing.event("CurrentProgramSceneChanged");
    expect(nothing.events()).toHaveLength(1);
  });
});
