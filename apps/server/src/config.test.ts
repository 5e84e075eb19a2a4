import { describe, expect, it } from "bun:test";
import { ConfigError, loadConfig } from "./config";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("defaults to a loopback hub on 7175 with no token", () => {
    expect(loadConfig({})).toEqual({
      port: 7175,
      host: "127.0.0.1",
      token: null,
      overlayToken: null,
      allowedOrigins: [],
      logLevel: "info",
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8000",
      HOST: "0.0.0.0",
      LANDALE_TOKEN: "a-control-token-of-length",
      LANDALE_OVERLAY_TOKEN: "an-overlay-token-of-length",
      LANDALE_ALLOWED_ORIGINS: "https://a.example, https://b.example,",
      LOG_LEVEL: "debug",
    });
    expect(config).toMatchObject({
      port: 8000,
      host: "0.0.0.0",
      token: "a-control-token-of-length",
      overlayToken: "an-overlay-token-of-length",
      allowedOrigins: ["https://a.example", "https://b.example"],
      logLevel: "debug",
    });
  });

  it("names the variable and the value of a bad setting", () => {
    const [problem] = problems({ PORT: "seventy" });
    expect(problem).toStartWith("PORT:");
    expect(problem).toContain('(got "seventy")');
    expect(problems({ LOG_LEVEL: "loud" })[0]).toStartWith("LOG_LEVEL:");
  });

  it("refuses to bind beyond loopback without a token", () => {
    const [problem] = problems({ HOST: "100.64.0.7" });
    expect(problem).toStartWith("LANDALE_TOKEN:");
    expect(problem).toContain("100.64.0.7");
  });

  it("refuses a short token without echoing it", () => {
    const [problem] = problems({ LANDALE_TOKEN: "hunter2" });
    expect(problem).toStartWith("LANDALE_TOKEN:");
    expect(problem).not.toContain("hunter2");
  });
});
