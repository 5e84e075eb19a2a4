import { describe, expect, it } from "bun:test";
import { Writable } from "node:stream";
import { createLogger } from "@landale/logger";
import {
  EXIT_CONFIG,
  type LifecycleOptions,
  loadOrExit,
  type ProcessPort,
  startLifecycle,
} from "./index";

/**
 * Thrown by the fake's exit when called from a signal or a load the test drives, so the code after
 * a real `process.exit` does not run either. From a timer or a promise exit is the last statement,
 * so there it only records (a throw would be an uncaught error in the test runner).
 */
class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A stand-in for `process`: signals delivered by hand, a ppid that can change, exits recorded. */
function fakeProcess() {
  const listeners = new Map<string, (signal: NodeJS.Signals) => void>();
  const exits: number[] = [];
  let exited: (code: number) => void = () => {};
  let driving = false;
  const port: ProcessPort & { ppid: number } = {
    ppid: 4242,
    exitCode: undefined,
    exit(code: number): never {
      exits.push(code);
      exited(code);
      if (driving) throw new Exited(code);
      return undefined as never;
    },
    on(signal, listener) {
      listeners.set(signal, listener);
    },
  };
  return {
    port,
    exits,
    /** Resolves with the next exit code. */
    nextExit: () => new Promise<number>((resolve) => (exited = resolve)),
    signal(signal: NodeJS.Signals) {
      driving = true;
      try {
        listeners.get(signal)?.(signal);
      } catch (err) {
        if (!(err instanceof Exited)) throw err;
      } finally {
        driving = false;
      }
    },
    /** Runs `fn` as the process's own code: an exit inside it ends it with Exited. */
    drive<T>(fn: () => T): T {
      driving = true;
      try {
        return fn();
      } finally {
        driving = false;
      }
    },
    listening: () => [...listeners.keys()].sort(),
  };
}

function capture() {
  const lines: { msg: string; signal?: string }[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, logger: createLogger({ name: "test", destination }) };
}

/** A stop the test finishes by hand, counting how often it was asked for. */
function heldStop() {
  let calls = 0;
  let finish: (err?: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = (err) => (err === undefined ? resolve() : reject(err));
  });
  return {
    stop: () => {
      calls += 1;
      return done;
    },
    calls: () => calls,
    finish: (err?: Error) => finish(err),
  };
}

class ConfigError extends Error {}

/** A watchdog that will not fire while this file runs (setTimeout's largest delay). */
const NEVER_MS = 2 ** 31 - 1;

describe("loadOrExit", () => {
  it("returns what the load returns", () => {
    const proc = fakeProcess();
    expect(proc.drive(() => loadOrExit(() => 7, [ConfigError], proc.port))).toBe(7);
    expect(proc.exits).toEqual([]);
  });

  it("exits 78 on a config error", () => {
    const proc = fakeProcess();
    const load = () => {
      throw new ConfigError("LANDALE_PORT must be a port");
    };
    expect(() => proc.drive(() => loadOrExit(load, [ConfigError], proc.port))).toThrow(Exited);
    expect(proc.exits).toEqual([EXIT_CONFIG]);
  });

  it("throws any other error on", () => {
    const proc = fakeProcess();
    const load = () => {
      throw new TypeError("a bug");
    };
    expect(() => proc.drive(() => loadOrExit(load, [ConfigError], proc.port))).toThrow(TypeError);
    expect(proc.exits).toEqual([]);
  });
});

/** A lifecycle on a fake process, logging into `lines`; the hub's by default, not watching. */
function setup(options: Partial<Omit<LifecycleOptions, "logger" | "process">> = {}) {
  const proc = fakeProcess();
  const { logger, lines } = capture();
  const lifecycle = startLifecycle({
    logger,
    name: "the hub",
    exitWithParent: false,
    process: proc.port,
    ...options,
  });
  return { proc, lines, lifecycle, messages: () => lines.map((line) => line.msg) };
}

describe("startLifecycle", () => {
  it("handles no signal until told how to stop", () => {
    const { proc, lifecycle } = setup();
    expect(proc.listening()).toEqual([]);
    lifecycle.stopWith(async () => {});
    expect(proc.listening()).toEqual(["SIGINT", "SIGTERM"]);
  });

  it("stops once on a signal and leaves exit 0", async () => {
    const { proc, lines, lifecycle } = setup({ watchdogMs: NEVER_MS });
    const held = heldStop();
    lifecycle.stopWith(held.stop);
    proc.signal("SIGTERM");
    expect(held.calls()).toBe(1);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "shutting down", signal: "SIGTERM" }),
    );
    held.finish();
    await held.stop();
    expect(proc.port.exitCode).toBe(0);
    expect(proc.exits).toEqual([]);
  });

  it("takes a repeat within the same-signal window as the same press", () => {
    const { proc, lifecycle, messages } = setup({ sameSignalMs: 60_000 });
    const held = heldStop();
    lifecycle.stopWith(held.stop);
    proc.signal("SIGINT");
    proc.signal("SIGINT");
    expect(held.calls()).toBe(1);
    expect(proc.exits).toEqual([]);
    expect(messages()).not.toContain("second signal: exiting now");
  });

  it("exits 1 at once on a second signal after the window", () => {
    const { proc, lines, lifecycle } = setup({ sameSignalMs: 0 });
    const held = heldStop();
    lifecycle.stopWith(held.stop);
    proc.signal("SIGINT");
    proc.signal("SIGTERM");
    expect(held.calls()).toBe(1);
    expect(proc.exits).toEqual([1]);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "second signal: exiting now", signal: "SIGTERM" }),
    );
  });

  it("exits 1 when the stop fails", async () => {
    const { proc, lifecycle, messages } = setup();
    const held = heldStop();
    lifecycle.stopWith(held.stop);
    const exit = proc.nextExit();
    proc.signal("SIGTERM");
    held.finish(new Error("database gone"));
    expect(await exit).toBe(1);
    expect(messages()).toContain("shutdown failed");
  });

  it("exits 1 and says so when a handle outlives the stop", async () => {
    const { proc, lifecycle, messages } = setup({ watchdogMs: 1 });
    lifecycle.stopWith(async () => {});
    const exit = proc.nextExit();
    proc.signal("SIGTERM");
    expect(await exit).toBe(1);
    expect(messages()).toContain("still running after shutdown: a handle was left open");
  });

  it("exits 1 when the launcher is gone before the process could stop gracefully", async () => {
    const { proc, messages } = setup({ exitWithParent: true, pollMs: 1 });
    const exit = proc.nextExit();
    proc.port.ppid = 1;
    expect(await exit).toBe(1);
    expect(messages()).toContain("the process that started the hub is gone: exiting");
  });

  it("stops gracefully when the launcher is gone once it can", async () => {
    const { proc, lines, lifecycle, messages } = setup({
      name: "the worker",
      exitWithParent: true,
      pollMs: 1,
      watchdogMs: NEVER_MS,
    });
    let stopped: () => void = () => {};
    const stopCalled = new Promise<void>((resolve) => (stopped = resolve));
    lifecycle.stopWith(async () => stopped());
    proc.port.ppid = 1;
    await stopCalled;
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "shutting down", signal: "launcher gone" }),
    );
    expect(messages()).toContain("the process that started the worker is gone: stopping");
  });
});
