/**
 * Preloaded (`bun --preload`) into a process the bench runs but did not write — the hub — so it,
 * too, exits when its driver dies or its time limit (the first argument, which the hub ignores) passes.
 */
import { exitWithParent, lifetimeFromArgv } from "./lifetime";

/** Used only when the driver passed no limit. */
const FALLBACK_LIFETIME_MS = 30 * 60_000;

exitWithParent(lifetimeFromArgv(FALLBACK_LIFETIME_MS));
