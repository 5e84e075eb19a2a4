import { describe, expect, it } from "bun:test";
import { Writable } from "node:stream";
import { createLogger, withCorrelation } from "./index";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, destination };
}

describe("createLogger", () => {
  it("redacts secrets at the top level and one object down", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: "test", destination });
    logger.info(
      { token: "abc", request: { authorization: "Bearer xyz" }, topic: "room:lobby" },
      "hi",
    );
    expect(lines[0]).toMatchObject({
      msg: "hi",
      token: "[redacted]",
      request: { authorization: "[redacted]" },
      topic: "room:lobby",
    });
    expect(JSON.stringify(lines)).not.toContain("xyz");
  });

  it("carries a correlation id on every line of a child logger", () => {
    const { lines, destination } = capture();
    withCorrelation(createLogger({ name: "test", destination }), "c-1").warn("careful");
    expect(lines[0]).toMatchObject({ correlation_id: "c-1", level: 40, service: "test" });
  });

  it("drops lines below its level", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: "test", level: "warn", destination });
    logger.info("quiet");
    logger.error("loud");
    expect(lines.map((line) => line.msg)).toEqual(["loud"]);
  });
});
