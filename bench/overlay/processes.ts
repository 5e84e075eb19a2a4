/** The driver's process tree from /proc: the hub and every Chromium process Playwright started. */
import { readdir } from "node:fs/promises";
import { readProc } from "../lib/machine";

/** Every live process below `root` (not `root` itself). */
export async function descendantPids(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  const entries = await readdir("/proc").catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const parent = parentOf(await readProc(`/proc/${name}/stat`));
        if (parent === null) return;
        const siblings = children.get(parent) ?? [];
        siblings.push(Number(name));
        children.set(parent, siblings);
      }),
  );
  const found: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The parent pid in a /proc/<pid>/stat line: the second field after the `(comm)` one. */
function parentOf(stat: string | null): number | null {
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const parent = Number(fields[1]);
  return Number.isInteger(parent) ? parent : null;
}
