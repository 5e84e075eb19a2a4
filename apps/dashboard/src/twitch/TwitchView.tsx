/**
 * The Twitch view: the hub's sign-in to Twitch (connect, wait for approval, disconnect, or
 * paste a token), the Stream info editor, and the EventSub session with its subscriptions. All
 * of it follows the status the hub pushes on `dashboard:main`; nothing here polls.
 */
import { createMemo, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { useSession } from "../hub/session";
import { ConnectionPanel } from "./ConnectionPanel";
import { EventSubPanel } from "./EventSubPanel";
import { StreamInfo } from "./StreamInfo";
import { createTwitchLink } from "./store";
import "./twitch.css";

export function TwitchView() {
  const session = useSession();
  const link = createTwitchLink(session.client);
  // A memo: the editor reads the channel when this changes, not on every status push.
  const connected = createMemo(() => link.status()?.state === "connected");

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Twitch"
        lead="The hub's sign-in to Twitch, your stream's title and category, and the events Twitch sends."
      />
      <Show
        when={link.status()}
        fallback={
          <Show
            when={link.readError()}
            fallback={
              <p class="panel empty" role="status">
                Asking the hub about Twitch…
              </p>
            }
          >
            {(message) => (
              <div class="notice" data-tone="danger" role="alert">
                <p>Could not read the Twitch status from the hub: {message()}</p>
                <button type="button" class="button" onClick={() => void link.refresh()}>
                  Try again
                </button>
              </div>
            )}
          </Show>
        }
      >
        {(status) => (
          <div class="twitch-grid">
            <ConnectionPanel link={link} status={status()} />
            <StreamInfo link={link} connected={connected()} />
            <Show when={status().state !== "not_configured"}>
              <EventSubPanel eventsub={status().eventsub} />
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}
