/**
 * Sends the same requests and faulty frames to a real OBS and to the fake, and prints where their
 * answers differ (status code and comment, response field names, close code and reason). OBS must
 * run with obs-websocket enabled and a password (README, "Fake OBS"):
 * `bun packages/testkit/scripts/obs-compare.ts ws://127.0.0.1:4455 <password>`.
 * It reads and refuses only: it never starts an output or switches a scene.
 */
import { startFakeObs } from "../src/obs/fake";
import { authResponse } from "../src/obs/protocol";
import { connectObs, openRaw, type RawObsClient } from "../src/obs/raw-client";

const [url, password] = process.argv.slice(2);
if (!url || password === undefined) throw new Error("usage: obs-compare.ts <ws-url> <password>");

type Probe = [name: string, run: (target: string) => Promise<string>];

function summarize(d: Record<string, unknown>): string {
  const status = d.requestStatus as { code: number; comment?: string };
  const keys = Object.keys((d.responseData as object | undefined) ?? {}).sort();
  return `${status.code}${status.comment ? ` "${status.comment}"` : ""} [${keys.join(",")}]`;
}

async function withClient(target: string, act: (client: RawObsClient) => Promise<string>) {
  const client = await connectObs(target, { password, eventSubscriptions: 0 });
  try {
    return await act(client);
  } finally {
    await client.close();
  }
}

const request = (type: string, data?: (program: string) => unknown): Probe => [
  `${type} ${data ? JSON.stringify(data("<program>")) : ""}`,
  (target) =>
    withClient(target, async (client) => {
      const current = await client.call("GetCurrentProgramScene");
      // obs-websocket before 5.3 answers only `currentProgramSceneName`.
      const program = (current.responseData as { currentProgramSceneName: string })
        .currentProgramSceneName;
      return summarize(await client.call(type, data?.(program)));
    }),
];

/** Sends `frame` after Hello (`identified`: after Identify too) and reports how OBS closes. */
const refusal = (
  name: string,
  frame: (hello: Record<string, unknown>) => string,
  identified = true,
): Probe => [
  name,
  async (target) => {
    const client = identified ? await connectObs(target, { password }) : await openRaw(target);
    client.sendRaw(frame(client.hello));
    const closed = await client.closed;
    // Each JSON parser words its own errors: compare only what OBS itself writes.
    return `close ${closed.code} "${closed.reason.replace(/^(Unable to decode Json:).*/, "$1 …")}"`;
  },
];

const answer = (hello: Record<string, unknown>, secret = password) => {
  const { salt, challenge } = hello.authentication as { salt: string; challenge: string };
  return authResponse(secret, salt, challenge);
};

const probes: Probe[] = [
  ...[
    "GetVersion",
    "GetStats",
    "GetSceneList",
    "GetCurrentProgramScene",
    "GetStudioModeEnabled",
  ].map((type) => request(type)),
  ...[
    "GetCurrentPreviewScene",
    "GetStreamStatus",
    "StopStream",
    "GetRecordStatus",
    "StopRecord",
    "ResumeRecord",
  ].map((type) => request(type)),
  ...[
    "GetVirtualCamStatus",
    "GetReplayBufferStatus",
    "GetOutputList",
    "GetInputList",
    "MakeCoffee",
    "",
  ].map((type) => request(type)),
  request("SetCurrentProgramScene", () => ({ sceneName: "Nope" })),
  request("SetCurrentProgramScene", () => ({})),
  request("SetCurrentProgramScene"),
  request("SetCurrentPreviewScene", (program) => ({ sceneName: program })),
  request("SetStudioModeEnabled", () => ({ studioModeEnabled: "yes" })),
  request("SetStudioModeEnabled", () => ({})),
  request("GetInputList", () => ({ inputKind: "" })),
  request("GetInputList", () => ({ inputKind: 3 })),
  request("GetInputSettings", (program) => ({ inputName: program })),
  request("GetInputSettings", () => ({ inputName: "Nope" })),
  request("PressInputPropertiesButton", () => ({
    inputName: "Nope",
    propertyName: "refreshnocache",
  })),
  request("GetSceneList", () => [1]),
  [
    "RequestBatch haltOnFailure",
    (target) =>
      withClient(target, async (client) => {
        const requests = [
          { requestType: "GetStudioModeEnabled" },
          { requestType: "StopStream" },
          { requestType: "GetVersion" },
        ];
        const { results } = await client.batch(requests, { haltOnFailure: true });
        return (results as Array<Record<string, unknown>>).map(summarize).join(" | ");
      }),
  ],
  refusal(
    "Request before Identify",
    () => JSON.stringify({ op: 6, d: { requestType: "GetVersion", requestId: "1" } }),
    false,
  ),
  refusal(
    "wrong password",
    (hello) =>
      JSON.stringify({
        op: 1,
        d: { rpcVersion: 1, authentication: answer(hello, `${password}x`) },
      }),
    false,
  ),
  refusal(
    "rpcVersion 2",
    (hello) => JSON.stringify({ op: 1, d: { rpcVersion: 2, authentication: answer(hello) } }),
    false,
  ),
  refusal(
    "4.x request",
    () => JSON.stringify({ "request-type": "GetVersion", "message-id": "1" }),
    false,
  ),
  refusal("second Identify", (hello) =>
    JSON.stringify({ op: 1, d: { rpcVersion: 1, authentication: answer(hello) } }),
  ),
  refusal("bad JSON", () => "{nope"),
  refusal("array payload", () => "[1]"),
  refusal("no op", () => JSON.stringify({ d: {} })),
  refusal("unknown op", () => JSON.stringify({ op: 4, d: {} })),
  refusal("no d", () => JSON.stringify({ op: 6 })),
  refusal("no requestId", () => JSON.stringify({ op: 6, d: { requestType: "GetVersion" } })),
  refusal("negative eventSubscriptions", () =>
    JSON.stringify({ op: 3, d: { eventSubscriptions: -1 } }),
  ),
  refusal("executionType 7", () =>
    JSON.stringify({ op: 8, d: { requestId: "b", executionType: 7, requests: [] } }),
  ),
];

const fake = startFakeObs({ password });
let differences = 0;
try {
  for (const [name, run] of probes) {
    const [real, ours] = await Promise.all([run(url).catch(String), run(fake.url).catch(String)]);
    const same = real === ours;
    if (!same) differences += 1;
    console.warn(
      `${same ? "=" : "≠"} ${name}\n    obs:  ${real}${same ? "" : `\n    fake: ${ours}`}`,
    );
  }
} finally {
  await fake.stop();
}
console.warn(`${probes.length - differences} same, ${differences} different`);
