import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NewEvent } from "@landale/db";
import { sampleEvent } from "@landale/db/testing";
import { SPOOL_FILE, Spool, SpoolDiskFullError } from "./spool";

const PADDING = "x".repeat(60_000);
const padded = (seq: number): NewEvent => sampleEvent(seq, { data: { padding: PADDING } });

/** Whether this process may mount a tmpfs (root on Linux): the way to fill a disk for real. */
function canMountTmpfs(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "landale-mount-probe-"));
  try {
    return Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]).exitCode === 0;
  } finally {
    Bun.spawnSync(["umount", dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the spool", () => {
  it("keeps each event's data once, and none of the writer's hints", async () => {
    const dir = mkdtempSync(join(tmpdir(), "landale-spool-"));
    try {
      const spool = await Spool.open(dir);
      const event = sampleEvent(1, { dataJson: '{"n":1}', madeId: true });
      await spool.append([event]);
      await spool.close();
      const [line] = readFileSync(join(dir, SPOOL_FILE), "utf8").split("\n");
      const { dataJson: _json, madeId: _made, ...kept } = event;
      expect(JSON.parse(line ?? "")).toEqual([kept]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.if(canMountTmpfs())("the spool on a disk that fills up", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir === null) return;
    Bun.spawnSync(["umount", dir]);
    rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it("refuses the window that does not fit whole, and keeps every window it took readable", async () => {
    dir = mkdtempSync(join(tmpdir(), "landale-spool-full-"));
    expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir]).exitCode).toBe(
      0,
    );
    const spool = await Spool.open(dir);
    const taken: number[] = [];
    let refusal: unknown = null;
    for (let seq = 1; seq <= 10 && refusal === null; seq++) {
      try {
        await spool.append([padded(seq)]);
        taken.push(seq);
      } catch (err) {
        refusal = err;
      }
    }
    expect(refusal).toBeInstanceOf(SpoolDiskFullError);
    expect((refusal as Error).message).toContain("ENOSPC");
    // The file holds exactly the windows answered as taken, whole: no torn or padded line.
    const lines = readFileSync(join(dir, SPOOL_FILE), "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((line) => (JSON.parse(line) as NewEvent[])[0]?.seq)).toEqual(taken);
    expect(spool.depth).toBe(taken.length);

    // With room again the next window is taken, and a reader sees every one in order.
    expect(
      Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "remount,size=8m", "tmpfs", dir]).exitCode,
    ).toBe(0);
    await spool.append([padded(100)]);
    const read: number[] = [];
    for await (const window of spool.undrained()) read.push(window.events[0]?.seq ?? -1);
    expect(read).toEqual([...taken, 100]);
    await spool.close();
  });
});
