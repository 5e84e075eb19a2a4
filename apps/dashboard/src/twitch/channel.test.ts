import { describe, expect, it } from "bun:test";
import { type TwitchChannelInfo, TwitchChannelUpdate } from "@landale/shared";
import {
  addTag,
  boxArtUrl,
  channelUpdate,
  formOfChannel,
  LANGUAGES,
  languageOptions,
  TAGS_MAX,
} from "./channel";

const INFO: TwitchChannelInfo = {
  broadcaster_id: "141981764",
  broadcaster_login: "twitchdev",
  broadcaster_name: "TwitchDev",
  broadcaster_language: "en",
  game_id: "509670",
  game_name: "Science & Technology",
  title: "TwitchDev Monthly Update // May 6, 2021",
  tags: ["DevsInTheKnow"],
  delay: 0,
};

describe("channelUpdate", () => {
  it("sends nothing when nothing changed", () => {
    expect(channelUpdate(INFO, formOfChannel(INFO))).toEqual({ ok: true, update: null });
  });

  it("sends only the fields that changed", () => {
    const form = { ...formOfChannel(INFO), title: "New title", tags: ["DevsInTheKnow", "English"] };
    expect(channelUpdate(INFO, form)).toEqual({
      ok: true,
      update: { title: "New title", tags: ["DevsInTheKnow", "English"] },
    });
    const category = { ...formOfChannel(INFO), gameId: "33214", gameName: "Fortnite" };
    expect(channelUpdate(INFO, category)).toEqual({ ok: true, update: { game_id: "33214" } });
    const language = { ...formOfChannel(INFO), language: "de" };
    expect(channelUpdate(INFO, language)).toEqual({
      ok: true,
      update: { broadcaster_language: "de" },
    });
  });

  it("sends an emptied tag list and a cleared category, which is how Twitch removes them", () => {
    const form = { ...formOfChannel(INFO), tags: [], gameId: "", gameName: "" };
    expect(channelUpdate(INFO, form)).toEqual({ ok: true, update: { game_id: "", tags: [] } });
  });

  it("refuses an empty or overlong title, naming the field", () => {
    const empty = channelUpdate(INFO, { ...formOfChannel(INFO), title: "   " });
    expect(empty).toEqual({
      ok: false,
      issues: [{ field: "title", message: "the title cannot be empty" }],
    });
    const long = channelUpdate(INFO, { ...formOfChannel(INFO), title: "x".repeat(141) });
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.issues[0]?.field).toBe("title");
  });

  it("trims the title as the hub does", () => {
    const form = { ...formOfChannel(INFO), title: "  Spaced  " };
    expect(channelUpdate(INFO, form)).toEqual({ ok: true, update: { title: "Spaced" } });
    const same = { ...formOfChannel(INFO), title: ` ${INFO.title} ` };
    expect(channelUpdate(INFO, same)).toEqual({ ok: true, update: null });
  });
});

describe("addTag", () => {
  it("adds a tag, dropping a leading #", () => {
    expect(addTag(["One"], " #Two ")).toEqual({ ok: true, tags: ["One", "Two"] });
    expect(addTag([], "Español")).toEqual({ ok: true, tags: ["Español"] });
  });

  it("refuses spaces and symbols with the schema's own words", () => {
    expect(addTag([], "two words")).toEqual({
      ok: false,
      message: "a tag is letters and digits only (no spaces or symbols)",
    });
    expect(addTag([], "c++")).toMatchObject({ ok: false });
  });

  it("refuses a tag already there in any case, an empty one, a long one, and an eleventh", () => {
    expect(addTag(["Chill"], "chill")).toMatchObject({ ok: false });
    expect(addTag([], " # ")).toEqual({ ok: false, message: "type a tag first" });
    expect(addTag([], "x".repeat(26))).toEqual({
      ok: false,
      message: "a tag is at most 25 characters",
    });
    const ten = Array.from({ length: TAGS_MAX }, (_, i) => `Tag${i}`);
    expect(addTag(ten, "Eleven")).toEqual({ ok: false, message: "at most 10 tags" });
  });
});

describe("boxArtUrl", () => {
  it("fills Twitch's size placeholder", () => {
    expect(boxArtUrl("https://static-cdn.jtvnw.net/ttv-boxart/33214-{width}x{height}.jpg")).toBe(
      "https://static-cdn.jtvnw.net/ttv-boxart/33214-52x72.jpg",
    );
    expect(boxArtUrl("https://x/{width}x{height}.jpg", { width: 104, height: 144 })).toBe(
      "https://x/104x144.jpg",
    );
  });
});

describe("languageOptions", () => {
  it("offers the list, with the channel's language added when the list lacks it", () => {
    expect(languageOptions("en")).toEqual([...LANGUAGES]);
    expect(languageOptions("eo")[0]).toEqual({ code: "eo", name: "eo" });
  });

  it("lists only codes the update schema takes", () => {
    for (const { code } of LANGUAGES) {
      expect(TwitchChannelUpdate.safeParse({ broadcaster_language: code }).success).toBe(true);
    }
  });
});
