/** A sample of each rainwave.* event, as the hub's poller records it. */
import type { z } from "zod";
import type { RAINWAVE_EVENT_SCHEMAS } from "./rainwave";

type Samples = {
  [K in keyof typeof RAINWAVE_EVENT_SCHEMAS]: z.input<(typeof RAINWAVE_EVENT_SCHEMAS)[K]>;
};

export const RAINWAVE_SAMPLES: Samples = {
  "rainwave.update": {
    station: 3,
    listening: true,
    title: "Dancing Mad",
    artists: ["Nobuo Uematsu"],
    album: "Final Fantasy VI",
    art_url: "https://rainwave.cc/album_art/3_1234_320.jpg",
    started_at: "2026-12-04T16:00:00.000Z",
    ends_at: "2026-12-04T16:04:30.000Z",
  },
};
