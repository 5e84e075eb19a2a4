import { describe, expect, it } from "bun:test";
import type { RainwaveStatus } from "@landale/shared";
import { describeMusic } from "./music";

const base: RainwaveStatus = {
  state: "polling",
  enabled: true,
  configured: true,
  station: 3,
  station_name: "Covers",
  now_playing: null,
  last_polled_at: null,
  failures: 0,
  problem: null,
};

describe("describeMusic", () => {
  it("names the song, its artists and album and the station while listening", () => {
    expect(
      describeMusic({
        ...base,
        now_playing: {
          station: 3,
          listening: true,
          title: "Still Alive",
          artists: ["Jonathan Coulton", "Ellen McLain"],
          album: "Portal",
          art_url: null,
          started_at: null,
          ends_at: null,
        },
      }),
    ).toBe("Still Alive — Jonathan Coulton, Ellen McLain (Portal) on Covers");
  });

  it("says when the streamer tuned out, the poller is off, or nothing is set up", () => {
    const out = {
      station: 3,
      listening: false,
      title: null,
      artists: [],
      album: null,
      art_url: null,
      started_at: null,
      ends_at: null,
    };
    expect(describeMusic({ ...base, now_playing: out })).toBe("Tuned out of Covers.");
    expect(describeMusic({ ...base, enabled: false, state: "disabled" })).toBe(
      "Off (station: Covers).",
    );
    expect(describeMusic({ ...base, configured: false, state: "unconfigured" })).toContain(
      "RAINWAVE_USER_ID",
    );
  });
});
