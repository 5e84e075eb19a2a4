/**
 * Sign-in and the signed-in app. First asks the hub whether it wants a token (`GET /api/health`
 * without one: a 401 says it does), then tries the saved token, else shows the prompt. A token
 * the hub refuses — at sign-in or later — brings the prompt back with a message saying so.
 * The signed-in app lives under its own owner: signing out disposes of it, socket and all.
 */
import { createSignal, Match, onCleanup, Switch } from "solid-js";
import { SignIn } from "../auth/SignIn";
import type { TokenStore } from "../auth/token";
import { checkAccess } from "../hub/api";
import { Shell } from "./Shell";

type Phase =
  | { kind: "checking" }
  | { kind: "waiting"; message: string }
  | { kind: "sign-in"; message: string | null }
  | { kind: "ready"; token: string | null; tokenRequired: boolean };

/** How long to wait before asking an unreachable hub again. */
const RETRY_MS = 3_000;

export interface RootProps {
  socketUrl: string;
  base: string;
  tokens: TokenStore;
}

export function Root(props: RootProps) {
  const [phase, setPhase] = createSignal<Phase>({ kind: "checking" });
  let retry: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(retry));

  async function start(): Promise<void> {
    clearTimeout(retry);
    const open = await checkAccess(null);
    if (open.kind === "granted") {
      setPhase({ kind: "ready", token: null, tokenRequired: false });
      return;
    }
    if (open.kind !== "token_required") {
      setPhase({ kind: "waiting", message: open.kind === "unreachable" ? open.message : "" });
      retry = setTimeout(() => void start(), RETRY_MS);
      return;
    }
    const saved = props.tokens.read();
    if (saved === null) {
      setPhase({ kind: "sign-in", message: null });
      return;
    }
    const access = await checkAccess(saved);
    if (access.kind === "granted") setPhase({ kind: "ready", token: saved, tokenRequired: true });
    else if (access.kind === "refused") {
      props.tokens.forget();
      setPhase({
        kind: "sign-in",
        message: "The hub no longer accepts the saved token. Sign in with the current one.",
      });
    } else {
      setPhase({
        kind: "waiting",
        message: access.kind === "unreachable" ? access.message : "The hub answered oddly.",
      });
      retry = setTimeout(() => void start(), RETRY_MS);
    }
  }

  /** Returns the refusal to show, or null once signed in. */
  async function signIn(token: string): Promise<string | null> {
    const access = await checkAccess(token);
    if (access.kind === "granted") {
      props.tokens.save(token);
      setPhase({ kind: "ready", token, tokenRequired: true });
      return null;
    }
    if (access.kind === "token_required") return "Enter the hub's control token.";
    return access.message;
  }

  function signOut(message: string | null): void {
    props.tokens.forget();
    setPhase({ kind: "sign-in", message });
  }

  void start();

  return (
    <Switch>
      <Match when={phase().kind === "checking"}>
        <div class="splash" role="status">
          Connecting to the hub…
        </div>
      </Match>
      <Match when={narrow(phase(), "waiting")} keyed>
        {(waiting) => (
          <div class="splash" role="status">
            <p>Waiting for the hub…</p>
            <p class="muted">{waiting.message}</p>
            <button type="button" class="button" onClick={() => void start()}>
              Try again now
            </button>
          </div>
        )}
      </Match>
      <Match when={narrow(phase(), "sign-in")} keyed>
        {(prompt) => <SignIn message={prompt.message} onSubmit={signIn} />}
      </Match>
      <Match when={narrow(phase(), "ready")} keyed>
        {(ready) => (
          <Shell
            base={props.base}
            socketUrl={props.socketUrl}
            token={ready.token}
            tokenRequired={ready.tokenRequired}
            onSignOut={() => signOut(null)}
            onUnauthorized={() =>
              signOut("The hub stopped accepting this token. Sign in with the current one.")
            }
          />
        )}
      </Match>
    </Switch>
  );
}

function narrow<K extends Phase["kind"]>(phase: Phase, kind: K) {
  return phase.kind === kind ? (phase as Extract<Phase, { kind: K }>) : false;
}
