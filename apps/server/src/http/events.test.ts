import { describe, expect, it } from "bun:test";
import { MAX_BODY_BYTES } from "@landale/shared";
import { ByteAdmission } from "../events/admission";
import type { Accepted, Ingest } from "../events/ingest";
import { Turns } from "../events/turns";
import { eventRoutes } from "./events";
import { declaredBytes } from "./in-flight";

/** An ingest that answers only when told, so requests stay in flight; `called` says it was reached. */
function heldIngest() {
  const releases: ((accepted: Accepted[]) => void)[] = [];
  let reached = () => {};
  const ingest: Ingest = () => {
    reached();
    return new Promise((resolve) => releases.push(resolve));
  };
  return {
    ingest,
    called: () => new Promise<void>((resolve) => (reached = resolve)),
    release: (accepted: Accepted[]) => releases.shift()?.(accepted),
  };
}

const post = (
  routes: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  body: string,
) =>
  routes.request("/", { method: "POST", body, headers: { "content-length": String(body.length) } });

describe("POST /api/events in flight", () => {
  it("refuses requests past the bound unread, with 503 backpressure, and counts them", async () => {
    const { ingest, called, release } = heldIngest();
    const routes = eventRoutes(ingest, {
      admission: new ByteAdmission(1024 * 1024, () => 0),
      turns: new Turns(),
      maxInFlight: 1,
    });

    let reached = called();
    const first = post(routes, JSON.stringify({ type: "custom.x", data: {} }));
    await reached;
    const second = await post(routes, "{}");
    expect(second.status).toBe(503);
    expect(second.headers.get("connection")).toBe("close");
    expect(await second.json()).toMatchObject({ code: "backpressure" });
    expect(routes.refused()).toBe(1);

    release([{ id: "a", seq: 1 }]);
    expect((await first).status).toBe(202);
    const accepted: Accepted[] = [{ id: "b", seq: 2 }];
    reached = called();
    const third = post(routes, "{}");
    await reached;
    release(accepted);
    expect(await (await third).json()).toEqual({ accepted });
  });

  it("refuses a body whose declared size would pass the byte budget, and counts it", async () => {
    let pending = 0;
    const admission = new ByteAdmission(1000, () => pending);
    const { ingest, called, release } = heldIngest();
    const routes = eventRoutes(ingest, { admission, turns: new Turns() });

    pending = 900;
    const refused = await post(routes, "x".repeat(200));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toMatchObject({ code: "backpressure" });
    expect(admission.stats()).toEqual({ readingBytes: 0, refused: 1 });

    pending = 0;
    const body = JSON.stringify({ type: "custom.x", data: {} });
    const reached = called();
    const accepted = post(routes, body);
    await reached;
    // Submitted: the reservation is given back while the request waits for its commit.
    expect(admission.stats().readingBytes).toBe(0);
    release([{ id: "a", seq: 1 }]);
    expect((await accepted).status).toBe(202);
  });
});

describe("declaredBytes", () => {
  it("takes Content-Length, and the body limit when there is none or it is not a number", () => {
    expect(declaredBytes("1234")).toBe(1234);
    expect(declaredBytes(undefined)).toBe(MAX_BODY_BYTES);
    expect(declaredBytes("")).toBe(MAX_BODY_BYTES);
    expect(declaredBytes("-5")).toBe(MAX_BODY_BYTES);
  });
});
