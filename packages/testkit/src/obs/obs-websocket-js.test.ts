/**
 * The ecosystem's client, obs-websocket-js 5, against the fake under Bun. Under Bun the package's
 * default export resolves to its MessagePack build (the "import" condition), so both builds run.
 */
import { afterEach, describe, expect, it } from "bun:test";
import OBSWebSocketDefault, { EventSubscription } from "obs-websocket-js";
import OBSWebSocket, { OBSWebSocketError } from "obs-websocket-js/json";
import { startFakeObs } from "./fake";
import type { FakeObs } from "./fake-types";
import { OBS_SUBPROTOCOL } from "./protocol";

const PASSWORD = "supersecretpassword";
const fakes: FakeObs[] = [];
const clients: Array<OBSWebSocket | OBSWebSocketDefault> = [];

function start() {
  const obs = startFakeObs({
    password: PASSWORD,
    browserSources: [{ name: "Omnibar", url: "http://127.0.0.1:7175/overlays/omnibar" }],
  });
  fakes.push(obs);
  return obs;
}
function client<T extends OBSWebSocket | OBSWebSocketDefault>(made: T): T {
  clients.push(made);
  return made;
}
/** The next emission of `event` by an obs-websocket-js client. */
function next<T>(socket: OBSWebSocket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event as "Identified", (data) => resolve(data as T)));
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((made) => made.disconnect()));
  await Promise.all(fakes.splice(0).map((obs) => obs.stop()));
});

describe("obs-websocket-js under Bun", () => {
  it("connects with its default (MessagePack) build and the password", async () => {
    const obs = start();
    const socket = client(new OBSWebSocketDefault());
    const identified = await socket.connect(obs.url, PASSWORD);
    expect(identified).toMatchObject({ negotiatedRpcVersion: 1, obsWebSocketVersion: "5.6.3" });
    expect(obs.clients()[0]?.encoding).toBe(OBS_SUBPROTOCOL.msgpack);
    const { scenes } = await socket.call("GetSceneList");
    expect(scenes.map((scene) => scene.sceneName)).toEqual([
      "Ending",
      "BRB",
      "Game",
      "Starting Soon",
    ]);
  });

  it("switches scenes, hears OBS's own switches and presses a button with the JSON build", async () => {
    const obs = start();
    const socket = client(new OBSWebSocket());
    await socket.connect(obs.url, PASSWORD, { eventSubscriptions: EventSubscription.All });
    expect(obs.clients()[0]?.encoding).toBe(OBS_SUBPROTOCOL.json);

    // As from OBS, the event a request causes comes after its response.
    const switched = next<{ sceneName: string }>(socket, "CurrentProgramSceneChanged");
    await socket.call("SetCurrentProgramScene", { sceneName: "Game" });
    expect(obs.snapshot().programScene).toBe("Game");
    expect((await switched).sceneName).toBe("Game");

    const changed = next<{ sceneName: string }>(socket, "CurrentProgramSceneChanged");
    obs.setProgramScene("BRB");
    expect((await changed).sceneName).toBe("BRB");

    const { inputs } = await socket.call("GetInputList", { inputKind: "browser_source" });
    await socket.call("PressInputPropertiesButton", {
      inputName: String(inputs[0]?.inputName),
      propertyName: "refreshnocache",
    });
    expect(obs.pressedButtons().map((press) => press.inputName)).toEqual(["Omnibar"]);
  });

  it("rejects a failed request with OBS's code and comment", async () => {
    const obs = start();
    const socket = client(new OBSWebSocket());
    await socket.connect(obs.url, PASSWORD);
    const error = await socket
      .call("SetCurrentProgramScene", { sceneName: "Nope" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OBSWebSocketError);
    expect(error).toMatchObject({
      code: 600,
      message: "No source was found by the name of `Nope`.",
    });
  });

  it("runs a batch that halts on failure", async () => {
    const obs = start();
    const socket = client(new OBSWebSocket());
    await socket.connect(obs.url, PASSWORD);
    const results = await socket.callBatch(
      [
        { requestType: "StartStream" },
        { requestType: "StartStream" },
        { requestType: "SetCurrentProgramScene", requestData: { sceneName: "Ending" } },
      ],
      { haltOnFailure: true },
    );
    expect(results.map((result) => result.requestStatus.code)).toEqual([100, 500]);
    expect(obs.snapshot()).toMatchObject({ streaming: true, programScene: "Starting Soon" });
  });

  it("fails to connect with a wrong password, with OBS's close code", async () => {
    const obs = start();
    const socket = client(new OBSWebSocket());
    const error = await socket.connect(obs.url, "wrong").catch((e) => e);
    expect(error).toBeInstanceOf(OBSWebSocketError);
    expect(error).toMatchObject({ code: 4009, message: "Authentication failed." });
  });

  it("hears OBS quit and connects again once it is back on the same port", async () => {
    const obs = start();
    const socket = client(new OBSWebSocket());
    await socket.connect(obs.url, PASSWORD);
    const exit = next<undefined>(socket, "ExitStarted");
    const closed = next<OBSWebSocketError>(socket, "ConnectionClosed");
    await obs.close();
    await exit;
    expect(await closed).toMatchObject({ code: 1001, message: "Server stopping." });
    const refused = await socket.connect(obs.url, PASSWORD).catch((e) => e);
    expect(refused).toBeInstanceOf(Error);
    await obs.restart();
    await socket.connect(obs.url, PASSWORD);
    expect((await socket.call("GetCurrentProgramScene")).sceneName).toBe("Starting Soon");
  });

  it("leaves a call pending forever when the connection closes under it", async () => {
    // obs-websocket-js has no request timeout and drops its listeners on close, so a caller
    // must race each call against its own timeout and the ConnectionClosed event.
    const obs = start();
    const socket = client(new OBSWebSocket());
    await socket.connect(obs.url, PASSWORD);
    obs.hang(true);
    let settled = false;
    void socket.call("GetStats").finally(() => {
      settled = true;
    });
    const closed = next(socket, "ConnectionClosed");
    await obs.close();
    await closed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
  });
});
