import { describe, expect, it } from "bun:test";
import { addCaption, type Caption, removeCaption, tail } from "./captions";

const limits = { lines: 3, chars: 40 };

describe("captions", () => {
  it("adds the newest line last", () => {
    let list: Caption[] = [];
    list = addCaption(list, { id: "1", text: "hello" }, limits);
    list = addCaption(list, { id: "2", text: "world" }, limits);
    expect(list.map((caption) => caption.text)).toEqual(["hello", "world"]);
  });

  it("keeps at most the bound, dropping the oldest", () => {
    let list: Caption[] = [];
    for (let index = 0; index < 10; index++) {
      list = addCaption(list, { id: `${index}`, text: `line ${index}` }, limits);
    }
    expect(list.map((caption) => caption.id)).toEqual(["7", "8", "9"]);
  });

  it("replaces a line sent again with the same id", () => {
    let list = addCaption([], { id: "1", text: "first try" }, limits);
    list = addCaption(list, { id: "2", text: "other" }, limits);
    list = addCaption(list, { id: "1", text: "second try" }, limits);
    expect(list).toEqual([
      { id: "2", text: "other" },
      { id: "1", text: "second try" },
    ]);
  });

  it("collapses whitespace and skips empty text", () => {
    expect(addCaption([], { id: "1", text: "  a \n  b " }, limits)).toEqual([
      { id: "1", text: "a b" },
    ]);
    expect(addCaption([], { id: "1", text: "   " }, limits)).toEqual([]);
  });

  it("removes a line by id", () => {
    const list = addCaption(addCaption([], { id: "1", text: "a" }, limits), { id: "2", text: "b" });
    expect(removeCaption(list, "1")).toEqual([{ id: "2", text: "b" }]);
  });

  it("keeps the end of a long line, cut at a word", () => {
    const long = "the quick brown fox jumps over the lazy dog and keeps on running far away";
    const clipped = tail(long, 40);
    expect(clipped.startsWith("…")).toBe(true);
    expect(clipped.length).toBeLessThanOrEqual(40);
    expect(long.endsWith(clipped.slice(1))).toBe(true);
    expect(clipped[1]).not.toBe(" ");
  });
});
