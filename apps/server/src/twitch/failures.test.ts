import { describe, expect, onTestFinished, test } from "bun:test";
import { createLogger } from "@landale/logger";
import { startFakeTwitch, startTcpProxy } from "@landale/testkit";
import { twitchError } from "./failures";
import { createHelix } from "./helix";

const CLIENT_ID = "client-1";
const logger = createLogger({ name: "test", level: "silent" });

/** A Helix client that reaches the fake Twitch only through a proxy the test cuts or hangs. */
async function behindProxy() {
  const fake = startFakeTwitch({ clientId: CLIENT_ID });
  const proxy = await startTcpProxy({ host: "127.0.0.1", port: fake.port });
  onTestFinished(async () => {
    await proxy.stop();
    await fake.stop();
  });
  const token = fake.issueToken().access_token;
  const helix = createHelix({
    apiUrl: `http://127.0.0.1:${proxy.port}/helix`,
    clientId: CLIENT_ID,
    logger,
    timeoutMs: 200,
    auth: { accessToken: async () => token, tokenRejected: async () => null },
  });
  return { fake, proxy, helix };
}

const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => twitchError(err),
  );

describe("Twitch failures in the hub's terms", () => {
  test("Twitch refusing the connection is unreachable: no Twitch status, one clear message", async () => {
    const { proxy, helix } = await behindProxy();
    expect(await helix.getUsers()).toHaveLength(1);
    await proxy.cut();
    const failure = await failureOf(helix.getUsers());
    expect(failure.status).toBeNull();
    expect(failure.appError).toMatchObject({ status: 502, code: "twitch_unreachable" });
    expect(failure.appError.details).toBeUndefined();
    expect(failure.appError.message).toStartWith("Twitch could not be reached for GET /users: ");
    expect(failure.appError.message.split("Twitch")).toHaveLength(2);
  });

  test("Twitch silent past the timeout is unreachable too", async () => {
    const { proxy, helix } = await behindProxy();
    await proxy.hang();
    const failure = await failureOf(helix.getUsers());
    expect(failure.status).toBeNull();
    expect(failure.appError).toMatchObject({
      status: 502,
      code: "twitch_unreachable",
      message: "Twitch did not answer GET /users in time",
    });
    expect(failure.appError.details).toBeUndefined();
  });

  test("Twitch's own 5xx is unavailable, with Twitch's status", async () => {
    const { fake, helix } = await behindProxy();
    fake.answerNext("/helix/users", {
      status: 503,
      body: { error: "Service Unavailable", status: 503, message: "try again" },
    });
    const failure = await failureOf(helix.getUsers());
    expect(failure.status).toBe(503);
    expect(failure.appError).toMatchObject({
      status: 502,
      code: "twitch_unavailable",
      message: "Twitch: try again",
      details: { twitch_status: 503 },
    });
  });
});
