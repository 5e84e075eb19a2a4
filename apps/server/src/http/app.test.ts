import { describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import { AppError } from "../errors";
import { SOCKET_PATH } from "../server";
import { createHttpApp, type Lifecycle } from "./app";

const logger = createLogger({ name: "test", level: "silent" });
const auth = {
  token: null,
  overlayToken: null,
  allowedOrigins: [],
  host: "127.0.0.1",
  allowedHosts: [],
};

describe("/ready", () => {
  it.each([
    ["starting", 503],
    ["ready", 200],
    ["stopping", 503],
  ] as [Lifecycle, number][])("answers %s with %d", async (lifecycle, status) => {
    const response = await createHttpApp({ logger, lifecycle: () => lifecycle, auth }).request(
      "/ready",
    );
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ status: lifecycle });
  });
});

describe("while starting", () => {
  it("answers the API and the socket path 503 starting, and liveness as usual", async () => {
    const app = createHttpApp({ logger, lifecycle: () => "starting", auth });
    for (const path of ["/api/events", "/api/health", SOCKET_PATH]) {
      const response = await app.request(path);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(await response.json()).toMatchObject({ code: "starting" });
    }
    expect((await app.request("/health")).status).toBe(200);
  });
});

describe("errors", () => {
  it("turns typed errors into their body and anything else into a bare 500", async () => {
    const app = createHttpApp({ logger, lifecycle: () => "ready", auth });
    app.get("/conflict", () => {
      throw new AppError(409, "conflict", "already there", { id: "x" });
    });
    app.get("/bug", () => {
      throw new Error("secret internals");
    });
    const conflict = await app.request("/conflict");
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({
      code: "conflict",
      message: "already there",
      details: { id: "x" },
    });
    const bug = await app.request("/bug");
    expect(bug.status).toBe(500);
    expect(await bug.json()).toEqual({ code: "internal", message: "internal server error" });
  });
});
