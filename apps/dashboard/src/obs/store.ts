/**
 * The OBS integration as the view keeps it: the last status the hub told (`integration_status`
 * on `dashboard:main`, pushed on join and on every change), read once with `obs:get_status` when
 * the view opens (the topic may have been joined long before, so its join push is gone); OBS's
 * stats from the `obs_stats` pushes, in a bounded window; and the `obs:*` commands. Created in
 * the view's owner; its subscriptions end with it (and with the last of them the stats pushes).
 */
import type { LandaleClient } from "@landale/client";
import { type CommandName, DASHBOARD, ObsStats, ObsStatus, PUSH } from "@landale/shared";
import { type Accessor, createSignal, onCleanup } from "solid-js";
import { z } from "zod";
import { type AskOutcome, askHub } from "../hub/session";
import { advanceClock, freezeClock, type OutputClock } from "./clock";
import { appendStats, EMPTY_WINDOW, type StatsWindow } from "./stats";

export interface Clocks {
  stream: OutputClock | null;
  record: OutputClock | null;
}

export type ObsCommand = Extract<CommandName<typeof DASHBOARD>, `obs:${string}`>;

export interface ObsLink {
  /** Null until the hub has told it once. */
  status: Accessor<ObsStatus | null>;
  /** The stream's and the recording's running clocks, null while each is off. */
  clocks: Accessor<Clocks>;
  /** Why the status could not be read, while it could not. */
  readError: Accessor<string | null>;
  stats: Accessor<StatsWindow>;
  accept(status: ObsStatus): void;
  refresh(): Promise<void>;
  ask<S extends z.ZodType>(
    event: ObsCommand,
    payload: object,
    schema: S,
  ): Promise<AskOutcome<z.infer<S>>>;
}

/** Must run inside an owner. */
export function createObsLink(client: LandaleClient): ObsLink {
  const [status, setStatus] = createSignal<ObsStatus | null>(null);
  const [clocks, setClocks] = createSignal<Clocks>({ stream: null, record: null });
  const [readError, setReadError] = createSignal<string | null>(null);
  const [stats, setStats] = createSignal<StatsWindow>(EMPTY_WINDOW);
  // Every status taken is counted: a reply to a read older than the last push is stale.
  let received = 0;
  let alive = true;

  function accept(next: ObsStatus): void {
    received++;
    const now = Date.now();
    // Away from OBS, its outputs are only as last known: their clocks stop where they were.
    const away = next.state !== "connected";
    setClocks((before) => ({
      stream: away
        ? freezeClock(before.stream, now)
        : advanceClock(before.stream, next.stream, now),
      record: away
        ? freezeClock(before.record, now)
        : advanceClock(before.record, next.record, now),
    }));
    setStatus(next);
    setReadError(null);
  }
  const takeStats = (next: ObsStats) => setStats((window) => appendStats(window, next));

  onCleanup(() => {
    alive = false;
  });
  onCleanup(
    client.subscribe(DASHBOARD, PUSH.integrationStatus, (pushed) => {
      if (pushed.integration === "obs") accept(pushed.status);
    }),
  );
  onCleanup(client.subscribe(DASHBOARD, PUSH.obsStats, takeStats));

  async function refresh(): Promise<void> {
    const before = received;
    const outcome = await askHub(client, DASHBOARD, "obs:get_status", {}, ObsStatus);
    if (!alive || received !== before) return;
    if (outcome.ok) accept(outcome.value);
    else setReadError(outcome.error.message);
  }

  // One reading now, so the chart does not wait for the first push; refused while OBS is away.
  async function firstStats(): Promise<void> {
    const outcome = await askHub(client, DASHBOARD, "obs:stats", {}, ObsStats);
    if (alive && outcome.ok) takeStats(outcome.value);
  }

  void refresh();
  void firstStats();

  return {
    status,
    clocks,
    readError,
    stats,
    accept,
    refresh,
    ask: (event, payload, schema) => askHub(client, DASHBOARD, event, payload, schema),
  };
}

export interface ObsCommands {
  /** Resolves with the reply's value, or null when the hub refused (the error is kept). */
  run<S extends z.ZodType = z.ZodUnknown>(
    event: ObsCommand,
    payload?: object,
    schema?: S,
  ): Promise<z.infer<S> | null>;
  busy: Accessor<ObsCommand | null>;
  /** The last refusal, in the hub's (and OBS's) words. */
  error: Accessor<string | null>;
  clearError(): void;
}

/**
 * One panel's commands, one at a time. The output commands answer `{}` or the new status: a
 * status is taken at once, and the `integration_status` push that follows says the same.
 */
export function createObsCommands(link: ObsLink): ObsCommands {
  const [busy, setBusy] = createSignal<ObsCommand | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  return {
    async run(event, payload = {}, schema) {
      // As a function: Solid's setter cannot tell a generic value from an updater.
      setBusy(() => event);
      setError(null);
      const outcome = await link.ask(event, payload, schema ?? z.unknown());
      setBusy(null);
      if (!outcome.ok) {
        setError(outcome.error.message);
        return null;
      }
      const status = ObsStatus.safeParse(outcome.value);
      if (status.success) link.accept(status.data);
      // Without a schema, S is z.unknown's: the value was parsed by the schema S stands for.
      return outcome.value as z.infer<NonNullable<typeof schema>>;
    },
    busy,
    error,
    clearError: () => setError(null),
  };
}
