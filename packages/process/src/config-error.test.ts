import { describe, expect, it } from "bun:test";
import { z } from "zod";
import { ConfigError, envProblems } from "./config-error";

const Env = z.object({
  WORKER_PORT: z.coerce.number().int().min(1),
  WORKER_TOKEN: z.string().min(16),
  WORKER_NAME: z.string(),
});

function problemsOf(env: Record<string, string | undefined>): string[] {
  const parsed = Env.safeParse(env);
  if (parsed.success) throw new Error("expected the environment to fail");
  return envProblems(parsed.error.issues, env);
}

describe("envProblems", () => {
  it("names each variable, with the value it had", () => {
    const [port] = problemsOf({ WORKER_PORT: "0", WORKER_TOKEN: "x".repeat(16), WORKER_NAME: "a" });
    expect(port).toStartWith("WORKER_PORT: ");
    expect(port).toEndWith(' (got "0")');
  });

  it("never shows a secret's value, nor a value that was not there", () => {
    const found = problemsOf({ WORKER_PORT: "1", WORKER_TOKEN: "short-secret" });
    expect(found).toHaveLength(2);
    expect(found.join("\n")).not.toContain("short-secret");
    expect(found.find((problem) => problem.startsWith("WORKER_NAME:"))).not.toContain("(got");
  });
});

describe("ConfigError", () => {
  it("keeps its problems and puts each on a line of its own", () => {
    const err = new ConfigError(["A: bad", "B: worse"]);
    expect(err.problems).toEqual(["A: bad", "B: worse"]);
    expect(err.message).toBe("Invalid configuration:\n  - A: bad\n  - B: worse");
    expect(err.name).toBe("ConfigError");
  });
});
