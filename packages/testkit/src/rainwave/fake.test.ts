import { afterAll, describe, expect, it } from "bun:test";
import { startFakeRainwave } from "./fake";

const fake = startFakeRainwave({ userId: 7, apiKey: "k" });
afterAll(() => fake.stop());

// biome-ignore lint/suspicious/noExplicitAny: the fake's raw answers, read field by field
type Json = any;

const form = (fields: Record<string, string>) =>
  fetch(`${fake.apiUrl}/info`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });

describe("the fake Rainwave's info", () => {
  it("answers Rainwave's shape: the user, tuned in or not, and the current event's songs", async () => {
    fake.play(
      1,
      { title: "T", artists: ["A"], album: "L", length: 100, art: "/album_art/1_1" },
      1000,
    );
    fake.tune(1);
    const body: Json = await (await form({ sid: "1", user_id: "7", key: "k" })).json();
    expect(body.user).toMatchObject({ id: 7, tuned_in: true, sid: 1 });
    expect(body.sched_current).toMatchObject({ sid: 1, start_actual: 1000, end: 1100 });
    expect(body.sched_current.songs[0]).toMatchObject({
      title: "T",
      artists: [{ name: "A" }],
      albums: [{ name: "L", art: "/album_art/1_1" }],
    });
    fake.tune(null);
    const out: Json = await (await fetch(`${fake.apiUrl}/info?sid=1&user_id=7&key=k`)).json();
    expect(out.user.tuned_in).toBe(false);
  });

  it("refuses a wrong key with 403 auth_failed and a bad station with 400, as Rainwave", async () => {
    const refused = await form({ sid: "1", user_id: "7", key: "nope" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Json).error.tl_key).toBe("auth_failed");
    const bad = await form({ sid: "9", user_id: "7", key: "k" });
    expect(bad.status).toBe(400);
    const anonymous: Json = await (await form({ sid: "2" })).json();
    expect(anonymous.user).toMatchObject({ id: 1, tuned_in: false });
    expect(fake.requests().every((request) => !JSON.stringify(request).includes('"k"'))).toBe(true);
  });
});
