import { describe, expect, it } from "bun:test";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { foldHypeTrain, msUntilExpiry } from "./hype-train";

const begin = TWITCH_SAMPLES["channel.hype_train.begin"];
const progress = TWITCH_SAMPLES["channel.hype_train.progress"];
const end = TWITCH_SAMPLES["channel.hype_train.end"];
const before = Date.parse(begin.expires_at) - 1_000;

describe("foldHypeTrain", () => {
  it("puts a train up on begin, with its top contributors", () => {
    const train = foldHypeTrain(null, [{ type: "channel.hype_train.begin", data: begin }], before);
    expect(train).toMatchObject({
      id: `hype:${begin.id}`,
      level: 2,
      progress: 137,
      goal: 500,
      top: [
        { name: "Cool_User", type: "bits", total: 50 },
        { name: "Kappa", type: "subscription", total: 45 },
      ],
    });
  });

  it("updates the same train on progress", () => {
    const started = foldHypeTrain(
      null,
      [{ type: "channel.hype_train.begin", data: begin }],
      before,
    );
    const moved = foldHypeTrain(
      started,
      [
        {
          type: "channel.hype_train.progress",
          data: { ...progress, expires_at: begin.expires_at },
        },
      ],
      before,
    );
    expect(moved?.id).toBe(started?.id ?? "");
    expect(moved?.goal).toBe(1000);
  });

  it("takes the train down on its end", () => {
    const started = foldHypeTrain(
      null,
      [{ type: "channel.hype_train.begin", data: begin }],
      before,
    );
    expect(
      foldHypeTrain(started, [{ type: "channel.hype_train.end", data: end }], before),
    ).toBeNull();
  });

  it("takes the train down once its expiry has passed", () => {
    const started = foldHypeTrain(
      null,
      [{ type: "channel.hype_train.begin", data: begin }],
      before,
    );
    expect(foldHypeTrain(started, [], Date.parse(begin.expires_at))).toBeNull();
    expect(started === null ? -1 : msUntilExpiry(started, before)).toBe(1_000);
  });

  it("ignores other events and payloads that do not fit", () => {
    expect(
      foldHypeTrain(
        null,
        [
          { type: "channel.follow", data: TWITCH_SAMPLES["channel.follow"] },
          { type: "channel.hype_train.begin", data: { level: "high" } },
        ],
        before,
      ),
    ).toBeNull();
  });
});
