/**
 * The EventSub WebSocket session as the hub runs it: its state, since when, the keepalive, what
 * it delivered (stored, redeliveries ignored, reconnects), and each subscription the hub wants
 * with Twitch's status for it; revoked and failed ones stand out, with Twitch's error.
 */
import type { TwitchStatus } from "@landale/shared";
import { For, Show } from "solid-js";
import { formatClock, formatCount, plural } from "../format/format";
import { describeEventSub, describeSubscription, troubledSubscriptions } from "./status";

export function EventSubPanel(props: { eventsub: TwitchStatus["eventsub"] }) {
  const session = () => describeEventSub(props.eventsub.state);
  const troubled = () => troubledSubscriptions(props.eventsub.subscriptions);

  return (
    <section class="panel eventsub-panel" aria-labelledby="eventsub-title">
      <div class="panel-header">
        <h2 id="eventsub-title">EventSub</h2>
        <span
          class="badge"
          data-accent={session().tone}
          data-testid="eventsub-state"
          data-state={props.eventsub.state}
        >
          {session().label}
        </span>
      </div>
      <dl class="facts eventsub-facts">
        <dt>Connected since</dt>
        <dd>
          {props.eventsub.connected_at === null ? "—" : formatClock(props.eventsub.connected_at)}
        </dd>
        <dt>Session</dt>
        <dd class="mono">{props.eventsub.session_id ?? "—"}</dd>
        <dt>Keepalive</dt>
        <dd>
          {props.eventsub.keepalive_seconds === null
            ? "—"
            : `every ${props.eventsub.keepalive_seconds} s`}
        </dd>
        <dt>Notifications stored</dt>
        <dd data-testid="eventsub-notifications">{formatCount(props.eventsub.notifications)}</dd>
        <dt>Refused (bad data)</dt>
        <dd data-testid="eventsub-refused" data-warn={props.eventsub.refused > 0 ? "" : undefined}>
          {formatCount(props.eventsub.refused)}
        </dd>
        <dt>Redeliveries ignored</dt>
        <dd data-testid="eventsub-duplicates">{formatCount(props.eventsub.duplicates)}</dd>
        <dt>Reconnects</dt>
        <dd data-testid="eventsub-reconnects">{formatCount(props.eventsub.reconnects)}</dd>
      </dl>

      <div class="panel-header">
        <h3 id="subscriptions-title">Subscriptions</h3>
        <p class="panel-note">
          {plural(props.eventsub.subscriptions.length, "subscription")}
          <Show when={troubled() > 0}>
            {" · "}
            <span class="badge" data-accent="danger">
              {troubled()} not delivering
            </span>
          </Show>
        </p>
      </div>
      <Show
        when={props.eventsub.subscriptions.length > 0}
        fallback={
          <p class="empty">
            None yet: the hub creates them once it is connected to Twitch and has a session.
          </p>
        }
      >
        <table class="twitch-table" aria-labelledby="subscriptions-title">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.eventsub.subscriptions}>
              {(sub) => {
                const words = () => describeSubscription(sub);
                return (
                  <tr
                    data-testid="twitch-subscription"
                    data-type={sub.type}
                    data-status={sub.status}
                    data-trouble={words().tone === "danger" ? "" : undefined}
                  >
                    <td class="mono">{sub.type}</td>
                    <td class="mono">{sub.version}</td>
                    <td>
                      <span class="badge" data-accent={words().tone}>
                        {words().words}
                      </span>
                    </td>
                    <td>{sub.error ?? ""}</td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
