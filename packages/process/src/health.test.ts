import { afterEach, describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import { type HealthServer, startHealthServer } from "./health";

const logger = createLogger({ name: "test", level: "silent" });
let server: HealthServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function start(report: () => unknown = () => ({ status: "ok" })): HealthServer {
  server = startHealthServer({ host: "127.0.0.1", port: 0, report, logger });
  return server;
}

describe("startHealthServer", () => {
  it("serves the report fresh on each GET /health at the URL it gives", async () => {
    let calls = 0;
    const { url, port } = start(() => ({ status: "ok", calls: ++calls }));
    expect(url).toBe(`http://127.0.0.1:${port}/health`);
    expect(await (await fetch(url)).json()).toEqual({ status: "ok", calls: 1 });
    expect(await (await fetch(url)).json()).toEqual({ status: "ok", calls: 2 });
  });

  it("answers HEAD, and 404 elsewhere and 405 for other methods with an error body", async () => {
    const { url, port } = start();
    expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
    const elsewhere = await fetch(`http://127.0.0.1:${port}/other`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ code: "not_found" });
    const post = await fetch(url, { method: "POST" });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ code: "method_not_allowed" });
  });

  it("lets go of its port on stop", async () => {
    const { url } = start();
    await server?.stop();
    server = undefined;
    await expect(fetch(url)).rejects.toThrow();
  });
});
