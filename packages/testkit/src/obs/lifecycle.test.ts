import { afterEach, describe, expect, it } from "bun:test";
import { startFakeObs } from "./fake";
import type { FakeObs } from "./fake-types";
import { OBS_CLOSE, OBS_EVENT_SUBSCRIPTION, OBS_OP } from "./protocol";
import { connectObs, openRaw, type RawObsClient } from "./raw-client";

const fakes: FakeObs[] = [];
const clients: RawObsClient[] = [];

async function setup() {
  const obs = startFakeObs({ password: "pw" });
  fakes.push(obs);
  const client = await connectObs(obs.url, { password: "pw" });
  clients.push(client);
  return { obs, client };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(fakes.splice(0).map((obs) => obs.stop()));
});

describe("hang", () => {
  it("holds requests while hung and answers them in order once released", async () => {
    const { obs, client } = await setup();
    obs.hang(true);
    const first = client.call("GetCurrentProgramScene");
    const second = client.call("SetCurrentProgramScene", { sceneName: "Game" });
    // Identify-level messages still flow: once Reidentify is answered, both requests have arrived.
    client.send({ op: OBS_OP.Reidentify, d: {} });
    await client.nextOp(OBS_OP.Identified);
    expect(obs.heldRequests()).toEqual({ waiting: 2, dropped: 0 });
    expect(obs.requests().map((entry) => entry.code)).toEqual([null, null]);
    expect(client.received().some((message) => message.op === OBS_OP.RequestResponse)).toBe(false);

    obs.hang(false);
    expect(((await first).responseData as { sceneName: string }).sceneName).toBe("Starting Soon");
    expect((await second).requestStatus).toEqual({ result: true, code: 100 });
    expect(obs.heldRequests().waiting).toBe(0);
  });

  it("keeps sending events while hung", async () => {
    const { obs, client } = await setup();
    obs.hang(true);
    obs.setProgramScene("BRB");
    expect((await client.event("CurrentProgramSceneChanged")).eventData?.sceneName).toBe("BRB");
  });
});

describe("closing and restarting OBS", () => {
  it("sends ExitStarted, closes with 1001 and releases the port when OBS quits", async () => {
    const { obs, client } = await setup();
    obs.startStreamExternally();
    await obs.close();
    expect(await client.closed).toEqual({ code: OBS_CLOSE.GoingAway, reason: "Server stopping." });
    expect(client.events().map((event) => event.eventType)).toEqual([
      "StreamStateChanged",
      "StreamStateChanged",
      "ExitStarted",
    ]);
    expect(client.events().at(-1)?.eventIntent).toBe(OBS_EVENT_SUBSCRIPTION.General);
    expect(obs.clients()).toEqual([]);
    expect(obs.snapshot().streaming).toBe(false);
    await expect(openRaw(obs.url)).rejects.toThrow("could not connect");
  });

  it("drops every connection without a close frame when OBS crashes", async () => {
    const { obs, client } = await setup();
    await obs.close({ abrupt: true });
    expect((await client.closed).code).toBe(1006);
    expect(client.events()).toEqual([]);
  });

  it("starts again on the same port with its scenes, a new salt and outputs stopped", async () => {
    const { obs, client } = await setup();
    const { salt } = client.hello.authentication!;
    obs.setProgramScene("Game");
    obs.startRecordExternally();
    await obs.close();
    await obs.restart();
    const again = await connectObs(obs.url, { password: "pw" });
    clients.push(again);
    expect(again.hello.authentication?.salt).not.toBe(salt);
    expect(
      ((await again.call("GetCurrentProgramScene")).responseData as { sceneName: string })
        .sceneName,
    ).toBe("Game");
    expect(
      ((await again.call("GetRecordStatus")).responseData as { outputActive: boolean })
        .outputActive,
    ).toBe(false);
    expect(obs.clients()).toHaveLength(1);
  });

  it("does not answer what it held when it quits, and does not hang after a restart", async () => {
    const { obs, client } = await setup();
    obs.hang(true);
    const unanswered = client.call("GetStats").catch((error: Error) => error.message);
    await obs.close();
    expect(await unanswered).toStartWith("closed with 1001");
    await obs.restart();
    const again = await connectObs(obs.url, { password: "pw" });
    clients.push(again);
    expect((await again.call("GetStudioModeEnabled")).requestStatus).toEqual({
      result: true,
      code: 100,
    });
  });

  it("kicks a client with 4011", async () => {
    const { obs, client } = await setup();
    obs.kick(obs.clients()[0]!.id);
    expect(await client.closed).toEqual({
      code: OBS_CLOSE.SessionInvalidated,
      reason: "Your session has been invalidated.",
    });
  });

  it("stops for good", async () => {
    const { obs, client } = await setup();
    await obs.stop();
    expect((await client.closed).code).toBe(OBS_CLOSE.GoingAway);
    await expect(openRaw(obs.url)).rejects.toThrow("could not connect");
    await expect(obs.restart()).rejects.toThrow("stopped");
  });
});
