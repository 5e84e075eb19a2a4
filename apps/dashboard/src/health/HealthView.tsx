/**
 * The hub's health: its status (and, when degraded, each reason the hub gives) and uptime, the
 * database (engine, TimescaleDB, migration), the event pipeline (pending, spooled, refused,
 * windows, commits, quarantined), the workers it supervises, the sockets, this dashboard's own
 * link, events per hour over the last day, and whether the stream state is saved. When the
 * database refused events that were already acknowledged (see docs/FAULTS.md), the quarantined
 * ones are listed with why.
 *
 * The hub pushes its health on `dashboard:main` (`health_update`, on join and every few seconds).
 * The hourly stats are history, not pushed: while this view is open it reads them once a minute
 * (and at once after a reconnect); that timer belongs to the view and stops when it closes.
 */
import { useSubscription } from "@landale/client/solid";
import { DASHBOARD, type HubHealth, PUSH, type QuarantineList } from "@landale/shared";
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { formatCount, formatUptime, plural } from "../format/format";
import { useSession } from "../hub/session";
import { ClientPanel } from "./ClientPanel";
import { EventsChart } from "./EventsChart";
import { PipelinePanel } from "./PipelinePanel";
import { QuarantinePanel } from "./QuarantinePanel";
import { type HourlySeries, hourlySeries, perMinute } from "./series";
import { WorkersPanel } from "./WorkersPanel";
import "./health.css";

const STATS_MS = 60_000;
const CHART_HOURS = 24;

