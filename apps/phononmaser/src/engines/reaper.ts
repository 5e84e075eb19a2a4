/**
 * What ends an engine child's own children when the worker dies without cleaning up (SIGKILL, a
 * crash). `setpriv --pdeathsig` reaches only the direct child; a stuck program's helpers would
 * stay. So a small shell, started once, is told on its stdin which process groups run; when its
 * stdin closes — the worker is gone, however it went, and the kernel closed the pipe — it kills
 * every group still listed, then exits. A worker that stops normally lists none by then.
 */
import type { FileSink, Subprocess } from "bun";

/** POSIX sh: `+ <group>` lists a group, `- <group>` unlists it; EOF kills what is listed. */
const SCRIPT = `
groups=" "
while read -r op group; do
  case "$op" in
    +) groups="$groups$group " ;;
    -) case "$groups" in *" $group "*) groups="\${groups%% $group *} \${groups#* $group }" ;; esac ;;
  esac
done
for group in $groups; do kill -s KILL -- "-$group" 2>/dev/null; done
`;

export interface Reaper {
  watch(group: number): void;
  release(group: number): void;
  /** Closes its stdin (it kills whatever is still listed) and waits for it to exit. */
  stop(): Promise<void>;
}

export function createReaper(): Reaper {
  let child: Subprocess<"pipe", "ignore", "ignore"> | null = null;
  let stopped = false;

  const send = (line: string) => {
    if (stopped) return;
    try {
      child ??= start();
      (child.stdin as FileSink).write(line);
      (child.stdin as FileSink).flush();
    } catch {
      // The reaper is gone: aborts, timeouts and stop() still end every group themselves.
    }
  };

  return {
    watch: (group) => send(`+ ${group}\n`),
    release: (group) => send(`- ${group}\n`),
    async stop() {
      stopped = true;
      if (child === null) return;
      try {
        await (child.stdin as FileSink).end();
      } catch {
        // Already closed.
      }
      await child.exited;
    },
  };
}

function start(): Subprocess<"pipe", "ignore", "ignore"> {
  const child = Bun.spawn(["sh", "-c", SCRIPT], {
    stdin: "pipe",
    stdout: "ignore",
    stderr: "ignore",
  });
  // It must never keep a worker alive by itself; the worker's exit closes its stdin anyway.
  child.unref();
  return child;
}
