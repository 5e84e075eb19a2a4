/**
 * A device-code sign-in in progress: the code to enter, large and easy to copy, the link to
 * Twitch's activation page (a new tab), and the time the code has left. The hub polls Twitch and
 * pushes the new status once approved; this only counts down, with its own one-second timer.
 */
import type { TwitchDeviceCode } from "@landale/shared";
import { createSignal, onCleanup, Show } from "solid-js";
import { formatCountdown } from "../format/format";
import { linkLabel, safeLink } from "./status";

const TICK_MS = 1_000;

export function DeviceCode(props: {
  device: TwitchDeviceCode;
  busy: boolean;
  onRenew: () => void;
}) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), TICK_MS);
  onCleanup(() => clearInterval(timer));
  const [copied, setCopied] = createSignal<string | null>(null);

  const left = () => Date.parse(props.device.expires_at) - now();
  const expired = () => left() <= 0;
  const link = () => safeLink(props.device.verification_uri);

  async function copy() {
    try {
      await navigator.clipboard.writeText(props.device.user_code);
      setCopied("Copied.");
    } catch {
      // No clipboard outside a secure context (a LAN address over http): the code is selectable.
      setCopied("Select the code and copy it.");
    }
  }

  return (
    <div class="device" data-expired={expired() ? "" : undefined}>
      <ol class="device-steps muted">
        <li>Open Twitch's activation page (a new tab), signed in as the channel's owner.</li>
        <li>Enter this code, if Twitch does not fill it in.</li>
        <li>Approve Landale's access.</li>
      </ol>
      <div class="device-code-row">
        <output class="device-code" data-testid="twitch-user-code" aria-label="Your code">
          {props.device.user_code}
        </output>
        <Show when={!expired()}>
          <button type="button" class="button" data-size="small" onClick={() => void copy()}>
            Copy code
          </button>
          <Show when={copied()}>{(message) => <span class="muted">{message()}</span>}</Show>
        </Show>
      </div>
      <Show
        when={expired() ? null : link()}
        fallback={
          <Show when={!expired()}>
            <p class="mono">{props.device.verification_uri}</p>
          </Show>
        }
      >
        {(href) => (
          <a
            class="button"
            data-variant="primary"
            data-size="large"
            href={href()}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="twitch-verification-link"
          >
            Open {linkLabel(href())} ↗
          </a>
        )}
      </Show>
      <Show
        when={!expired()}
        fallback={
          <div class="button-row" role="status">
            <span data-testid="twitch-device-expired">
              The code expired before it was approved.
            </span>
            <button
              type="button"
              class="button"
              data-variant="primary"
              data-testid="twitch-connect"
              disabled={props.busy}
              onClick={() => props.onRenew()}
            >
              Get a new code
            </button>
          </div>
        }
      >
        <p class="device-wait">
          <span class="device-spinner" aria-hidden="true" />
          {/* Only the words are a live region: the countdown would be read out every second. */}
          <span role="status">Waiting for you to approve…</span> The code expires in{" "}
          <span class="mono" data-testid="twitch-device-expires">
            {formatCountdown(left())}
          </span>
        </p>
      </Show>
    </div>
  );
}
