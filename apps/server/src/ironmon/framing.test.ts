import { describe, expect, it } from "bun:test";
import { createFrameDecoder } from "./framing";

const MAX = 64 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const frame = (json: string) => {
  const body = encoder.encode(json);
  return encoder.encode(`${body.length} ${json}`);
};
const join = (parts: Uint8Array[]) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
};

// A small deterministic generator, so a failure names the seed that found it.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MESSAGES = [
  '{"type":"init","data":{"version":"1.0","game":3}}',
  '{"type":"seed","data":{"count":7}}',
  '{"type":"location","data":{"id":87},"frame":12}',
  `{"type":"pokemon_update","data":{"team":[{"nickname":"Pikachu ⚡ ピカチュウ","note":"${"x".repeat(5000)}"}]}}`,
  '{"type":"checkpoint","data":{"id":1,"name":"LAB"}}',
  "{}",
];

describe("the frame decoder", () => {
  it("reads frames split and coalesced at random boundaries, byte for byte", () => {
    const stream = join(MESSAGES.map(frame));
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const decoding = createFrameDecoder({ maxFrameBytes: MAX });
      const seen: string[] = [];
      for (let at = 0; at < stream.length; ) {
        // mostly small cuts (inside headers and multi-byte characters), sometimes whole runs
        const size = next() < 0.8 ? 1 + Math.floor(next() * 8) : 1 + Math.floor(next() * 9000);
        const { frames, error } = decoding.push(stream.slice(at, at + size));
        expect(error).toBeNull();
        seen.push(...frames.map((f) => decoder.decode(f)));
        expect(decoding.buffered()).toBeLessThanOrEqual(MAX + 7);
        at += size;
      }
      expect([seed, seen]).toEqual([seed, MESSAGES]);
      expect(decoding.buffered()).toBe(0);
    }
  });

  it("takes a frame of exactly the limit and refuses one byte more, before reading its body", () => {
    const json = `"${"a".repeat(MAX - 2)}"`;
    const ok = createFrameDecoder({ maxFrameBytes: MAX }).push(frame(json));
    expect(ok.error).toBeNull();
    expect(ok.frames[0]?.length).toBe(MAX);
    const over = createFrameDecoder({ maxFrameBytes: MAX }).push(encoder.encode(`${MAX + 1} {`));
    expect(over).toEqual({ frames: [], error: "oversize" });
    const huge = createFrameDecoder({ maxFrameBytes: MAX }).push(encoder.encode("99999999999"));
    expect(huge.error).toBe("oversize");
  });

  it("stops at a bad length after the frames before it, and stays stopped", () => {
    const decoding = createFrameDecoder({ maxFrameBytes: MAX });
    const { frames, error } = decoding.push(
      join([frame("{}"), encoder.encode("GET / HTTP/1.1\r\n")]),
    );
    expect(frames.map((f) => decoder.decode(f))).toEqual(["{}"]);
    expect(error).toBe("bad_length");
    expect(decoding.push(frame("{}"))).toEqual({ frames: [], error: "bad_length" });
    expect(decoding.buffered()).toBe(0);
    expect(createFrameDecoder({ maxFrameBytes: MAX }).push(encoder.encode(" 2 {}")).error).toBe(
      "bad_length",
    );
    expect(createFrameDecoder({ maxFrameBytes: MAX }).push(encoder.encode("-1 {}")).error).toBe(
      "bad_length",
    );
  });

  it("waits for a header split anywhere, holding only what it has", () => {
    const decoding = createFrameDecoder({ maxFrameBytes: MAX });
    expect(decoding.push(encoder.encode("1"))).toEqual({ frames: [], error: null });
    expect(decoding.push(encoder.encode("0"))).toEqual({ frames: [], error: null });
    expect(decoding.push(encoder.encode(" "))).toEqual({ frames: [], error: null });
    const { frames } = decoding.push(encoder.encode('{"a":1234}2 {'));
    expect(frames.map((f) => decoder.decode(f))).toEqual(['{"a":1234}']);
    expect(decoding.buffered()).toBe(3);
  });
});
