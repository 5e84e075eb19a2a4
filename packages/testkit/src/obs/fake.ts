/**
 * A fake OBS for tests: one Bun server on 127.0.0.1 speaking obs-websocket 5 (rpcVersion 1) over
 * real sockets (`sessions.ts`), answering requests from a small model of OBS (`state.ts`,
 * `requests.ts`), with controls that act as the streamer would in OBS — and that quit OBS and
 * start it again on the same port.
 */
import type { Server } from "bun";
import type { FakeObs, FakeObsCloseOptions, FakeObsOptions, FakeObsPress } from "./fake-types";
import { OBS_CLOSE, OBS_EVENT_SUBSCRIPTION } from "./protocol";
import { processRequest } from "./requests";
import { createObsSessions, type ObsSocketData } from "./sessions";
import { createObsState, type FakeObsInputSpec, type FakeObsScene } from "./state";

/** Button presses kept for `pressedButtons()`; the oldest beyond this are dropped. */
const PRESSES_KEPT = 1_000;

export const DEFAULT_FAKE_OBS_SCENES = ["Starting Soon", "Game", "BRB", "Ending"];

export function startFakeObs(options: FakeObsOptions = {}): FakeObs {
  const now = () => Date.now();
  const scenes = options.scenes ?? DEFAULT_FAKE_OBS_SCENES;
  const browserSources = (options.browserSources ?? []).map(
    ({ name, url, width, height }): FakeObsInputSpec => ({
      inputName: name,
      inputKind: "browser_source",
      inputSettings: { url, ...(width ? { width } : {}), ...(height ? { height } : {}) },
    }),
  );
  const otherInputs = options.inputs ?? [
    {
      inputName: "Mic/Aux",
      inputKind: "pulse_input_capture",
      inputSettings: { device_id: "default" },
    },
  ];
  const presses: FakeObsPress[] = [];
  const versions = {
    obsVersion: options.obsVersion ?? "32.0.1",
    obsWebSocketVersion: options.obsWebSocketVersion ?? "5.6.3",
    platform: "ubuntu",
    platformDescription: "Ubuntu 24.04.3 LTS",
  };

  const state = createObsState({
    scenes,
    inputs: [...otherInputs, ...browserSources],
    virtualCam: options.virtualCam ?? true,
    replayBuffer: options.replayBuffer ?? false,
    recordDirectory: options.recordDirectory ?? "/home/streamer/Videos",
    now,
    emit: (intent, eventType, eventData) => sessions.broadcast(intent, eventType, eventData),
  });
  const sessions = createObsSessions({
    password: options.password ?? null,
    obsVersion: versions.obsVersion,
    obsWebSocketVersion: versions.obsWebSocketVersion,
    now,
    run: (client, requestType, requestData) =>
      processRequest(requestType, requestData, {
        state,
        versions,
        messages: { incoming: client.incomingMessages, outgoing: client.outgoingMessages },
        pressed: (inputName, inputUuid, propertyName) => {
          presses.push({ inputName, inputUuid, propertyName, at: now() });
          if (presses.length > PRESSES_KEPT) presses.splice(0, presses.length - PRESSES_KEPT);
        },
      }),
  });
  if (options.programScene) state.setProgram(sceneNamed(options.programScene));

  function sceneNamed(name: string): FakeObsScene {
    const scene = state.scene(name);
    if (!scene) throw new Error(`the fake OBS has no scene named "${name}"`);
    return scene;
  }
  function expectOutput(active: boolean, expected: boolean, what: string) {
    if (active !== expected)
      throw new Error(`the fake OBS is ${active ? "already" : "not"} ${what}`);
  }

  const serve = (port: number): Server<ObsSocketData> =>
    Bun.serve<ObsSocketData>({
      hostname: "127.0.0.1",
      port,
      // obs-websocket accepts the upgrade on any path.
      fetch: (request, server) => sessions.upgrade(request, server),
      websocket: sessions.websocket,
    });
  let server: Server<ObsSocketData> | null = serve(options.port ?? 0);
  const port = server.port ?? 0;
  let stopped = false;

  const close = async (closing: FakeObsCloseOptions = {}) => {
    const running = server;
    if (!running) return;
    server = null;
    if (!closing.abrupt && closing.exitStarted !== false) {
      sessions.broadcast(OBS_EVENT_SUBSCRIPTION.General, "ExitStarted");
    }
    sessions.setReady(false);
    state.stopOutputsSilently();
    const gone = sessions.closeAll(
      { close: OBS_CLOSE.GoingAway, reason: "Server stopping." },
      closing.abrupt,
    );
    await running.stop(true);
    await gone;
  };

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    snapshot: () => ({
      programScene: state.program().sceneName,
      previewScene: state.preview()?.sceneName ?? null,
      studioMode: state.studioMode(),
      scenes: state.scenes(),
      inputs: state.inputs(),
      streaming: state.active("stream"),
      recording: state.active("record"),
      recordPaused: state.recordPaused(),
      recordPath: state.lastRecordPath(),
      virtualCam: state.active("virtualcam"),
      replayBuffer: state.active("replayBuffer"),
    }),
    setProgramScene: (name) => state.setProgram(sceneNamed(name)),
    setPreviewScene(name) {
      if (!state.studioMode()) throw new Error("the fake OBS is not in studio mode");
      state.setPreview(sceneNamed(name));
    },
    setStudioMode: (enabled) => state.setStudioMode(enabled),
    setScenes: (names) => state.setScenes(names),
    renameScene: (name, newName) => state.renameScene(sceneNamed(name), newName),
    addBrowserSource: ({ name, url, width, height }) =>
      state.addInput({
        inputName: name,
        inputKind: "browser_source",
        inputSettings: { url, ...(width ? { width } : {}), ...(height ? { height } : {}) },
      }),
    startStreamExternally() {
      expectOutput(state.active("stream"), false, "streaming");
      state.startStream();
    },
    stopStreamExternally() {
      expectOutput(state.active("stream"), true, "streaming");
      state.stopStream();
    },
    startRecordExternally() {
      expectOutput(state.active("record"), false, "recording");
      state.startRecord();
    },
    stopRecordExternally() {
      expectOutput(state.active("record"), true, "recording");
      state.stopRecord();
    },
    setRecordPausedExternally(paused) {
      expectOutput(state.active("record"), true, "recording");
      state.setRecordPaused(paused);
    },
    setVirtualCamExternally: (active) => state.setVirtualCam(active),
    setReplayBufferExternally(active) {
      if (!state.replayBufferAvailable())
        throw new Error("the fake OBS's replay buffer is disabled");
      state.setReplayBuffer(active);
    },
    failStreamStarts: (fail) => state.failStreamStarts(fail),
    setStats: (stats) => state.setStats(stats),
    clients: () => sessions.clients(),
    requests: () => sessions.requests(),
    pressedButtons: () => presses.map((press) => ({ ...press })),
    hang: (hang) => sessions.hang(hang),
    heldRequests: () => sessions.held(),
    kick(clientId) {
      if (!sessions.kick(clientId)) throw new Error(`the fake OBS has no client ${clientId}`);
    },
    close,
    async restart() {
      if (stopped) throw new Error("the fake OBS was stopped");
      if (server) throw new Error("the fake OBS is running");
      sessions.renewSalt();
      sessions.setReady(true);
      server = serve(port);
    },
    async stop() {
      stopped = true;
      await close({ exitStarted: false });
    },
  };
}
