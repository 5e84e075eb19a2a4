/**
 * The connection against the fake OBS (obs-websocket 5 over real sockets): identifying with the
 * events the hub needs, a wrong password, OBS quitting and starting again, a stuck OBS, a server
 * that never finishes the handshake — and nothing left running after stop.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import { type FakeObs, freePort, OBS_EVENT_SUBSCRIPTION, startFakeObs } from "@landale/testkit";
import { CountingScheduler } from "../../test/support/counting-scheduler";
import { eventually } from "../../test/support/eventually";
import type { AppError } from "../errors";
import {
  type ConnectionChange,
  MAX_UNANSWERED,
  type ObsConnection,
  startObsConnection,
} from "./connection";
import type { ObsIncoming } from "./protocol";
import { DEFAULT_OBS_TIMINGS } from "./retry";

const PASSWORD = "a-long-obs-password";
const logger = createLogger({ name: "test", level: "silent" });
const fakes: FakeObs[] = [];
const connections: ObsConnection[] = [];
const listeners: { stop(): void }[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.stop()));
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
  for (const listener of listeners.splice(0)) listener.stop();
});

function fake(options: Parameters<typeof startFakeObs>[0] = {}): FakeObs {
  const obs = startFakeObs({ password: PASSWORD, ...options });
  fakes.push(obs);
  return obs;
}

function connect(
  url: string,
  options: {
    password?: string | null;
    requestTimeoutMs?: number;
    connectTimeoutMs?: number;
  } = {},
) {
  const changes: ConnectionChange[] = [];
  const events: ObsIncoming[] = [];
  const scheduler = new CountingScheduler();
  const connection = startObsConnection({
    url,
    password: options.password === undefined ? PASSWORD : options.password,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    timings: {
      ...DEFAULT_OBS_TIMINGS,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      retryInitialMs: 20,
      retryMaxMs: 100,
      refusedRetryMs: 100,
    },
    scheduler,
    logger,
    onChange: (change) => changes.push(change),
    onEvent: (incoming) => events.push(incoming),
  });
  connections.push(connection);
  const kinds = () => changes.map((change) => change.kind);
  return { connection, changes, events, scheduler, kinds };
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: AppError) => err,
  );

describe("the OBS connection", () => {
  it("identifies with the password, asking for scene, output, UI and general events", async () => {
    const obs = fake();
    const { connection, changes, events } = connect(obs.url);
    await eventually("connected", () => connection.connected());
    expect(changes.at(-1)).toEqual({
      kind: "connected",
      obsVersion: "32.0.1",
      websocketVersion: "5.6.3",
    });
    const subscriptions = obs.clients()[0]?.eventSubscriptions ?? 0;
    const { General, Scenes, Outputs, Ui, Inputs } = OBS_EVENT_SUBSCRIPTION;
    expect(subscriptions).toBe(General | Scenes | Outputs | Ui);
    expect(subscriptions & Inputs).toBe(0);

    obs.setProgramScene("Game");
    await eventually("the scene event", () => events.length > 0);
    expect(events[0]).toEqual({
      name: "CurrentProgramSceneChanged",
      data: expect.objectContaining({ sceneName: "Game" }),
    });
  });

  it("answers a request OBS refused with OBS's code and comment", async () => {
    const obs = fake();
    const { connection } = connect(obs.url);
    await eventually("connected", () => connection.connected());
    const err = await rejection(
      connection.request("SetCurrentProgramScene", { sceneName: "Nope" }),
    );
    expect(err?.status).toBe(422);
    expect(err?.code).toBe("obs_refused");
    expect(err?.message).toBe(
      "OBS refused SetCurrentProgramScene: No source was found by the name of `Nope`. (600)",
    );
  });

  it("says OBS refused the password, and keeps trying without ever connecting", async () => {
    const obs = fake();
    const { connection, changes } = connect(obs.url, { password: "not-the-password" });
    await eventually(
      "two refusals",
      () => changes.filter((change) => change.kind === "failed").length >= 2,
    );
    const failed = changes.find((change) => change.kind === "failed");
    expect(failed).toMatchObject({
      kind: "failed",
      attempt: 1,
      problem: { code: "obs_auth_failed" },
    });
    expect(JSON.stringify(changes)).not.toContain("not-the-password");
    expect(connection.connected()).toBe(false);
    const err = await rejection(connection.request("GetVersion"));
    expect(err?.code).toBe("obs_not_connected");
    expect(err?.message).toContain("OBS refused the password");
  });

  it("reconnects by itself when OBS quits and starts again on the same port", async () => {
    const obs = fake();
    const { connection, kinds } = connect(obs.url);
    await eventually("connected", () => connection.connected());
    await obs.close();
    await eventually("lost", () => kinds().includes("lost"));
    await eventually("refused while closed", () => kinds().includes("failed"));
    await obs.restart();
    await eventually("connected again", () => connection.connected());
    expect(kinds().filter((kind) => kind === "connected").length).toBe(2);
    expect(obs.clients().length).toBe(1);
  });

  it("answers obs_timeout for a stuck OBS, and a request it holds as soon as the socket closes", async () => {
    const obs = fake();
    const { connection } = connect(obs.url, { requestTimeoutMs: 200 });
    await eventually("connected", () => connection.connected());
    obs.hang(true);
    const timedOut = await rejection(connection.request("GetSceneList"));
    expect(timedOut).toMatchObject({ status: 504, code: "obs_timeout" });

    const { connection: patient } = connect(obs.url, { requestTimeoutMs: 60_000 });
    await eventually("the second connected", () => patient.connected());
    const held = rejection(patient.request("GetSceneList"));
    await eventually("the request held", () => obs.heldRequests().waiting >= 2);
    await obs.close({ abrupt: true });
    expect(await held).toMatchObject({ status: 409, code: "obs_not_connected" });
  });

  it("refuses at once beyond the requests OBS leaves unanswered", async () => {
    const obs = fake();
    const { connection } = connect(obs.url, { requestTimeoutMs: 60_000 });
    await eventually("connected", () => connection.connected());
    obs.hang(true);
    const held = Array.from({ length: MAX_UNANSWERED }, () =>
      rejection(connection.request("GetStats")),
    );
    const busy = await rejection(connection.request("GetStats"));
    expect(busy).toMatchObject({ status: 503, code: "obs_busy" });
    obs.hang(false);
    expect((await Promise.all(held)).every((err) => err === null)).toBe(true);
    expect(await rejection(connection.request("GetStats"))).toBeNull();
  });

  it("gives up on a server that never finishes the handshake, and tries again", async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    listeners.push(silent);
    const { changes } = connect(`ws://127.0.0.1:${silent.port}`, { connectTimeoutMs: 100 });
    await eventually(
      "two timeouts",
      () => changes.filter((change) => change.kind === "failed").length >= 2,
    );
    expect(changes.find((change) => change.kind === "failed")).toMatchObject({
      problem: {
        code: "obs_unreachable",
        message: expect.stringContaining("no answer within 100 ms"),
      },
    });
  });

  it("leaves no timer set once stopped, connected or not", async () => {
    const obs = fake();
    const up = connect(obs.url, { requestTimeoutMs: 60_000 });
    await eventually("connected", () => up.connection.connected());
    obs.hang(true);
    const held = rejection(up.connection.request("GetSceneList"));
    const down = connect(`ws://127.0.0.1:${await freePort()}`);
    await eventually("a refusal", () => down.kinds().includes("failed"));
    await Promise.all([up.connection.stop(), down.connection.stop()]);
    expect(await held).toMatchObject({ code: "obs_not_connected" });
    expect(up.scheduler.pendingTimers).toBe(0);
    expect(down.scheduler.pendingTimers).toBe(0);
    expect(obs.clients()).toEqual([]);
  });
});
