/**
 * Commands that change the stream state, from the dashboard (channel pushes on `stream:overlays`
 * and `stream:queue`) or scripts (REST). Durations are in seconds, as a streamer types them; a
 * takeover also takes `duration_ms`, as the older system sent it.
 */
import { z } from "zod";
import { EventId } from "../events/envelope";
import { LayerName, TakeoverType } from "./state";

const Seconds = (max: number) => z.number().positive().max(max);
const Empty = z.strictObject({});

/**
 * The longest timed takeover, in seconds. The older system sent milliseconds in `duration`, which
 * read as seconds would cover the stream for hours: past this it is refused, naming the unit.
 */
export const TAKEOVER_MAX_SECONDS = 60 * 60;

export const TakeoverCommand = z
  .strictObject({
    type: TakeoverType,
    message: z.string().trim().min(1).max(500).optional(),
    /** Seconds until it clears itself; none (nor `duration_ms`) covers until `takeover_clear`. */
    duration: z
      .number()
      .positive()
      .max(
        TAKEOVER_MAX_SECONDS,
        `must be at most ${TAKEOVER_MAX_SECONDS} seconds (1 h); for milliseconds send duration_ms, or no duration to cover until cleared`,
      )
      .optional(),
    /** The same in milliseconds. */
    duration_ms: z
      .number()
      .positive()
      .max(TAKEOVER_MAX_SECONDS * 1000, `must be at most ${TAKEOVER_MAX_SECONDS * 1000} ms (1 h)`)
      .optional(),
  })
  .refine((command) => command.type !== "custom" || command.message !== undefined, {
    path: ["message"],
    message: "a custom takeover needs a message",
  })
  .refine((command) => command.duration === undefined || command.duration_ms === undefined, {
    path: ["duration_ms"],
    message: "give duration (seconds) or duration_ms, not both",
  });
export type TakeoverCommand = z.infer<typeof TakeoverCommand>;

export const ForceContentCommand = z.strictObject({
  layer: LayerName,
  /** What overlays should render, e.g. `announcement`. */
  type: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()).default({}),
  duration: Seconds(60 * 60),
});
export type ForceContentCommand = z.infer<typeof ForceContentCommand>;

export const RemoveItemCommand = z.strictObject({ id: z.string().min(1).max(200) });
export const ReplayEventCommand = z.strictObject({ event_id: EventId });

/** Every command by name, with its payload schema. */
export const STREAM_COMMANDS = {
  takeover: TakeoverCommand,
  takeover_clear: Empty,
  force_content: ForceContentCommand,
  pause: Empty,
  resume: Empty,
  skip: Empty,
  remove_item: RemoveItemCommand,
  replay_event: ReplayEventCommand,
  clear: Empty,
} as const;
export type StreamCommandName = keyof typeof STREAM_COMMANDS;

export const OVERLAY_COMMANDS = ["takeover", "takeover_clear", "force_content"] as const;
export const QUEUE_COMMANDS = [
  "pause",
  "resume",
  "skip",
  "remove_item",
  "replay_event",
  "clear",
] as const;
export type QueueCommandName = (typeof QUEUE_COMMANDS)[number];

/** A parsed command: its name and its payload. */
export type StreamCommand = {
  [K in StreamCommandName]: { name: K; payload: z.infer<(typeof STREAM_COMMANDS)[K]> };
}[StreamCommandName];

export function isStreamCommandName(name: string): name is StreamCommandName {
  return Object.hasOwn(STREAM_COMMANDS, name);
}

/** The reply to an accepted command: the state version it produced. */
export const CommandReply = z.object({ version: z.int().nonnegative() });
export type CommandReply = z.infer<typeof CommandReply>;
