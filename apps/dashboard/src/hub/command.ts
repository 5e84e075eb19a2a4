/**
 * One stream command at a time from a panel: which one is in flight (to disable its button and
 * say so), and the last refusal in the hub's words.
 */
import { type Accessor, createSignal } from "solid-js";
import { sendCommand, useSession } from "./session";

export interface CommandRunner {
  run(event: string, payload?: object): Promise<boolean>;
  busy: Accessor<string | null>;
  error: Accessor<string | null>;
  clearError(): void;
}

export function useCommands(topic: string): CommandRunner {
  const session = useSession();
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  return {
    async run(event, payload = {}) {
      setBusy(event);
      setError(null);
      const outcome = await sendCommand(session.client, topic, event, payload);
      setBusy(null);
      if (!outcome.ok) setError(outcome.error.message);
      return outcome.ok;
    },
    busy,
    error,
    clearError: () => setError(null),
  };
}
