import { describe, expect, it } from "bun:test";
import { HUB_RUNTIME_ENV, withHubRuntimeEnv } from "./runtime-env";

describe("withHubRuntimeEnv", () => {
  it("adds the runtime settings to an environment without them", () => {
    const env = withHubRuntimeEnv({ PORT: "7175" });
    expect(env).toEqual({ PORT: "7175", ...HUB_RUNTIME_ENV });
    expect(env.MIMALLOC_PURGE_DELAY).toBe("1000");
  });

  it("leaves a setting the environment has as it is", () => {
    expect(withHubRuntimeEnv({ MIMALLOC_PURGE_DELAY: "10" }).MIMALLOC_PURGE_DELAY).toBe("10");
  });
});
