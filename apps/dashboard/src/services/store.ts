/**
 * The supervised workers as the Services view keeps them: the last `services_status` the hub
 * pushed on `dashboard:main` (on join and on every change of a worker's state or health), read
 * once with `worker:get_status` when the view opens (the topic may have been joined long before),
 * and the `worker:*` commands, one at a time, each answering the new status. Created in the
 * view's owner; its subscription ends with it.
 */
import type { LandaleClient } from "@landale/client";
import { DASHBOARD, PUSH, ServicesStatus, type WorkerCommandName } from "@landale/shared";
import { type Accessor, createSignal, onCleanup } from "solid-js";
import { askHub } from "../hub/session";

export interface ServicesLink {
  /** Null until the hub has told it once. */
  status: Accessor<ServicesStatus | null>;
  /** Why the status could not be read, or why the last command was refused. */
  error: Accessor<string | null>;
  /** The worker a command is running for. */
  busy: Accessor<string | null>;
  run(command: Exclude<WorkerCommandName, "worker:get_status">, name: string): Promise<void>;
  refresh(): Promise<void>;
}

/** Must run inside an owner. */
export function createServicesLink(client: LandaleClient): ServicesLink {
  const [status, setStatus] = createSignal<ServicesStatus | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  // A reply to a read older than the last push is stale.
  let received = 0;
  let alive = true;
  const accept = (next: ServicesStatus) => {
    received++;
    setStatus(next);
  };
  onCleanup(() => {
    alive = false;
  });
  onCleanup(client.subscribe(DASHBOARD, PUSH.servicesStatus, accept));

  async function refresh(): Promise<void> {
    const before = received;
    const outcome = await askHub(client, DASHBOARD, "worker:get_status", {}, ServicesStatus);
    if (!alive || received !== before) return;
    if (outcome.ok) {
      accept(outcome.value);
      setError(null);
    } else setError(outcome.error.message);
  }

  async function run(
    command: Exclude<WorkerCommandName, "worker:get_status">,
    name: string,
  ): Promise<void> {
    if (busy() !== null) return;
    setBusy(name);
    setError(null);
    const outcome = await askHub(client, DASHBOARD, command, { name }, ServicesStatus);
    if (!alive) return;
    setBusy(null);
    if (outcome.ok) accept(outcome.value);
    else setError(outcome.error.message);
  }

  void refresh();
  return { status, error, busy, run, refresh };
}
