/**
 * The Twitch integration's status in plain words: where the sign-in stands and what to do next,
 * which scopes the grant has or lacks, how each EventSub subscription is doing, and the
 * paste-a-token form checked with the hub's `TwitchTokenInput` schema before it is sent.
 */
import {
  type EventSubState,
  type TwitchStatus,
  type TwitchSubscriptionStatus,
  TwitchTokenInput,
} from "@landale/shared";

/** Where the set-up is explained; the hub does not serve the docs, so it is named, not linked. */
export const TWITCH_DOCS = "docs/TWITCH.md";

export type Tone = "ok" | "warning" | "danger" | "neutral";

export interface StateWords {
  /** A short badge. */
  label: string;
  tone: Tone;
  /** What is going on and what to do, in a sentence or two. */
  summary: string;
}

export function describeStatus(status: TwitchStatus): StateWords {
  switch (status.state) {
    case "not_configured":
      return {
        label: "Not set up",
        tone: "neutral",
        summary:
          "Twitch is not set up on this hub. Set TWITCH_CLIENT_ID to your application's Client ID (from dev.twitch.tv/console) in the hub's environment, then restart the hub.",
      };
    case "signed_out":
      return {
        label: "Not connected",
        tone: "neutral",
        summary:
          "The hub is not signed in to Twitch. Connect to receive your channel's events and to edit your stream info.",
      };
    case "awaiting_user":
      return {
        label: "Waiting for you",
        tone: "warning",
        summary: "Enter the code below at Twitch and approve Landale; this page updates by itself.",
      };
    case "connected": {
      const who =
        status.user === null ? "Signed in to Twitch." : `Signed in as ${status.user.login}.`;
      const one = status.missing_scopes.length === 1;
      // A new sign-in keeps the grant it would replace: the state stays connected, with a code.
      const next =
        status.device === null
          ? `connect again to grant ${one ? "it" : "them"}.`
          : `enter the code below at Twitch and approve Landale to grant ${one ? "it" : "them"}; this page updates by itself.`;
      if (status.missing_scopes.length === 0) {
        const summary =
          status.device === null
            ? who
            : `${who} Enter the code below at Twitch and approve Landale; this page updates by itself.`;
        return { label: "Connected", tone: "ok", summary };
      }
      return {
        label: "Connected, scopes missing",
        tone: "warning",
        summary: `${who} The grant lacks ${one ? "a scope" : "scopes"} the hub asks for, so some events will not arrive: ${next}`,
      };
    }
    case "invalid":
      return {
        label: "Needs attention",
        tone: "danger",
        summary:
          status.problem?.message ?? "Twitch no longer accepts the hub's sign-in. Connect again.",
      };
  }
}

export interface ScopeRow {
  scope: string;
  /** The hub asks for it and the grant lacks it. */
  missing: boolean;
}

/** Every scope the grant has and every one it lacks, the missing first, each group sorted. */
export function scopeRows(status: Pick<TwitchStatus, "scopes" | "missing_scopes">): ScopeRow[] {
  const missing = [...new Set(status.missing_scopes)].sort();
  const granted = [...new Set(status.scopes)].filter((scope) => !missing.includes(scope)).sort();
  return [
    ...missing.map((scope) => ({ scope, missing: true })),
    ...granted.map((scope) => ({ scope, missing: false })),
  ];
}

const EVENTSUB_WORDS: Record<EventSubState, { label: string; tone: Tone }> = {
  stopped: { label: "Stopped", tone: "neutral" },
  connecting: { label: "Connecting…", tone: "warning" },
  connected: { label: "Connected", tone: "ok" },
  reconnecting: { label: "Reconnecting…", tone: "warning" },
};

export function describeEventSub(state: EventSubState): { label: string; tone: Tone } {
  return EVENTSUB_WORDS[state];
}

/** Twitch's subscription statuses (and the hub's `pending` and `failed`) as a person reads them. */
const SUBSCRIPTION_WORDS: Record<string, string> = {
  enabled: "enabled",
  pending: "not created yet",
  failed: "failed",
  authorization_revoked: "revoked: the grant no longer allows it",
  user_removed: "the user was removed",
  version_removed: "this version was retired by Twitch",
  moderator_removed: "the moderator was removed",
  notification_failures_exceeded: "too many failed deliveries",
  websocket_disconnected: "the session disconnected",
  websocket_failed_ping_pong: "the session missed a ping",
  websocket_received_inbound_traffic: "the session was closed for sending",
  websocket_connection_unused: "the session was unused",
  websocket_internal_error: "Twitch's internal error",
  websocket_network_timeout: "the session timed out",
  websocket_network_error: "a network error",
};

export function describeSubscription(sub: Pick<TwitchSubscriptionStatus, "status">): {
  words: string;
  tone: Tone;
} {
  const words = SUBSCRIPTION_WORDS[sub.status] ?? sub.status.replaceAll("_", " ");
  if (sub.status === "enabled") return { words, tone: "ok" };
  if (sub.status === "pending" || sub.status.endsWith("_pending"))
    return { words, tone: "neutral" };
  // Anything else means the subscription delivers nothing: revoked, failed, removed.
  return { words, tone: "danger" };
}

/** The subscriptions that deliver nothing, for a count beside the table's heading. */
export function troubledSubscriptions(subs: readonly TwitchSubscriptionStatus[]): number {
  return subs.filter((sub) => describeSubscription(sub).tone === "danger").length;
}

/** An address fit for a link: http(s) only, so a strange answer cannot become `javascript:`. */
export function safeLink(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link's address as its text: host and path, without the query (`www.twitch.tv/activate`). */
export function linkLabel(href: string): string {
  const url = new URL(href);
  return `${url.host}${url.pathname.replace(/\/$/, "")}`;
}

export interface TokenForm {
  access: string;
  refresh: string;
}

export type TokenResult =
  | { ok: true; input: TwitchTokenInput }
  | { ok: false; field: keyof TokenForm; message: string };

/**
 * The body of `POST /api/twitch/token` the form stands for. Token generators often print the
 * access token as `oauth:<token>` (the chat login form); the prefix is not part of the token.
 */
export function tokenInput(form: TokenForm): TokenResult {
  const access = form.access.trim().replace(/^oauth:/i, "");
  const refresh = form.refresh.trim();
  if (access === "") return { ok: false, field: "access", message: "paste the access token" };
  if (/\s/.test(access)) {
    return { ok: false, field: "access", message: "a token has no spaces: paste only the token" };
  }
  const parsed = TwitchTokenInput.safeParse({
    access_token: access,
    ...(refresh === "" ? {} : { refresh_token: refresh }),
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    field: issue?.path[0] === "refresh_token" ? "refresh" : "access",
    message: issue?.message ?? "not a token",
  };
}
