/**
 * Where the hub's Twitch sign-in stands, in words, and the one thing to do next: set it up,
 * connect (a device code to enter at Twitch), wait for the approval, or connect again. When
 * connected: who, the token's expiry, the scopes (missing ones flagged) and Disconnect, asked
 * twice. A token minted elsewhere can be pasted instead of the device flow.
 */
import { TwitchDeviceCode, type TwitchStatus } from "@landale/shared";
import { createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { z } from "zod";
import { formatAgo, formatClock, formatUntil } from "../format/format";
import { DeviceCode } from "./DeviceCode";
import { describeStatus, scopeRows, TWITCH_DOCS } from "./status";
import type { TwitchCommand, TwitchLink } from "./store";
import { TokenForm } from "./TokenForm";

/** The token's expiry and last validation are shown relative to now, refreshed this often. */
const CLOCK_MS = 30_000;

export function ConnectionPanel(props: { link: TwitchLink; status: TwitchStatus }) {
  const [busy, setBusy] = createSignal<TwitchCommand | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [confirmOut, setConfirmOut] = createSignal(false);
  const words = () => describeStatus(props.status);
  const state = () => props.status.state;

  async function run(event: TwitchCommand, schema: z.ZodType): Promise<void> {
    setBusy(() => event);
    setError(null);
    const outcome = await props.link.ask(event, {}, schema);
    setBusy(null);
    if (!outcome.ok) setError(outcome.error.message);
    // The hub pushes the new status too; asking covers a push that raced the reply.
    await props.link.refresh();
  }
  const connect = () => void run("twitch:sign_in", TwitchDeviceCode);
  const disconnect = () => {
    setConfirmOut(false);
    void run("twitch:sign_out", z.unknown());
  };

  return (
    <section
      class="panel twitch-connection"
      aria-labelledby="twitch-connection-title"
      data-state={state()}
    >
      <div class="panel-header">
        <h2 id="twitch-connection-title">Connection</h2>
        <span
          class="badge"
          data-accent={words().tone}
          data-testid="twitch-state"
          data-state={state()}
        >
          {words().label}
        </span>
      </div>
      <p class="twitch-summary" data-testid="twitch-summary">
        {words().summary}
      </p>

      <Switch>
        <Match when={state() === "not_configured"}>
          <p class="muted">
            Each step, and the scopes the hub asks for, are in <code>{TWITCH_DOCS}</code> in the
            Landale repository.
          </p>
        </Match>
        <Match when={state() === "signed_out"}>
          <div class="button-row">
            <button
              type="button"
              class="button"
              data-variant="primary"
              data-size="large"
              data-testid="twitch-connect"
              disabled={busy() !== null}
              onClick={connect}
            >
              {busy() === "twitch:sign_in" ? "Asking Twitch for a code…" : "Connect to Twitch"}
            </button>
          </div>
        </Match>
        <Match when={state() === "connected"}>
          <Connected status={props.status} busy={busy() !== null} onReconnect={connect} />
        </Match>
        <Match when={state() === "invalid"}>
          <div class="button-row">
            <button
              type="button"
              class="button"
              data-variant="primary"
              data-size="large"
              data-testid="twitch-connect"
              disabled={busy() !== null}
              onClick={connect}
            >
              Connect to Twitch again
            </button>
          </div>
        </Match>
      </Switch>

      {/* Whatever the state: a sign-in to grant missing scopes keeps it `connected`. */}
      <Show when={props.status.device}>
        {(device) => <DeviceCode device={device()} busy={busy() !== null} onRenew={connect} />}
      </Show>

      <Show when={props.status.problem}>
        {(problem) => (
          <div
            class="notice"
            data-tone={state() === "invalid" ? "danger" : "warn"}
            data-testid="twitch-problem"
            data-code={problem().code}
          >
            <Show when={state() !== "invalid"}>
              <p>{problem().message}</p>
            </Show>
            <p>
              <strong>What to do:</strong> {problem().action}
            </p>
          </div>
        )}
      </Show>

      <Show when={error()}>
        {(message) => (
          <p class="notice" data-tone="danger" role="alert" data-testid="twitch-command-error">
            {message()}
          </p>
        )}
      </Show>

      <Show when={state() === "connected" || state() === "invalid"}>
        <div class="button-row">
          <Show
            when={confirmOut()}
            fallback={
              <button
                type="button"
                class="button"
                data-variant="danger"
                data-testid="twitch-disconnect"
                disabled={busy() !== null}
                onClick={() => setConfirmOut(true)}
              >
                Disconnect…
              </button>
            }
          >
            <fieldset class="confirm">
              <legend class="visually-hidden">Confirm disconnecting from Twitch</legend>
              <span>Sign the hub out of Twitch? Events stop until you connect again.</span>
              <button
                type="button"
                class="button"
                data-variant="danger"
                data-testid="twitch-disconnect-confirm"
                onClick={disconnect}
              >
                Yes, disconnect
              </button>
              <button type="button" class="button" onClick={() => setConfirmOut(false)}>
                Cancel
              </button>
            </fieldset>
          </Show>
        </div>
      </Show>

      <Show when={state() !== "not_configured" && state() !== "awaiting_user"}>
        <TokenForm link={props.link} />
      </Show>
    </section>
  );
}

function Connected(props: { status: TwitchStatus; busy: boolean; onReconnect: () => void }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
  onCleanup(() => clearInterval(timer));
  const scopes = () => scopeRows(props.status);
  const missing = () => props.status.missing_scopes.length;

  return (
    <>
      <dl class="facts">
        <dt>Account</dt>
        <dd data-testid="twitch-login">{props.status.user?.login ?? "—"}</dd>
        <dt>User id</dt>
        <dd class="mono">{props.status.user?.id ?? "—"}</dd>
        <dt>Token expires</dt>
        <dd data-testid="twitch-expires">
          <Show when={props.status.expires_at} fallback="never (or not told)">
            {(at) => (
              <>
                {formatClock(at())} ({formatUntil(at(), now())}; the hub refreshes it before)
              </>
            )}
          </Show>
        </dd>
        <dt>Last validated</dt>
        <dd>
          <Show when={props.status.validated_at} fallback="not yet">
            {(at) => (
              <>
                {formatClock(at())} ({formatAgo(at(), now())})
              </>
            )}
          </Show>
        </dd>
      </dl>
      <div class="twitch-scopes">
        <h3>Scopes</h3>
        <ul class="scope-list" aria-label="Scopes of the grant">
          <For each={scopes()}>
            {(row) => (
              <li
                class="badge"
                data-accent={row.missing ? "danger" : "neutral"}
                data-testid="twitch-scope"
                data-missing={row.missing ? "" : undefined}
              >
                {row.scope}
                <Show when={row.missing}>
                  <span> — missing</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </div>
      {/* While a code is out, the code itself is the next step (and renews once expired). */}
      <Show when={missing() > 0 && props.status.device === null}>
        <div class="button-row">
          <button
            type="button"
            class="button"
            data-variant="primary"
            data-testid="twitch-connect"
            disabled={props.busy}
            onClick={() => props.onReconnect()}
          >
            Connect again to grant {missing() === 1 ? "the missing scope" : "the missing scopes"}
          </button>
        </div>
      </Show>
    </>
  );
}
