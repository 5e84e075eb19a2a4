/**
 * The engine's children as the running worker (`bun src/main.ts`) leaves them: the fake
 * whisper-cli hangs (and starts a helper process of its own, as a stuck program might), found
 * through /proc. A worker killed outright leaves none of them behind; a hung run is killed at
 * LANDALE_TRANSCRIBE_TIMEOUT_MS and the next segment is transcribed and sent to `/events`.
 */
import { describe, expect, it, setDefaultTimeout } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { concatAudio, freePort, sendAudio, speak } from "@landale/testkit";
import { isRunning } from "./engines-support";
import { audioSocket, fakeWhisper, startWorkerProcess } from "./support/hub";
import { eventually, openSocket } from "./support/worker";

setDefaultTimeout(120_000);

const SENTENCE = "the quick brown fox jumps over the lazy dog";
const speech = () => speak(SENTENCE, { encoding: "int16", padBeforeS: 0.3, padAfterS: 1.2 });

/** Every process descended from `root` now, through /proc's parent ids. */
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => null);
    // The command name is in parentheses and may hold spaces; the parent's id is 2 fields after.
    if (stat !== null)
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Nothing listens there: these tests need no hub. */
async function nowhere(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

describe("the engine's children", () => {
  it("are gone when the worker is killed with SIGKILL mid-transcription", async () => {
    const fake = await fakeWhisper([{ hang: true }]);
    const worker = await startWorkerProcess(await nowhere(), fake);
    const ws = await audioSocket(`${worker.audioUrl}/mic`);
    await sendAudio(ws, await speech());
    ws.send(JSON.stringify({ type: "stop" }));

    await eventually("the engine running", async () => {
      const [run] = await fake.invocations();
      return run?.childPid != null && (await worker.health()).transcription.transcribing;
    });
    const [run] = await fake.invocations();
    const engine = [run?.pid, run?.childPid].filter((pid) => typeof pid === "number");
    expect(engine.length).toBe(2);
    // The engine run and its helper, and whatever else the worker started (setpriv, the reaper).
    const pids = await descendants(worker.pid);
    for (const pid of engine) expect(pids).toContain(pid);
    for (const pid of engine) expect(await isRunning(pid as number)).toBe(true);

    await worker.kill("SIGKILL");
    await eventually("every engine process gone", async () => {
      const running = await Promise.all(pids.map(isRunning));
      return running.every((alive) => !alive);
    });
  });

  it("a hung run is killed at the timeout and the next segment is transcribed", async () => {
    const fake = await fakeWhisper([{ hang: true }, { text: "after the hang" }]);
    const worker = await startWorkerProcess(await nowhere(), fake, {
      LANDALE_TRANSCRIBE_TIMEOUT_MS: "1000",
    });
    const events = await openSocket(`${worker.audioUrl}/events`);
    const ws = await audioSocket(`${worker.audioUrl}/mic`);
    const one = await speech();
    await sendAudio(ws, concatAudio([one, one]));
    ws.send(JSON.stringify({ type: "stop" }));

    await eventually("the second segment's words on /events", () =>
      events.messages.some((message) => message.includes('"after the hang"')),
    );
    const transcription = events.messages
      .map((message) => JSON.parse(message) as Record<string, unknown>)
      .find((message) => message.type === "audio:transcription");
    expect(transcription).toMatchObject({ type: "audio:transcription", text: "after the hang" });
    expect(transcription?.duration).toBeGreaterThan(1);

    const health = await worker.health();
    expect(health.transcription).toMatchObject({ timed_out: 1, completed: 1, failed: 0 });
    expect(health.engine.state).toBe("ready");
    const [hung] = await fake.invocations();
    for (const pid of [hung?.pid, hung?.childPid]) {
      if (typeof pid !== "number") throw new Error("the hung run left no pid");
      expect(await isRunning(pid)).toBe(false);
    }
  });
});
