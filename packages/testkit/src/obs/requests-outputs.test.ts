import { afterEach, describe, expect, it } from "bun:test";
import { OBS_STATUS } from "./protocol";
import { start, stopAll } from "./request-harness";

afterEach(stopAll);

describe("stream and recording", () => {
  it("starts and stops the stream, refusing a second start or stop", async () => {
    const { obs, call, failure } = await start();
    expect((await call("StartStream")).status).toEqual({ result: true, code: 100 });
    expect(await call("StartStream")).toEqual(failure(OBS_STATUS.OutputRunning));
    const { data } = await call("GetStreamStatus");
    expect(data).toMatchObject({
      outputActive: true,
      outputReconnecting: false,
      outputCongestion: 0,
      outputSkippedFrames: 0,
    });
    expect(data?.outputTimecode).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(obs.snapshot().streaming).toBe(true);
    await call("StopStream");
    expect(await call("StopStream")).toEqual(failure(OBS_STATUS.OutputNotRunning));
    expect((await call("GetStreamStatus")).data).toMatchObject({
      outputActive: false,
      outputDuration: 0,
      outputTimecode: "00:00:00.000",
    });
  });

  it("toggles the stream and answers the new state", async () => {
    const { call } = await start();
    expect((await call("ToggleStream")).data).toEqual({ outputActive: true });
    expect((await call("ToggleStream")).data).toEqual({ outputActive: false });
  });

  it("records, pauses, resumes and stops with the file's path", async () => {
    const { call, failure } = await start({ recordDirectory: "/videos" });
    await call("StartRecord");
    expect(await call("StartRecord")).toEqual(failure(500));
    await call("PauseRecord");
    expect(await call("PauseRecord")).toEqual(failure(OBS_STATUS.OutputPaused));
    expect((await call("GetRecordStatus")).data).toMatchObject({
      outputActive: true,
      outputPaused: true,
    });
    await call("ResumeRecord");
    expect(await call("ResumeRecord")).toEqual(failure(OBS_STATUS.OutputNotPaused));
    expect((await call("ToggleRecordPause")).data).toEqual({ outputPaused: true });
    expect((await call("ToggleRecordPause")).data).toEqual({ outputPaused: false });
    const stopped = await call("StopRecord");
    expect(stopped.data?.outputPath).toMatch(
      /^\/videos\/\d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.mkv$/,
    );
    expect(await call("StopRecord")).toEqual(failure(501));
    expect((await call("ToggleRecord")).data).toEqual({ outputActive: true });
  });

  it("succeeds and does nothing on PauseRecord while not recording, as OBS does", async () => {
    const { obs, call } = await start();
    expect((await call("PauseRecord")).status.code).toBe(100);
    expect((await call("ToggleRecordPause")).data).toEqual({ outputPaused: true });
    expect(obs.snapshot()).toMatchObject({ recording: false, recordPaused: false });
  });
});

describe("virtual camera, replay buffer and outputs", () => {
  it("answers the virtual camera's status, or 604 when OBS has none", async () => {
    const { call } = await start();
    expect((await call("GetVirtualCamStatus")).data).toEqual({ outputActive: false });
    expect((await call("ToggleVirtualCam")).data).toEqual({ outputActive: true });
    const without = await start({ virtualCam: false });
    expect(await without.call("GetVirtualCamStatus")).toEqual(
      without.failure(604, "VirtualCam is not available."),
    );
  });

  it("answers 604 for the replay buffer unless it is enabled", async () => {
    const { call, failure } = await start();
    expect(await call("GetReplayBufferStatus")).toEqual(
      failure(604, "Replay buffer is not available."),
    );
    const enabled = await start({ replayBuffer: true });
    await enabled.call("StartReplayBuffer");
    expect((await enabled.call("GetReplayBufferStatus")).data).toEqual({ outputActive: true });
    expect(await enabled.call("StartReplayBuffer")).toEqual(failure(500));
  });

  it("lists the outputs with their state", async () => {
    const { call } = await start();
    await call("StartStream");
    const outputs = (await call("GetOutputList")).data?.outputs as Array<Record<string, unknown>>;
    expect(outputs.map((output) => [output.outputName, output.outputActive])).toEqual([
      ["simple_stream", true],
      ["simple_file_output", false],
      ["virtualcam_output", false],
    ]);
  });
});
