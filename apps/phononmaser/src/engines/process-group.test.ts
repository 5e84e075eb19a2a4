import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually, groupMembers, isRunning } from "../../test/engines-support";
import { EngineStoppedError } from "./backend";
import { createProcessGroups } from "./process-group";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "process-group-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A shell that records its pid (the group's id) in a file, then runs `script`. */
function shell(name: string, script: string): { cmd: string[]; group: () => Promise<number> } {
  const file = join(dir, name);
  return {
    cmd: ["sh", "-c", `echo $$ > ${file}; ${script}`],
    group: async () => {
      await eventually(
        `${name} to start`,
        async () => (await Bun.file(file).exists()) && (await Bun.file(file).text()).endsWith("\n"),
      );
      return Number((await readFile(file, "utf8")).trim());
    },
  };
}

describe("process groups", () => {
  it("returns a finished child's output and exit code", async () => {
    const groups = createProcessGroups();
    const result = await groups.run(
      ["sh", "-c", "echo out; echo err >&2; exit 3"],
      new AbortController().signal,
    );
    expect(result).toEqual({ exitCode: 3, signal: null, stdout: "out\n", stderr: "err\n" });
    expect(groups.running()).toBe(0);
  });

  it("kills the child and every process it started when aborted", async () => {
    const groups = createProcessGroups();
    const { cmd, group } = shell("forks", "sleep 600 & sleep 600 & wait");
    const abort = new AbortController();
    const run = groups.run(cmd, abort.signal);
    const pgid = await group();
    await eventually(
      "the shell and both sleeps",
      async () => (await groupMembers(pgid)).length === 3,
    );
    const members = await groupMembers(pgid);
    abort.abort(new Error("segment abandoned"));
    await expect(run).rejects.toThrow("segment abandoned");
    // The group had its SIGKILL before the run settled; the kernel ends its members just after.
    await eventually("the group gone", async () => (await groupMembers(pgid)).length === 0);
    for (const pid of members) {
      await eventually(`${pid} gone`, async () => !(await isRunning(pid)));
    }
    expect(groups.running()).toBe(0);
  });

  it("rejects with the timeout's own error when a timeout aborts it", async () => {
    const groups = createProcessGroups();
    const { cmd, group } = shell("slow", "sleep 600");
    const run = groups.run(cmd, AbortSignal.timeout(300));
    const pgid = await group();
    await expect(run).rejects.toMatchObject({ name: "TimeoutError" });
    // SIGKILL is sent; the kernel reaps the group a moment later.
    await eventually("the group gone", async () => (await groupMembers(pgid)).length === 0);
  });

  it("escalates to SIGKILL after the grace period when SIGTERM is ignored", async () => {
    const groups = createProcessGroups({ graceMs: 200 });
    const { cmd, group } = shell("stubborn", "trap '' TERM; sleep 600 & wait");
    const abort = new AbortController();
    const run = groups.run(cmd, abort.signal);
    const pgid = await group();
    await eventually(
      "the shell and its sleep",
      async () => (await groupMembers(pgid)).length === 2,
    );
    abort.abort(new Error("stop now"));
    await expect(run).rejects.toThrow("stop now");
    await eventually("the group gone", async () => (await groupMembers(pgid)).length === 0);
  });

  it("kills what a child left running behind it when it exits", async () => {
    const groups = createProcessGroups();
    const pidFile = join(dir, "orphan");
    // The background sleep keeps stdout open: without the group kill the run would never end.
    const result = await groups.run(
      ["sh", "-c", `sleep 600 & echo $! > ${pidFile}; echo done`],
      new AbortController().signal,
    );
    expect(result.stdout).toBe("done\n");
    // SIGKILL was sent to the group before the run settled; the kernel ends it just after.
    const orphan = Number((await readFile(pidFile, "utf8")).trim());
    await eventually("the orphan killed", async () => !(await isRunning(orphan)));
  });

  it("stop() kills running children and refuses new runs", async () => {
    const groups = createProcessGroups();
    const { cmd, group } = shell("stopped", "sleep 600 & wait");
    const run = groups.run(cmd, new AbortController().signal);
    const pgid = await group();
    // It settles while stop() still waits for the reaper to exit: caught from before.
    const settled = run.then(
      () => null,
      (err: unknown) => err,
    );
    await groups.stop();
    expect(await settled).toBeInstanceOf(EngineStoppedError);
    await eventually("the group gone", async () => (await groupMembers(pgid)).length === 0);
    await expect(groups.run(["true"], new AbortController().signal)).rejects.toBeInstanceOf(
      EngineStoppedError,
    );
  });
});
