import { describe, expect, it } from "bun:test";
import type { Accepted, Ingest } from "../events/ingest";
import { eventRoutes } from "./events";

describe("POST /api/events in flight", () => {
  it("refuses requests past the bound unread, with 503 backpressure, and counts them", async () => {
    let release: (accepted: Accepted[]) => void = () => {};
    const ingest: Ingest = () =>
      new Promise((resolve) => {
        release = resolve;
      });
    const routes = eventRoutes(ingest, 1);
    const post = () =>
      routes.request("/", { method: "POST", body: JSON.stringify({ type: "custom.x", data: {} }) });

    const first = post();
    await Bun.sleep(0);
    const second = await post();
    expect(second.status).toBe(503);
    expect(second.headers.get("connection")).toBe("close");
    expect(await second.json()).toMatchObject({ code: "backpressure" });
    expect(routes.refused()).toBe(1);

    release([{ id: "a", seq: 1 }]);
    expect((await first).status).toBe(202);
    const accepted: Accepted[] = [{ id: "b", seq: 2 }];
    const third = routes.request("/", { method: "POST", body: "{}" });
    await Bun.sleep(0);
    release(accepted);
    expect(await (await third).json()).toEqual({ accepted });
  });
});