export function HealthView() {
  const session = useSession();
  const [health, setHealth] = createSignal<HubHealth | null>(null);
  const [healthError, setHealthError] = createSignal<string | null>(null);
  const [series, setSeries] = createSignal<HourlySeries | null>(null);
  const [statsError, setStatsError] = createSignal<string | null>(null);
  const [quarantine, setQuarantine] = createSignal<QuarantineList | null>(null);
  let alive = true;
  onCleanup(() => {
    alive = false;
  });

  useSubscription(DASHBOARD, PUSH.healthUpdate, (next) => {
    setHealth(next);
    setHealthError(null);
  });

  /** "Refresh now": the pushed figures are at most a few seconds old, but a streamer may ask. */
  async function loadHealth() {
    try {
      const next = await session.api.health();
      if (!alive) return;
      setHealth(next);
      setHealthError(null);
    } catch (err) {
      if (alive) setHealthError(err instanceof Error ? err.message : String(err));
    }
  }

  async function loadStats() {
    const now = Date.now();
    try {
      const stats = await session.api.stats(new Date(now - CHART_HOURS * 3600_000), new Date(now));
      if (!alive) return;
      setSeries(hourlySeries(stats, CHART_HOURS, now));
      setStatsError(null);
    } catch (err) {
      if (alive) setStatsError(err instanceof Error ? err.message : String(err));
    }
  }

  const statsTimer = setInterval(() => void loadStats(), STATS_MS);
  onCleanup(() => clearInterval(statsTimer));
  // Now, and again each time the link comes back.
  const open = createMemo(() => session.status().state === "open");
  createEffect(
    on(open, (isOpen, wasOpen) => {
      if (isOpen || wasOpen === undefined) void loadStats();
    }),
  );

  // The list is read only when the count says there is something (new) to list.
  const quarantined = createMemo(() => health()?.events.quarantined ?? 0);
  createEffect(
    on(quarantined, (count) => {
      if (count === 0) return;
      session.api.quarantine().then(
        (list) => {
          if (alive) setQuarantine(list);
        },
        () => {}, // the count is still shown; the list comes with the next change or refresh
      );
    }),
  );

  const status = session.status;
  const thisHour = () => series()?.total.at(-1) ?? 0;

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Health"
        lead="The hub, its database and pipeline, its workers, and the sockets connected to it."
      >
        <button
          type="button"
          class="button"
          onClick={() => {
            void loadHealth();
            void loadStats();
          }}
        >
          Refresh now
        </button>
      </ViewHeader>
      <Show when={healthError()}>
        {(error) => (
          <p class="notice" data-tone="danger" role="alert">
            Could not read the hub's health: {error()}
            {health() ? " — showing the last figures received." : ""}
          </p>
        )}
      </Show>
      <div class="health-grid">
        <section class="panel" aria-labelledby="hub-title">
          <div class="panel-header">
            <h2 id="hub-title">Hub</h2>
            <Show when={health()}>
              {(h) => (
                <span
                  class="badge"
                  data-accent={h().status === "ok" ? "ok" : "warning"}
                  data-testid="hub-status"
                >
                  {h().status === "ok" ? "OK" : "Degraded"}
                </span>
              )}
            </Show>
          </div>
          <Show when={health()} fallback={<p class="muted">Loading…</p>}>
            {(h) => (
              <dl class="facts">
                <dt>Status</dt>
                <Show
                  when={h().status === "degraded"}
                  fallback={<dd>Everything is stored as it arrives, and nothing needs you</dd>}
                >
                  <dd data-warn="">
                    <ul class="problem-list" data-testid="hub-problems">
                      <For each={h().problems} fallback={<li>Degraded (no reason given)</li>}>
                        {(problem) => <li>{problem}</li>}
                      </For>
                    </ul>
                  </dd>
                </Show>
                <dt>Uptime</dt>
                <dd>{formatUptime(h().uptime_s)}</dd>
                <dt>Last seq</dt>
                <dd class="mono">{formatCount(h().events.last_seq)}</dd>
                <dt>Stream state</dt>
                <dd data-warn={h().stream.save_error !== null ? "" : undefined}>
                  {h().stream.save_error === null
                    ? `saved (version ${formatCount(h().stream.version)})`
                    : `shown but not saved since version ${formatCount(h().stream.persisted_version)}; retrying (${h().stream.save_error})`}
                </dd>
              </dl>
            )}
          </Show>
        </section>

        <section class="panel" aria-labelledby="db-title">
          <h2 id="db-title">Database</h2>
          <Show when={health()} fallback={<p class="muted">Loading…</p>}>
            {(h) => (
              <dl class="facts">
                <dt>Engine</dt>
                <dd data-testid="db-engine">
                  {h().database.engine === "pglite" ? "PGlite (embedded)" : "Postgres"}
                </dd>
                <dt>TimescaleDB</dt>
                <dd>{h().database.timescale ? "yes" : "no"}</dd>
                <dt>Migration</dt>
                <dd class="mono">
                  {/* Breaks only after an underscore when the card is narrow. */}
                  <For each={(h().database.migration ?? "none").split(/(?<=_)/)}>
                    {(part) => (
                      <>
                        {part}
                        <wbr />
                      </>
                    )}
                  </For>
                </dd>
              </dl>
            )}
          </Show>
        </section>

        <PipelinePanel health={health()} />

        <WorkersPanel health={health()} />

        <Show when={quarantined() > 0 ? quarantine() : null}>
          {(list) => <QuarantinePanel list={list()} />}
        </Show>

        <section class="panel" aria-labelledby="sockets-title">
          <h2 id="sockets-title">Sockets</h2>
          <Show when={health()} fallback={<p class="muted">Loading…</p>}>
            {(h) => (
              <dl class="facts">
                <dt>Connected</dt>
                <dd>{formatCount(h().sockets.connections)}</dd>
                <dt>Channels joined</dt>
                <dd>{formatCount(h().sockets.channels)}</dd>
                <dt>Frames dropped</dt>
                <dd data-warn={h().sockets.dropped > 0 ? "" : undefined}>
                  {formatCount(h().sockets.dropped)}
                </dd>
                <dt>Closed as too slow</dt>
                <dd data-warn={h().sockets.closed_slow > 0 ? "" : undefined}>
                  {formatCount(h().sockets.closed_slow)}
                </dd>
              </dl>
            )}
          </Show>
        </section>

        <ClientPanel status={status()} />

        <section class="panel chart-panel" aria-labelledby="chart-title">
          <div class="panel-header">
            <h2 id="chart-title">Events per hour, last {CHART_HOURS} hours</h2>
            <p class="panel-note">
              This hour so far: {plural(thisHour(), "event")} ({perMinute(thisHour()).toFixed(1)} a
              minute on average)
            </p>
          </div>
          <Show when={statsError()}>
            {(error) => (
              <p class="notice" data-tone="danger" role="alert">
                Could not read the stats: {error()}
              </p>
            )}
          </Show>
          <EventsChart series={series()} hours={CHART_HOURS} />
        </section>
      </div>
    </section>
  );
}
