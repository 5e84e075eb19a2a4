/** A driver's subprocesses — servers, hubs, client workers — each with a time limit, all killed at the end. */
import type { Subprocess } from "bun";
import type { WorkerMessage } from "./worker";

const DEFAULT_KILL_GRACE_MS = 2_000;
const DEFAULT_OUTPUT_MAX_BYTES = 64 * 1024;

export interface SpawnOptions {
  stdout: "pipe" | "inherit";
  ipc?: (message: unknown) => void;
  /** Bun's own flags, before the script (e.g. `--preload`, `--cpu-prof`). */
  bunArgs?: readonly string[];
  /** Arguments after the time limit (the first argument). */
  args?: readonly string[];
  /** The child's environment; the driver's when absent. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  graceMs?: number;
}

/** Owns every subprocess the driver starts; `stopAll` and `killAllNow` leave none running. */
export class ProcessGroup {
  readonly #children = new Map<Subprocess, number>();

  /** `lifetimeMs` is passed to each child as its first argument; it exits by itself past it. */
  constructor(readonly lifetimeMs: number) {}

  spawn(script: string, options: SpawnOptions): Subprocess {
    const child = Bun.spawn(
      [
        process.execPath,
        ...(options.bunArgs ?? []),
        script,
        String(this.lifetimeMs),
        ...(options.args ?? []),
      ],
      {
        stdin: "ignore",
        stdout: options.stdout,
        stderr: "inherit",
        ipc: options.ipc,
        env: options.env,
        cwd: options.cwd,
      },
    );
    this.#children.set(child, options.graceMs ?? DEFAULT_KILL_GRACE_MS);
    child.exited.then(() => this.#children.delete(child));
    return child;
  }

  async stop(child: Subprocess): Promise<void> {
    const graceMs = this.#children.get(child) ?? DEFAULT_KILL_GRACE_MS;
    child.kill("SIGTERM");
    const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(graceMs)]);
    if (exited !== true) child.kill("SIGKILL");
    await child.exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#children.keys()].map((child) => this.stop(child)));
  }

  /** For signal handlers, which cannot wait. */
  killAllNow(): void {
    for (const child of this.#children.keys()) child.kill("SIGKILL");
  }
}

export interface AwaitOutputOptions {
  /** Names the child in errors, e.g. "server". */
  what: string;
  timeoutMs: number;
  maxBytes?: number;
  /** Receives everything the child writes after the match; without it the stream is left unread. */
  onRest?: (text: string) => void;
}

/** Reads a child's stdout until `pattern` matches what it wrote (a ready line, a banner). */
export async function awaitOutput(
  stdout: ReadableStream<Uint8Array>,
  pattern: RegExp,
  options: AwaitOutputOptions,
): Promise<RegExpExecArray> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  const maxBytes = options.maxBytes ?? DEFAULT_OUTPUT_MAX_BYTES;
  const deadline = Bun.sleep(options.timeoutMs).then(() => null);
  let text = "";
  let match = pattern.exec(text);
  while (match === null && text.length < maxBytes) {
    const chunk = await Promise.race([reader.read(), deadline]);
    if (chunk === null) throw new Error(`${options.what} not ready after ${options.timeoutMs} ms`);
    if (chunk.done) throw new Error(`${options.what} exited before it was ready: ${text}`);
    text += decoder.decode(chunk.value, { stream: true });
    match = pattern.exec(text);
  }
  if (match === null)
    throw new Error(`${options.what} wrote ${text.length} bytes and no ${pattern}`);
  const rest = text.slice(match.index + match[0].length);
  if (options.onRest === undefined) {
    reader.releaseLock();
    return match;
  }
  if (rest !== "") options.onRest(rest);
  const onRest = options.onRest;
  // Keep reading, so a child that logs never blocks on a full pipe.
  (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      onRest(decoder.decode(chunk.value, { stream: true }));
    }
  })().catch(() => {
    // The child is gone; so is its output.
  });
  return match;
}

interface Pending<R> {
  resolve(reply: R): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Client workers (see `serveDriver`), asked questions over IPC; each answer carries the id of its
 * question, and a `failure` answer rejects it.
 */
export class WorkerPool<C extends WorkerMessage, R extends WorkerMessage> {
  readonly #pending = new Map<number, Pending<R>>();
  #children: Subprocess[] = [];
  #nextId = 1;

  private constructor(private readonly group: ProcessGroup) {}

  static async start<C extends WorkerMessage, R extends WorkerMessage>(
    group: ProcessGroup,
    script: string,
    count: number,
    timeoutMs: number,
    env?: Record<string, string | undefined>,
  ): Promise<WorkerPool<C, R>> {
    const pool = new WorkerPool<C, R>(group);
    const hellos: Promise<R>[] = [];
    for (let i = 0; i < count; i++) {
      // Each worker says hello with id 0; give each hello its own negative key until it arrives.
      const helloKey = -(i + 1);
      hellos.push(pool.#expect(helloKey, timeoutMs));
      const child = group.spawn(script, {
        stdout: "inherit",
        env,
        ipc: (message) => pool.#receive(message as R, helloKey),
      });
      child.exited.then((code) => pool.#failAll(`client worker exited with ${code}`));
      pool.#children.push(child);
    }
    await Promise.all(hellos);
    return pool;
  }

  get size(): number {
    return this.#children.length;
  }

  /** The workers' process ids, e.g. to read their CPU time from /proc. */
  get pids(): number[] {
    return this.#children.map((child) => child.pid);
  }

  /** Sends each worker the command `make(i, id)` and waits for every answer. */
  async askAll<T extends R>(
    make: (index: number, id: number) => C,
    timeoutMs: number,
  ): Promise<T[]> {
    return Promise.all(
      this.#children.map((child, index) => {
        const id = this.#nextId++;
        const answer = this.#expect(id, timeoutMs);
        child.send(make(index, id));
        return answer as Promise<T>;
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.#children.map((child) => this.group.stop(child)));
  }

  #expect(id: number, timeoutMs: number): Promise<R> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`client worker did not answer request ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
    });
  }

  #receive(reply: R, helloKey: number): void {
    const key = reply.id === 0 ? helloKey : reply.id;
    const pending = this.#pending.get(key);
    if (pending === undefined) return;
    this.#pending.delete(key);
    clearTimeout(pending.timer);
    if (reply.type === "failure") {
      pending.reject(new Error(`client worker: ${(reply as { message?: string }).message}`));
    } else {
      pending.resolve(reply);
    }
  }

  #failAll(reason: string): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(reason));
      this.#pending.delete(id);
    }
  }
}
