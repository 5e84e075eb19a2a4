/**
 * One stream command at a time from a panel: which one is in flight (to disable its button and
 * say so), and the last refusal in the hub's words.
 */
import type { CommandName, Topic } from "@landale/shared";
import { type Accessor, createSignal } from "solid-js";
import { sendCommand, useSession } from "./session";

export interface CommandRunner<C extends string> {
  run(event: C, payload?: object): Promise<boolean>;
  busy: Accessor<C | null>;
  error: Accessor<string | null>;
  clearError(): void;
}

export function useCommands<T extends Topic>(topic: T): CommandRunner<CommandName<T>> {
  const session = useSession();
  const [busy, setBusy] = createSignal<CommandName<T> | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  return {
    async run(event, payload = {}) {
      // As a function: Solid's setter cannot tell a generic value from an updater.
      setBusy(() => event);
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
