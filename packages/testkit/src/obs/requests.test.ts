import { afterEach, describe, expect, it } from "bun:test";
import { OBS_STATUS } from "./protocol";
import { OVERLAY_URL, start, stopAll } from "./request-harness";

afterEach(stopAll);

describe("general requests", () => {
  it("answers GetVersion with the versions and the requests it serves", async () => {
    const { call } = await start();
    const { data } = await call("GetVersion");
    expect(data).toMatchObject({
      obsVersion: "32.0.1",
      obsWebSocketVersion: "5.6.3",
      rpcVersion: 1,
    });
    expect(data?.availableRequests).toEqual(
      expect.arrayContaining([
        "GetSceneList",
        "SetCurrentProgramScene",
        "PressInputPropertiesButton",
      ]),
    );
  });

  it("answers GetStats with OBS's figures, the overrides and this session's message counts", async () => {
    const { obs, call } = await start();
    obs.setStats({ cpuUsage: 87.5, outputSkippedFrames: 12 });
    const { data } = await call("GetStats");
    expect(data).toMatchObject({ cpuUsage: 87.5, outputSkippedFrames: 12, activeFps: 60 });
    expect(data?.webSocketSessionIncomingMessages).toBe(2);
    expect(data?.webSocketSessionOutgoingMessages).toBe(2);
    for (const key of [
      "memoryUsage",
      "availableDiskSpace",
      "averageFrameRenderTime",
      "renderSkippedFrames",
      "renderTotalFrames",
      "outputTotalFrames",
    ]) {
      expect(typeof data?.[key]).toBe("number");
    }
  });

  it("answers 204 to an unknown request, 203 to an empty type, 401 to data that is not an object", async () => {
    const { call, failure } = await start();
    expect(await call("MakeCoffee")).toEqual(failure(204, "Your request type is not valid."));
    expect(await call("")).toEqual(failure(203, "Your request's `requestType` may not be empty."));
    expect(await call("GetSceneList", [1])).toEqual(
      failure(401, "Your request data is not an object."),
    );
  });

  it("echoes a requestId of any JSON type and logs each request with its answer", async () => {
    const { obs, client } = await start();
    client.send({ op: 6, d: { requestType: "GetStudioModeEnabled", requestId: 42 } });
    const response = await client.waitFor((m) => m.op === 7 && m.d.requestId === 42);
    expect(response.d.requestType).toBe("GetStudioModeEnabled");
    expect(obs.requests()).toEqual([
      expect.objectContaining({ requestType: "GetStudioModeEnabled", requestId: 42, code: 100 }),
    ]);
  });
});

