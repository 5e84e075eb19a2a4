import { describe, expect, it } from "bun:test";
import { COPY_CHUNK_BYTES, copyChunks } from "./copy-text";
import { sampleEvent } from "./testing";

const event = sampleEvent;

describe("copyChunks", () => {
  const decoded = (chunks: Buffer[]) => Buffer.concat(chunks).toString("utf8");

  it("writes one tab-separated line per event with \\N for null", () => {
    const text = decoded(
      copyChunks([event(7, { userId: null, userLogin: null, data: { a: "x\ty" } })]),
    );
    expect(text.endsWith("\n")).toBe(true);
    const fields = text.slice(0, -1).split("\t");
    expect(fields).toHaveLength(10);
    expect(fields.slice(0, 2)).toEqual(["evt-7", "7"]);
    expect(fields.slice(7, 9)).toEqual(["\\N", "\\N"]);
    expect(fields[9]).toBe('{"a":"x\\\\ty"}');
  });

  it("writes the given data JSON as it is, and serialises data only without one", () => {
    const given = event(1, { data: { a: 1 }, dataJson: '{"a": 1}' });
    expect(decoded(copyChunks([given])).split("\t")[9]).toBe('{"a": 1}\n');
    expect(decoded(copyChunks([event(2, { data: { b: 2 } })])).split("\t")[9]).toBe('{"b":2}\n');
  });

  it("fills chunks up to their size and never splits a character between two", () => {
    // Empty values too: one can fall exactly where a chunk ends.
    const window = Array.from({ length: 50 }, (_, i) =>
      event(i + 1, {
        userLogin: i % 3 === 0 ? "" : `viewer_${i}`,
        data: { text: `é🎉 ${"x".repeat(i * 7)} 🎉` },
      }),
    );
    const whole = decoded(copyChunks(window));
    for (const size of [16, 97, 256, 1_000]) {
      const chunks = copyChunks(window, size);
      expect(decoded(chunks)).toBe(whole);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(size);
        // A chunk that ends inside a character would not survive decoding on its own.
        expect(Buffer.from(chunk.toString("utf8")).equals(chunk)).toBe(true);
      }
      // Full but for a character that did not fit.
      expect(chunks.slice(0, -1).every((chunk) => chunk.length > size - 4)).toBe(true);
    }
  });

  it("runs a value larger than a chunk on over as many chunks as it needs", () => {
    const big = "y".repeat(COPY_CHUNK_BYTES * 2);
    const chunks = copyChunks([event(1, { data: { big } }), event(2)]);
    expect(decoded(chunks)).toContain(big);
    expect(chunks.length).toBe(3);
    expect(chunks.every((chunk) => chunk.length <= COPY_CHUNK_BYTES)).toBe(true);
  });
});
