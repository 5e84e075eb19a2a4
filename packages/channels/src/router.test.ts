import { describe, expect, it } from "bun:test";
import type { ChannelHandler } from "./handler";
import { ok } from "./message";
import { createRouter } from "./router";

const handler = (name: string): ChannelHandler => ({ join: () => ok({ name }) });

describe("Router", () => {
  it("matches exact topics and trailing-star prefixes, first match first", () => {
    const exact = handler("exact");
    const events = handler("events");
    const any = handler("any");
    const router = createRouter()
      .channel("room:lobby", exact)
      .channel("feed:*", events)
      .channel("*", any);
    expect(router.match("room:lobby")?.handler).toBe(exact);
    expect(router.match("feed:all")?.handler).toBe(events);
    expect(router.match("feed:")?.handler).toBe(events);
    expect(router.match("room:other")?.handler).toBe(any);
  });

  it("matches nothing when no pattern fits", () => {
    const router = createRouter().channel("feed:*", handler("events"));
    expect(router.match("event")).toBeNull();
    expect(router.match("room:lobby")).toBeNull();
  });

  it("refuses a star anywhere but the end", () => {
    expect(() => createRouter().channel("feed:*:x", handler("bad"))).toThrow(
      '"*" may only end a pattern',
    );
  });
});
