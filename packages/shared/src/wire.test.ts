import { describe, expect, it } from "bun:test";
import { EVENT_FILTERS } from "./topics";
import {
  DASHBOARD,
  EVENTS,
  OVERLAY,
  PUSH,
  STREAM_OVERLAYS,
  STREAM_QUEUE,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_SESSION,
  WIRE_NAMES,
} from "./wire";

describe("the wire vocabulary", () => {
  it("names each member of a topic family after its prefix, and matches them with its pattern", () => {
    for (const filter of EVENT_FILTERS) expect(EVENTS.topic(filter).name).toBe(`events:${filter}`);
    expect(EVENTS.pattern).toBe("events:*");
    expect(OVERLAY.topic("omnibar").name).toBe("overlay:omnibar");
  });

  it("gives every push of a topic a schema that parses its payload", () => {
    expect(Object.keys(STREAM_OVERLAYS.pushes).sort()).toEqual(
      [PUSH.streamState, PUSH.takeover, PUSH.takeoverClear].sort(),
    );
    const cleared = STREAM_OVERLAYS.pushes[PUSH.takeoverClear].safeParse({
      id: "t1",
      type: "screen-cover",
    });
    expect(cleared.success).toBe(true);
    expect(DASHBOARD.pushes[PUSH.healthUpdate].safeParse({}).success).toBe(false);
  });

  it("lets clients push only the commands a topic takes", () => {
    expect(STREAM_OVERLAYS.commands).toContain("takeover");
    expect(STREAM_QUEUE.commands).toContain("skip");
    expect(DASHBOARD.commands).toContain("twitch:update_channel_info");
    expect(DASHBOARD.commands).not.toContain("skip");
    expect(TRANSCRIPTION_LIVE.commands).toEqual(["submit_transcription", "get_recent"]);
    expect(TRANSCRIPTION_SESSION.topic("s1").commands).toEqual([
      "get_recent",
      "get_session_transcriptions",
    ]);
  });

  it("spells every name once", () => {
    expect(new Set(WIRE_NAMES).size).toBe(WIRE_NAMES.length);
  });
});
