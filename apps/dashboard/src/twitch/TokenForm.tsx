/**
 * Paste a token (collapsed): for a streamer who mints the grant with the Twitch CLI rather than
 * the device flow. Sent to `POST /api/twitch/token`, which validates it at Twitch before storing
 * it; the fields are emptied once the hub took it, so the token does not linger in the page.
 */
import { createSignal, Show } from "solid-js";
import { ApiError } from "../hub/api";
import { useSession } from "../hub/session";
import { type TokenForm as Form, tokenInput } from "./status";
import type { TwitchLink } from "./store";

const EMPTY: Form = { access: "", refresh: "" };

export function TokenForm(props: { link: TwitchLink }) {
  const session = useSession();
  const [form, setForm] = createSignal<Form>(EMPTY);
  const [issue, setIssue] = createSignal<{ field: keyof Form; message: string } | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [accepted, setAccepted] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const update = (change: Partial<Form>) => {
    setForm({ ...form(), ...change });
    setIssue(null);
    setError(null);
    setAccepted(null);
  };
  const issueFor = (field: keyof Form) => (issue()?.field === field ? issue()?.message : undefined);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const result = tokenInput(form());
    if (!result.ok) {
      setIssue(result);
      return;
    }
    setBusy(true);
    try {
      const status = await session.api.twitchToken(result.input);
      setForm(EMPTY);
      props.link.accept(status);
      setAccepted(
        status.user === null ? "The hub took the token." : `Signed in as ${status.user.login}.`,
      );
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="token-paste" data-testid="twitch-paste-token">
      <summary>Paste a token instead</summary>
      <form class="token-form" onSubmit={submit} novalidate aria-label="Paste a Twitch token">
        <p class="muted">
          For a grant minted elsewhere, e.g. <code>twitch token -u -s '…scopes…'</code> with the
          Twitch CLI, using the same Client ID as the hub's <code>TWITCH_CLIENT_ID</code>. The hub
          checks it with Twitch before keeping it, sealed.
        </p>
        <div class="field">
          <label for="twitch-access-token">Access token</label>
          <input
            id="twitch-access-token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={form().access}
            onInput={(event) => update({ access: event.currentTarget.value })}
            aria-invalid={issueFor("access") !== undefined}
            aria-describedby="twitch-access-token-error"
            data-testid="twitch-access-token"
          />
          <Show when={issueFor("access")}>
            {(message) => (
              <p id="twitch-access-token-error" class="field-error" role="alert">
                Access token: {message()}
              </p>
            )}
          </Show>
        </div>
        <div class="field">
          <label for="twitch-refresh-token">Refresh token (optional)</label>
          <input
            id="twitch-refresh-token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={form().refresh}
            onInput={(event) => update({ refresh: event.currentTarget.value })}
            aria-invalid={issueFor("refresh") !== undefined}
            aria-describedby="twitch-refresh-token-hint twitch-refresh-token-error"
          />
          <p id="twitch-refresh-token-hint" class="field-hint">
            Without it the hub cannot renew the grant; you paste a new one when it expires.
          </p>
          <Show when={issueFor("refresh")}>
            {(message) => (
              <p id="twitch-refresh-token-error" class="field-error" role="alert">
                Refresh token: {message()}
              </p>
            )}
          </Show>
        </div>
        <div class="button-row">
          <button type="submit" class="button" disabled={busy()} data-testid="twitch-token-submit">
            {busy() ? "Checking with Twitch…" : "Use this token"}
          </button>
          <Show when={accepted()}>
            {(message) => (
              <span class="muted" role="status">
                {message()}
              </span>
            )}
          </Show>
        </div>
        <Show when={error()}>
          {(message) => (
            <p class="notice" data-tone="danger" role="alert" data-testid="twitch-token-error">
              {message()}
            </p>
          )}
        </Show>
      </form>
    </details>
  );
}
