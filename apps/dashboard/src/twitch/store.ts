/**
 * The Twitch integration as the view keeps it: the last status the hub told (`integration_status`
 * on `dashboard:main`, pushed on join and on every change), read once with `twitch:status` when
 * the view opens (the topic may have been joined long before, so its join push is gone), and the
 * `twitch:*` commands with their replies parsed. Created in the view's owner; its subscription
 * ends with it.
 */
import type { LandaleClient } from "@landale/client";
import { type CommandName, DASHBOARD, PUSH, TwitchStatus } from "@landale/shared";
import { type Accessor, createSignal, onCleanup } from "solid-js";
import type { z } from "zod";
import { type AskOutcome, askHub } from "../hub/session";

export type TwitchCommand = CommandName<typeof DASHBOARD>;

export interface TwitchLink {
  /** Null until the hub has told it once. */
  status: Accessor<TwitchStatus | null>;
  /** Why the status could not be read, while it could not. */
  readError: Accessor<string | null>;
  /** Takes a status the hub answered outside a push (e.g. the paste-a-token reply). */
  accept(status: TwitchStatus): void;
  refresh(): Promise<void>;
  ask<S extends z.ZodType>(
    event: TwitchCommand,
    payload: object,
    schema: S,
  ): Promise<AskOutcome<z.infer<S>>>;
}

/** Must run inside an owner. */
export function createTwitchLink(client: LandaleClient): TwitchLink {
  const [status, setStatus] = createSignal<TwitchStatus | null>(null);
  const [readError, setReadError] = createSignal<string | null>(null);
  // Every status taken is counted: a reply to a read older than the last push is stale.
  let received = 0;
  let alive = true;

  function accept(next: TwitchStatus): void {
    received++;
    setStatus(next);
    setReadError(null);
  }

  onCleanup(() => {
    alive = false;
  });
  onCleanup(
    client.subscribe(DASHBOARD, PUSH.integrationStatus, (pushed) => {
      if (pushed.integration === "twitch") accept(pushed.status);
    }),
  );

  async function refresh(): Promise<void> {
    const before = received;
    const outcome = await askHub(client, DASHBOARD, "twitch:status", {}, TwitchStatus);
    if (!alive || received !== before) return;
    if (outcome.ok) accept(outcome.value);
    else setReadError(outcome.error.message);
  }

  void refresh();

  return {
    status,
    readError,
    accept,
    refresh,
    ask: (event, payload, schema) => askHub(client, DASHBOARD, event, payload, schema),
  };
}
