/** Which show a `channel.update` selects: the category id first, then its name, configurable. */
import { describe, expect, it } from "bun:test";
import { StreamDriver } from "../../test/support/stream";
import { DEFAULT_ENGINE_CONFIG, showForCategory, withCategoryShows } from "./config";

describe("show selection", () => {
  it("selects ironmon by Pokémon FireRed/LeafGreen's category id, whatever it is called", () => {
    const stream = new StreamDriver();
    const result = stream.event("channel.update", {
      category_id: "13332",
      category_name: "Pokémon FireRed/LeafGreen (renamed)",
    });
    expect(result.effects).toContainEqual({
      type: "emit",
      eventType: "stream.show.changed",
      data: { show: "ironmon", previous_show: "variety" },
    });
    expect(stream.stream).toMatchObject({
      show: "ironmon",
      ticker: { items: ["ironmon_run", "ironmon_progress", "recent_follows", "daily_counts"] },
    });
    expect(stream.background).toMatchObject({ type: "ticker.ironmon_run" });
  });

  it("lets a listed id win over a listed name", () => {
    const category = { category_id: "13332", category_name: "Science & Technology" };
    expect(showForCategory(DEFAULT_ENGINE_CONFIG, category)).toBe("ironmon");
  });

  it.each([
    ["Software and Game Development", "coding"],
    ["science & technology", "coding"],
    ["  Just Chatting ", "talk"],
    ["Grand Theft Auto", "variety"],
    ["", "variety"],
  ])("falls back to the name for an id not listed: %p → %s", (name, show) => {
    const stream = new StreamDriver();
    stream.event("channel.update", { category_id: "12453", category_name: name });
    expect(stream.stream.show).toBe(show);
  });

  it("takes configured categories, by id and by name, on top of the defaults", () => {
    const config = withCategoryShows(DEFAULT_ENGINE_CONFIG, [
      { category: "743", show: "talk" },
      { category: "Pokémon Emerald", show: "ironmon" },
    ]);
    const stream = new StreamDriver({ config });
    stream.event("channel.update", { category_id: "743", category_name: "Chess" });
    expect(stream.stream.show).toBe("talk");
    stream.event("channel.update", { category_id: "1", category_name: "pokémon emerald" });
    expect(stream.stream.show).toBe("ironmon");
    stream.event("channel.update", { category_id: "13332", category_name: "" });
    expect(stream.stream.show).toBe("ironmon");
    stream.event("channel.update", { category_id: "2", category_name: "Science & Technology" });
    expect(stream.stream.show).toBe("coding");
  });

  it("refuses to map a category to a show that has no ticker", () => {
    expect(() =>
      withCategoryShows(DEFAULT_ENGINE_CONFIG, [{ category: "743", show: "poker" }]),
    ).toThrow('unknown show "poker"');
  });
});