describe("scenes and studio mode", () => {
  it("lists scenes bottom first with their index, as OBS does", async () => {
    const { call } = await start();
    const { data } = await call("GetSceneList");
    expect(data).toMatchObject({
      currentProgramSceneName: "Starting Soon",
      currentPreviewSceneName: null,
      currentPreviewSceneUuid: null,
    });
    const scenes = data?.scenes as Array<{
      sceneName: string;
      sceneIndex: number;
      sceneUuid: string;
    }>;
    expect(scenes.map(({ sceneName, sceneIndex }) => [sceneName, sceneIndex])).toEqual([
      ["Ending", 0],
      ["BRB", 1],
      ["Game", 2],
      ["Starting Soon", 3],
    ]);
    expect(scenes[0]?.sceneUuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("switches the program scene by name or uuid", async () => {
    const { obs, call } = await start();
    expect((await call("SetCurrentProgramScene", { sceneName: "Game" })).status.code).toBe(100);
    expect(obs.snapshot().programScene).toBe("Game");
    const brb = obs.snapshot().scenes.find((scene) => scene.sceneName === "BRB")!;
    await call("SetCurrentProgramScene", { sceneUuid: brb.sceneUuid });
    expect((await call("GetCurrentProgramScene")).data).toEqual({
      sceneName: "BRB",
      sceneUuid: brb.sceneUuid,
      currentProgramSceneName: "BRB",
      currentProgramSceneUuid: brb.sceneUuid,
    });
  });

  it("refuses a scene that does not exist, a missing name and an input's name", async () => {
    const { call, failure } = await start();
    expect(await call("SetCurrentProgramScene", { sceneName: "Nope" })).toEqual(
      failure(600, "No source was found by the name of `Nope`."),
    );
    const missing = failure(
      300,
      "Your request must contain at least one of the following fields: `sceneName` or `sceneUuid`.",
    );
    expect(await call("SetCurrentProgramScene", {})).toEqual(missing);
    expect(await call("SetCurrentProgramScene")).toEqual(missing);
    expect(await call("SetCurrentProgramScene", { sceneName: "Omnibar" })).toEqual(
      failure(602, "The specified source is not a scene."),
    );
  });

  it("renames a scene with SetSceneName, and refuses a name a source already has", async () => {
    const { obs, call, failure } = await start({ programScene: "BRB" });
    expect(
      (await call("SetSceneName", { sceneName: "BRB", newSceneName: "Chatting" })).status,
    ).toEqual({ result: true, code: 100 });
    expect(obs.snapshot()).toMatchObject({ programScene: "Chatting" });
    expect(obs.snapshot().scenes.map((scene) => scene.sceneName)).toEqual([
      "Starting Soon",
      "Game",
      "Chatting",
      "Ending",
    ]);
    const taken = failure(601, "A source already exists by that new scene name.");
    expect(await call("SetSceneName", { sceneName: "Chatting", newSceneName: "Game" })).toEqual(
      taken,
    );
    expect(await call("SetSceneName", { sceneName: "Game", newSceneName: "Omnibar" })).toEqual(
      taken,
    );
    expect(await call("SetSceneName", { sceneName: "Game" })).toEqual(
      failure(300, "Your request is missing the `newSceneName` field."),
    );
    expect(await call("SetSceneName", { sceneName: "Nope", newSceneName: "X" })).toEqual(
      failure(600, "No source was found by the name of `Nope`."),
    );
  });

  it("refuses the preview scene outside studio mode with 506", async () => {
    const { call, failure } = await start();
    expect(await call("GetCurrentPreviewScene")).toEqual(failure(OBS_STATUS.StudioModeNotActive));
    expect(await call("SetCurrentPreviewScene", { sceneName: "Game" })).toEqual(failure(506));
  });

  it("opens studio mode with the program in preview, then switches the preview", async () => {
    const { obs, call } = await start();
    await call("SetStudioModeEnabled", { studioModeEnabled: true });
    expect((await call("GetStudioModeEnabled")).data).toEqual({ studioModeEnabled: true });
    expect((await call("GetCurrentPreviewScene")).data?.sceneName).toBe("Starting Soon");
    await call("SetCurrentPreviewScene", { sceneName: "Game" });
    expect(obs.snapshot()).toMatchObject({ previewScene: "Game", programScene: "Starting Soon" });
  });

  it("checks studioModeEnabled as OBS does", async () => {
    const { call, failure } = await start();
    expect(await call("SetStudioModeEnabled", { studioModeEnabled: "yes" })).toEqual(
      failure(401, "The field value of `studioModeEnabled` must be boolean."),
    );
    expect(await call("SetStudioModeEnabled", {})).toEqual(
      failure(300, "Your request is missing the `studioModeEnabled` field."),
    );
    expect(await call("SetStudioModeEnabled")).toEqual(
      failure(301, "Your request data is missing or invalid (non-object)"),
    );
  });
});

describe("inputs", () => {
  it("lists inputs, filtered by kind", async () => {
    const { call } = await start();
    const all = (await call("GetInputList")).data?.inputs as Array<Record<string, unknown>>;
    expect(all.map((input) => input.inputName)).toEqual(["Mic/Aux", "Omnibar"]);
    const browsers = (await call("GetInputList", { inputKind: "browser_source" })).data;
    expect(browsers?.inputs).toEqual([
      {
        inputName: "Omnibar",
        inputUuid: expect.any(String),
        inputKind: "browser_source",
        unversionedInputKind: "browser_source",
        inputKindCaps: expect.any(Number),
      },
    ]);
  });

  it("checks inputKind as OBS does", async () => {
    const { call, failure } = await start();
    expect(await call("GetInputList", { inputKind: "" })).toEqual(
      failure(403, "The field value of `inputKind` must not be empty."),
    );
    expect(await call("GetInputList", { inputKind: 3 })).toEqual(
      failure(401, "The field value of `inputKind` must be a string."),
    );
  });

  it("answers an input's settings, refusing scenes and unknown names", async () => {
    const { call, failure } = await start();
    expect((await call("GetInputSettings", { inputName: "Omnibar" })).data).toEqual({
      inputKind: "browser_source",
      inputSettings: { url: OVERLAY_URL, width: 1920, height: 1080 },
    });
    expect(await call("GetInputSettings", { inputName: "Game" })).toEqual(
      failure(602, "The specified source is not an input."),
    );
    expect(await call("GetInputSettings", { inputName: "Camera" })).toEqual(
      failure(600, "No source was found by the name of `Camera`."),
    );
  });

  it("presses a browser source's refreshnocache button and records it", async () => {
    const { obs, call, failure } = await start();
    const press = (inputName: string, propertyName: string) =>
      call("PressInputPropertiesButton", { inputName, propertyName });
    expect((await press("Omnibar", "refreshnocache")).status.code).toBe(100);
    expect(obs.pressedButtons()).toEqual([
      {
        inputName: "Omnibar",
        inputUuid: expect.any(String),
        propertyName: "refreshnocache",
        at: expect.any(Number),
      },
    ]);
    expect(await press("Omnibar", "url")).toEqual(
      failure(602, "The property found is not a button."),
    );
    expect(await press("Omnibar", "reload")).toEqual(
      failure(600, "Unable to find a property by that name."),
    );
    expect(await press("Mic/Aux", "refreshnocache")).toEqual(
      failure(600, "Unable to find a property by that name."),
    );
    expect(obs.pressedButtons()).toHaveLength(1);
  });
});

describe("request batches", () => {
  const requests = [
    { requestType: "GetStudioModeEnabled", requestId: "a" },
    { requestType: "StopStream" },
    { requestType: "SetCurrentProgramScene", requestData: { sceneName: "BRB" } },
  ];

  it("runs every request in order without haltOnFailure", async () => {
    const { obs, client } = await start();
    const { results } = await client.batch(requests, { executionType: 0 });
    expect(results).toEqual([
      {
        requestType: "GetStudioModeEnabled",
        requestId: "a",
        requestStatus: { result: true, code: 100 },
        responseData: { studioModeEnabled: false },
      },
      { requestType: "StopStream", requestStatus: { result: false, code: 501 } },
      { requestType: "SetCurrentProgramScene", requestStatus: { result: true, code: 100 } },
    ]);
    expect(obs.snapshot().programScene).toBe("BRB");
  });

  it("stops at the first failure with haltOnFailure and answers only what ran", async () => {
    const { obs, client } = await start();
    const { results } = await client.batch(requests, { haltOnFailure: true, executionType: 1 });
    expect((results as unknown[]).length).toBe(2);
    expect(obs.snapshot().programScene).toBe("Starting Soon");
    expect(obs.requests().map((entry) => [entry.requestType, entry.code])).toEqual([
      ["GetStudioModeEnabled", 100],
      ["StopStream", 501],
      ["SetCurrentProgramScene", null],
    ]);
  });

  it("answers a request whose type is not a string with 203", async () => {
    const { client } = await start();
    const { results } = await client.batch([{ requestType: 7 }]);
    expect(results).toEqual([
      {
        requestType: "",
        requestStatus: {
          result: false,
          code: 203,
          comment: "Your request's `requestType` may not be empty.",
        },
      },
    ]);
  });
});
