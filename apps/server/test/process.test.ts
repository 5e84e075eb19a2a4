/** The hub as a user runs it: `bun src/main.ts`, stopped with a signal. */
import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { Socket } from "phoenix";
import { joinChannel, nextClose } from "./support/hub";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const children = new Set<Subprocess>();

afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
});

function spawnHub(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), "landale-process-"));
  const child = Bun.spawn(["bun", MAIN], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", LANDALE_DATA_DIR: dataDir, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  children.add(child);
  return child;
}

/** Reads stdout until the banner names the health URL, and returns the hub's base URL. */
async function bannerUrl(
  child: ReturnType<typeof spawnHub>,
): Promise<{ url: string; banner: string }> {
  const decoder = new TextDecoder();
  let banner = "";
  for await (const chunk of child.stdout) {
    banner += decoder.decode(chunk);
    const match = /health\s+(http:\/\/\S+)\/health/.exec(banner);
    if (match?.[1] !== undefined && banner.includes("Ctrl+C")) return { url: match[1], banner };
  }
  const stderr = await new Response(child.stderr).text();
  throw new Error(
    `hub exited (${await child.exited}) before printing its URLs:\n${banner}\n${stderr}`,
  );
}

describe("bun src/main.ts", () => {
  it("prints its URLs, serves, and on SIGTERM closes sockets with 1001 and exits 0 on its own", async () => {
    const child = spawnHub({ PORT: "0" });
    const { url, banner } = await bannerUrl(child);
    expect(banner).toContain(`${url.replace("http", "ws")}/socket/websocket`);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: "ok" });

    const socket = new Socket(`${url.replace("http", "ws")}/socket`, {
      reconnectAfterMs: () => 60_000,
    });
    socket.connect();
    expect((await joinChannel(socket.channel("events:all"))).status).toBe("ok");
    const closed = nextClose(socket);

    child.kill("SIGTERM");
    expect((await closed).code).toBe(1001);
    // Exit 0 comes only if nothing (timer, socket, server) kept the process alive: the watchdog
    // in main.ts exits 1 when a handle is left open after the stop.
    expect(await child.exited).toBe(0);
    socket.disconnect();
  });

  it("refuses a bad setting with a message naming it", async () => {
    const child = spawnHub({ PORT: "not-a-port" });
    expect(await child.exited).toBe(78);
    const stderr = await new Response(child.stderr).text();
    expect(stderr).toContain("Invalid configuration");
    expect(stderr).toContain("PORT:");
  });
});
