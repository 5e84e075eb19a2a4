/**
 * Settings of the Bun runtime itself that the hub's process is started with. The runtime reads
 * them once, as the process starts, so they must be in its environment before then: `bun start`
 * (the launcher, and so the Docker image) and the benches start the hub with them. A variable
 * already in the environment is left as it is, so an operator can still choose otherwise.
 */
export const HUB_RUNTIME_ENV: Readonly<Record<string, string>> = {
  /**
   * How long Bun's allocator (mimalloc 3) keeps freed memory before giving it back to the
   * system: 100 ms by default. At capacity the hub frees and takes megabytes every few
   * milliseconds (request bodies, parsed events, COPY data), so its pages went back and were
   * faulted in again all the time: a third of its CPU was the kernel's. A second keeps them while
   * the load lasts, and still gives them back a second or two after it ends (never purging at
   * all, -1, saves more but keeps the peak for good). docs/BENCHMARKS.md has the measurements.
   */
  MIMALLOC_PURGE_DELAY: "1000",
};

/** `env` with the hub's runtime settings added where it does not set them itself. */
export function withHubRuntimeEnv(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const added = Object.entries(HUB_RUNTIME_ENV).filter(([name]) => env[name] === undefined);
  return { ...env, ...Object.fromEntries(added) };
}
