import { describe, expect, it } from "bun:test";
import type { ChannelHandler } from "./channel";
import { ok } from "./message";
import { createRouter } from "./router";

const handler = (name: string): ChannelHandler => ({ join: () => ok({ name }) });

describe("Router", () => {
  it("matches exact topics and trailing-star prefixes, first match first", () => {
    const exact = handler("exact");
    const events = handler("events");
    const any = handler("any");
    const router = createRouter()
      .channel("stream:overlays", exact)
      .channel("events:*", events)
      .channel("*", any);
    expect(router.match("stream:overlays")?.handler).toBe(exact);
    expect(router.match("events:all")?.handler).toBe(events);
    expect(router.match("events:")?.handler).toBe(events);
    expect(router.match("stream:queue")?.handler).toBe(any);
  });

  it("matches nothing when no pattern fits", () => {
    const router = createRouter().channel("events:*", handler("events"));
    expect(router.match("event")).toBeNull();
    expect(router.match("stream:overlays")).toBeNull();
  });

  it("refuses a star anywhere but the end", () => {
    expect(() => createRouter().channel("events:*:x", handler("bad"))).toThrow(
      '"*" may only end a pattern',
    );
  });
});
