import { describe, expect, it } from "bun:test";
import {
  CRITICAL_TYPES,
  dataSchemaFor,
  EVENT_DATA_SCHEMAS,
  EVENT_TYPES,
  isCritical,
  isEventType,
  unknownTypeMessage,
} from "./catalogue";
import { HUB_SAMPLES } from "./hub.fixtures";
import { IRONMON_SAMPLES } from "./ironmon.fixtures";
import { RAINWAVE_SAMPLES } from "./rainwave.fixtures";
import { TWITCH_SAMPLES } from "./twitch.fixtures";

const SAMPLES: Record<string, unknown> = {
  ...TWITCH_SAMPLES,
  ...HUB_SAMPLES,
  ...RAINWAVE_SAMPLES,
  ...IRONMON_SAMPLES,
};

describe("the catalogue", () => {
  it("knows every type the design names, each with a sample", () => {
    for (const type of [
      "channel.follow",
      "channel.chat.message",
      "channel.channel_points_custom_reward_redemption.add",
      "channel.ad_break.begin",
      "channel.chat.notification",
      "channel.charity_campaign.donate",
      "user.update",
      "obs.scene.changed",
      "system.error",
      "stream.takeover.started",
      "stream.show.changed",
    ]) {
      expect(EVENT_TYPES).toContain(type as (typeof EVENT_TYPES)[number]);
    }
    expect(Object.keys(SAMPLES).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)("looks up a schema for %s that accepts its sample", (type) => {
    const schema = dataSchemaFor(type);
    expect(schema.safeParse(SAMPLES[type]).success).toBe(true);
    expect(schema.validate(SAMPLES[type])).toBe(true);
  });

  it("hands out compiled schemas that judge exactly as the plain ones do", () => {
    const broken = { ...TWITCH_SAMPLES["channel.cheer"], bits: "1000" };
    const compiled = dataSchemaFor("channel.cheer");
    expect(compiled.validate(broken)).toBe(false);
    expect(compiled.safeParse(broken).error?.issues).toEqual(
      EVENT_DATA_SCHEMAS["channel.cheer"].safeParse(broken).error?.issues,
    );
  });

  it("looks up the free-form families by their prefix", () => {
    expect(dataSchemaFor("custom.quiz.answer")?.safeParse("anything").success).toBe(true);
    expect(dataSchemaFor("tcp.message")?.safeParse({ any: ["thing"] }).success).toBe(true);
    expect(dataSchemaFor("tcp.message")?.safeParse("not an object").success).toBe(false);
  });

  it("has no schema for unknown types or malformed family names", () => {
    for (const type of [
      "channel.ban",
      "obs.nope",
      "custom",
      "custom.",
      "custom..x",
      "tcp.a b",
      "x",
    ]) {
      expect(dataSchemaFor(type)).toBeNull();
      expect(isEventType(type)).toBe(false);
    }
    expect(isEventType("custom.x-y_z.1")).toBe(true);
    expect(isEventType("stream.online")).toBe(true);
  });

  it("explains an unknown type by its family, or by listing the families", () => {
    expect(unknownTypeMessage("obs.scene.switched")).toContain("obs.scene.changed");
    expect(unknownTypeMessage("user.updated")).toContain("the user.* types are user.update");
    expect(unknownTypeMessage("custom.")).toContain("custom.<name>");
    const message = unknownTypeMessage("webhook.fired");
    for (const family of [
      "channel.*",
      "user.update",
      "obs.*",
      "system.*",
      "stream.*",
      "tcp.",
      "custom.",
    ]) {
      expect(message).toContain(family);
    }
  });
});

describe("critical types", () => {
  it("are the ones that change what must be seen at once", () => {
    expect<string[]>([...CRITICAL_TYPES].sort()).toEqual(
      [
        "obs.connection.failed",
        "obs.connection.lost",
        "obs.recording.started",
        "obs.recording.stopped",
        "obs.stream.started",
        "obs.stream.stopped",
        "stream.offline",
        "stream.online",
        "stream.takeover.cleared",
        "stream.takeover.started",
        "system.connection.failed",
        "system.connection.lost",
        "system.error",
      ].sort(),
    );
    for (const type of CRITICAL_TYPES) expect(isCritical(type)).toBe(true);
  });

  it("leave alerts, chat and free-form events to the batch window", () => {
    for (const type of [
      "channel.follow",
      "channel.chat.message",
      "obs.scene.changed",
      "stream.show.changed",
      "custom.stream.online",
      "tcp.message",
    ]) {
      expect(isCritical(type)).toBe(false);
    }
  });
});
