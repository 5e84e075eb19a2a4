/** Sample `data` for the hub's own event types, and for the free-form tcp.* and custom.* families. */
import type { z } from "zod";
import type { HUB_EVENT_SCHEMAS, HubEventType } from "./hub";

type Samples = { readonly [K in HubEventType]: z.input<(typeof HUB_EVENT_SCHEMAS)[K]> };

/** One `data` per hub type, with every optional field filled so tests see them all. */
export const HUB_SAMPLES: Samples = {
  "obs.stream.started": {},
  "obs.stream.stopped": { timecode: "02:14:09.120", duration_ms: 8_049_120 },
  "obs.stream.start_failed": {},
  "obs.recording.started": {},
  "obs.recording.stopped": {
    output_path: "/home/streamer/Videos/2026-03-11 19-02-11.mkv",
    timecode: "00:42:00.000",
    duration_ms: 2_520_000,
  },
  "obs.scene.changed": {
    scene_name: "Gameplay",
    scene_uuid: "7e1c1f0a-3b52-4c6e-9f1d-2a4b6c8d0e1f",
    previous_scene_name: "Starting Soon",
  },
  "obs.connection.established": {
    obs_version: "31.0.2",
    websocket_version: "5.5.4",
    scene_name: "Gameplay",
    stream_active: true,
  },
  "obs.connection.lost": { reason: "socket closed", code: 1006 },
  "obs.connection.failed": { reason: "connect ECONNREFUSED 127.0.0.1:4455", attempt: 3 },
  "system.error": {
    message: "batch insert failed: connection terminated",
    component: "events.batcher",
    code: "db_unavailable",
  },
  "system.connection.lost": { service: "database", reason: "connection terminated unexpectedly" },
  "system.connection.failed": { service: "twitch", reason: "401 invalid oauth token" },
  "system.startup": { version: "0.1.0" },
  "system.shutdown": { reason: "SIGTERM" },
  "stream.takeover.started": {
    type: "technical-difficulties",
    message: "Back in a moment!",
    duration_ms: 120_000,
  },
  "stream.takeover.cleared": { reason: "command" },
  "stream.show.changed": { show: "ironmon", previous_show: "variety" },
  "obs.recording.paused": {},
  "obs.recording.resumed": {},
  "obs.virtualcam.started": {},
  "obs.virtualcam.stopped": {},
  "obs.replay_buffer.started": {},
  "obs.replay_buffer.stopped": {},
  "obs.replay_buffer.saved": { path: "/home/streamer/Videos/Replay 2026-03-11 19-40-02.mkv" },
  "obs.scene_list.changed": { scenes: ["Starting Soon", "Game", "BRB", "Ending"] },
  "obs.studio_mode.changed": { enabled: true },
};

/** Free-form events as a game script or a stream deck would send them. */
export const FREE_FORM_SAMPLES = {
  "tcp.message": {
    game: "Pokemon FireRed",
    event: "checkpoint",
    checkpoint: { name: "Brock", index: 1, party: [{ species: "Squirtle", level: 14 }] },
  },
  "custom.quiz.answer": { user_id: "1234", user_login: "cool_user", answer: "B", correct: true },
  "custom.counter": 42,
} as const;
