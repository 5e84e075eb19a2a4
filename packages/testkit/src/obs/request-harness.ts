/** A fake OBS with one identified raw client, for the request tests; `stopAll` after each test. */
import { startFakeObs } from "./fake";
import type { FakeObs, FakeObsOptions } from "./fake-types";
import { connectObs, type RawObsClient } from "./raw-client";

export const OVERLAY_URL = "http://127.0.0.1:7175/overlays/omnibar";
const running: Array<{ obs: FakeObs; client: RawObsClient }> = [];

export async function start(options: FakeObsOptions = {}) {
  const obs = startFakeObs({
    password: "pw",
    browserSources: [{ name: "Omnibar", url: OVERLAY_URL, width: 1920, height: 1080 }],
    ...options,
  });
  const client = await connectObs(obs.url, { password: "pw" });
  running.push({ obs, client });
  /** Sends a request; answers its status and response data. */
  const call = async (requestType: string, requestData?: unknown) => {
    const d = await client.call(requestType, requestData);
    return {
      status: d.requestStatus as { result: boolean; code: number; comment?: string },
      data: d.responseData as Record<string, unknown> | undefined,
    };
  };
  const failure = (code: number, comment?: string) => ({
    status: comment === undefined ? { result: false, code } : { result: false, code, comment },
    data: undefined,
  });
  return { obs, client, call, failure };
}

export async function stopAll() {
  for (const { obs, client } of running.splice(0)) {
    await client.close();
    await obs.stop();
  }
}
