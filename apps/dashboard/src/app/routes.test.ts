import { describe, expect, it } from "bun:test";
import { pathOfView, VIEWS, viewOfPath } from "./routes";

describe("routes", () => {
  it("reads the view from the path under the base", () => {
    expect(viewOfPath("/dashboard/", "/dashboard/")).toBe("activity");
    expect(viewOfPath("/dashboard/queue", "/dashboard/")).toBe("queue");
    expect(viewOfPath("/dashboard/health/", "/dashboard/")).toBe("health");
    expect(viewOfPath("/dashboard/twitch", "/dashboard/")).toBe("twitch");
    expect(viewOfPath("/dashboard/obs", "/dashboard/")).toBe("obs");
    expect(viewOfPath("/dashboard/transcripts", "/dashboard/")).toBe("transcripts");
    expect(viewOfPath("/dashboard/context", "/dashboard/")).toBe("context");
  });

  it("shows the activity feed for a path it does not know", () => {
    expect(viewOfPath("/dashboard/nope", "/dashboard/")).toBe("activity");
    expect(viewOfPath("/elsewhere", "/dashboard/")).toBe("activity");
  });

  it("round-trips every view", () => {
    for (const view of VIEWS) {
      expect(viewOfPath(pathOfView(view.id, "/dashboard/"), "/dashboard/")).toBe(view.id);
    }
  });
});
