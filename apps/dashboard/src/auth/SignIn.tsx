/** The token prompt: one password field, a clear refusal, and where to find the token. */
import { createSignal, Show } from "solid-js";

export function SignIn(props: {
  message: string | null;
  onSubmit: (token: string) => Promise<string | null>;
}) {
  const [token, setToken] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const shown = () => error() ?? props.message;

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const value = token().trim();
    if (value === "") {
      setError("Enter the hub's control token.");
      return;
    }
    setBusy(true);
    const refusal = await props.onSubmit(value);
    setBusy(false);
    if (refusal !== null) setError(refusal);
  }

  return (
    <main class="sign-in">
      <form class="panel sign-in-card" onSubmit={submit} novalidate aria-labelledby="sign-in-title">
        <div class="brand" aria-hidden="true">
          <span class="brand-mark" />
          Landale
        </div>
        <h1 id="sign-in-title">Sign in to the dashboard</h1>
        <p class="muted">
          This hub is protected by a control token: the <code>LANDALE_TOKEN</code> it was started
          with. It is kept in this browser until you sign out.
        </p>
        <div class="field">
          <label for="token">Control token</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="current-password"
            spellcheck={false}
            value={token()}
            onInput={(event) => {
              setToken(event.currentTarget.value);
              setError(null);
            }}
            aria-invalid={shown() !== null}
            aria-describedby={shown() !== null ? "token-error" : undefined}
            autofocus
          />
          <Show when={shown()}>
            {(message) => (
              <p id="token-error" class="field-error" role="alert">
                {message()}
              </p>
            )}
          </Show>
        </div>
        <button
          type="submit"
          class="button"
          data-variant="primary"
          data-size="large"
          disabled={busy()}
        >
          {busy() ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
