import { describe, expect, it } from "bun:test";
import { MAX_PROBLEM_CHARS, MAX_PROBLEMS, readHealthAnswer } from "./probe";

const json = (value: unknown) => JSON.stringify(value);

describe("readHealthAnswer", () => {
  it("takes ok as healthy and degraded as degraded with the worker's problems", () => {
    expect(readHealthAnswer(200, json({ status: "ok", problems: [], uptime_s: 3 }))).toEqual({
      health: "healthy",
      problems: [],
    });
    const problems = [
      "engine whisper-cpp: whisper-cli was not found",
      "the link to the hub is down",
    ];
    expect(readHealthAnswer(200, json({ status: "degraded", service: "x", problems }))).toEqual({
      health: "degraded",
      problems,
    });
  });

  it("takes a report without problems as having none", () => {
    expect(readHealthAnswer(200, json({ status: "ok" }))).toEqual({
      health: "healthy",
      problems: [],
    });
    expect(readHealthAnswer(200, json({ status: "degraded" }))).toEqual({
      health: "degraded",
      problems: [],
    });
  });

  it("takes any other answer as unhealthy, saying what came back", () => {
    const [refused] = readHealthAnswer(503, json({ status: "ok", problems: [] })).problems;
    expect(refused).toBe("answered 503 instead of 200");
    const text = readHealthAnswer(200, "ok");
    expect(text.health).toBe("unhealthy");
    expect(text.problems[0]).toContain("not JSON");
    const [status] = readHealthAnswer(200, json({ status: "fine", problems: [] })).problems;
    expect(status).toStartWith("answered no worker health report");
    expect(status).toContain("status");
    const [badProblems] = readHealthAnswer(200, json({ status: "ok", problems: "none" })).problems;
    expect(badProblems).toContain("problems");
    expect(readHealthAnswer(200, json([1, 2])).health).toBe("unhealthy");
  });

  it("keeps a bounded number of problems, each cut to a bounded length", () => {
    const many = Array.from({ length: 50 }, (_, i) => `${i} ${"x".repeat(1000)}`);
    const { problems } = readHealthAnswer(200, json({ status: "degraded", problems: many }));
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.at(-1)).toBe(`and ${50 - MAX_PROBLEMS} more`);
    for (const problem of problems) expect(problem.length).toBeLessThanOrEqual(MAX_PROBLEM_CHARS);
  });
});
