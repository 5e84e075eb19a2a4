import { afterAll, describe, expect, it } from "bun:test";
import { startFakeRainwave } from "@landale/testkit";
import { fetchInfo, RainwaveInfo, RainwaveRequestError, toUpdate } from "./client";

const CREDENTIALS = { userId: "42", apiKey: "the-key" };
const fake = startFakeRainwave({ userId: 42, apiKey: "the-key" });
afterAll(() => fake.stop());

const info = (user: object, sched: object | null = null) =>
  RainwaveInfo.parse({ user: { id: 42, ...user }, sched_current: sched });

const SCHED = {
  start_actual: 1_800_000_000,
  end: 1_800_000_100,
  songs: [
    {
      title: "Song",
      artists: [{ name: "A" }, { name: "B" }],
      albums: [{ name: "Album", art: "/album_art/1_2" }],
    },
  ],
};

describe("toUpdate", () => {
  it("reads the song while tuned in to the station polled", () => {
    expect(toUpdate(info({ tuned_in: true, sid: 1 }, SCHED), 1)).toEqual({
      station: 1,
      listening: true,
      title: "Song",
      artists: ["A", "B"],
      album: "Album",
      art_url: "https://rainwave.cc/album_art/1_2_320.jpg",
      started_at: "2027-01-15T08:00:00.000Z",
      ends_at: "2027-01-15T08:01:40.000Z",
    });
  });

  it("is not listening when tuned out, on another station, or with nothing scheduled", () => {
    for (const update of [
      toUpdate(info({ tuned_in: false, sid: 1 }, SCHED), 1),
      toUpdate(info({ tuned_in: true, sid: 2 }, SCHED), 1),
    ]) {
      expect(update).toMatchObject({ listening: false, title: null, artists: [] });
    }
    expect(toUpdate(info({ tuned_in: true, sid: 1 }), 1)).toMatchObject({ title: null });
  });

  it("leaves out art Rainwave does not give and times it does not know", () => {
    const bare = { songs: [{ title: "Song", albums: [{ name: "Album", art: null }] }] };
    expect(toUpdate(info({ tuned_in: true, sid: 1 }, bare), 1)).toMatchObject({
      title: "Song",
      artists: [],
      art_url: null,
      started_at: null,
      ends_at: null,
    });
  });
});

describe("fetchInfo against the fake Rainwave", () => {
  it("posts sid, user_id and key as a form and reads the answer", async () => {
    fake.play(5, { title: "Omni", artists: ["X"], album: "Y", length: 60 });
    fake.tune(5);
    const answer = await fetchInfo(fake.apiUrl, CREDENTIALS, 5, 2_000);
    expect(toUpdate(answer, 5)).toMatchObject({ listening: true, title: "Omni" });
    expect(fake.requests().at(-1)).toEqual({ method: "POST", sid: "5", userId: "42", keyed: true });
  });

  it("names a refused key, a server error, nonsense and silence apart", async () => {
    const codeOf = async (run: () => Promise<unknown>) => {
      try {
        await run();
        return "answered";
      } catch (err) {
        return err instanceof RainwaveRequestError ? err.code : String(err);
      }
    };
    const wrongKey = { ...CREDENTIALS, apiKey: "wrong" };
    expect(await codeOf(() => fetchInfo(fake.apiUrl, wrongKey, 1, 2_000))).toBe(
      "rainwave_auth_failed",
    );
    fake.setMode("error");
    expect(await codeOf(() => fetchInfo(fake.apiUrl, CREDENTIALS, 1, 2_000))).toBe(
      "rainwave_refused",
    );
    fake.setMode("garbage");
    expect(await codeOf(() => fetchInfo(fake.apiUrl, CREDENTIALS, 1, 2_000))).toBe(
      "rainwave_unexpected_answer",
    );
    fake.setMode("hang");
    expect(await codeOf(() => fetchInfo(fake.apiUrl, CREDENTIALS, 1, 100))).toBe(
      "rainwave_timeout",
    );
    fake.setMode("ok");
    expect(await codeOf(() => fetchInfo("http://127.0.0.1:1/api4", CREDENTIALS, 1, 2_000))).toBe(
      "rainwave_unreachable",
    );
  });

  it("never puts the key in an error's words", async () => {
    const err = await fetchInfo(
      fake.apiUrl,
      { ...CREDENTIALS, apiKey: "secret-not-shown" },
      1,
      2_000,
    ).catch((caught: unknown) => caught);
    expect(err).toBeInstanceOf(RainwaveRequestError);
    expect((err as Error).message).not.toContain("secret-not-shown");
  });
});
