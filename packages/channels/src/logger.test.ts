import { describe, expect, it } from "bun:test";
import { ThrottledWarn } from "./logger";

function recorder() {
  const lines: { context: Record<string, unknown>; message: string }[] = [];
  const warn = (context: object, message: string) =>
    lines.push({ context: context as Record<string, unknown>, message });
  return { lines, logger: { debug() {}, info() {}, warn, error() {} } };
}

/** Polls until `check` holds; fails after a generous deadline (a wait, not a timing assertion). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await Bun.sleep(5);
  }
}

describe("ThrottledWarn", () => {
  it("logs the first at once and sums the rest of the interval in one line", async () => {
    const { lines, logger } = recorder();
    const throttled = new ThrottledWarn(logger, 20);

    for (let n = 0; n < 50; n++) throttled.warn("bad", { n }, "frame refused");
    expect(lines).toEqual([{ context: { n: 0, count: 1 }, message: "frame refused" }]);
    await until(() => lines.length === 2);

    expect(lines[1]).toEqual({
      context: { n: 49, count: 49, interval_ms: 20 },
      message: "frame refused",
    });
    throttled.close();
  });

  it("keeps reasons apart, and close() logs what is still counted", () => {
    const { lines, logger } = recorder();
    const throttled = new ThrottledWarn(logger, 60_000);

    throttled.warn("a", {}, "first kind");
    throttled.warn("b", {}, "second kind");
    throttled.warn("a", {}, "first kind");
    throttled.warn("a", {}, "first kind");
    throttled.close();
    throttled.close();

    expect(lines.map((line) => [line.message, line.context.count])).toEqual([
      ["first kind", 1],
      ["second kind", 1],
      ["first kind", 2],
    ]);
  });
});
