/**
 * What the Twitch service needs from its parts — the sign-in, Helix, an EventSub session — as
 * interfaces: `start.ts` passes the real ones (`auth.ts`, `helix.ts`, `eventsub-ws.ts`).
 */
import type {
  TwitchCategory,
  TwitchChannelInfo,
  TwitchChannelUpdate,
  TwitchDeviceCode,
  TwitchEmote,
  TwitchStatus,
  TwitchTokenInput,
} from "@landale/shared";

export type AuthStatus = Omit<TwitchStatus, "eventsub">;
export type EventSubStatus = TwitchStatus["eventsub"];

export interface AuthPort {
  status(): AuthStatus;
  startDeviceSignIn(): Promise<TwitchDeviceCode>;
  acceptToken(input: TwitchTokenInput): Promise<AuthStatus>;
  signOut(): Promise<void>;
  accessToken(): Promise<string>;
  /** Twitch refused `token`: check it (validate, renew); null when there is no good one. */
  tokenRejected(token: string): Promise<string | null>;
  onChange(listener: (status: AuthStatus) => void): () => void;
  stop(): Promise<void>;
}

/** A creator goal as Helix answers it (`broadcaster_*`, `created_at`). */
export interface HelixGoalLike {
  id: string;
  broadcaster_id: string;
  broadcaster_login?: string;
  broadcaster_name?: string;
  type: string;
  description: string;
  current_amount: number;
  target_amount: number;
  created_at: string;
}

export interface HelixPort {
  getChannel(broadcasterId: string): Promise<TwitchChannelInfo>;
  updateChannel(broadcasterId: string, update: TwitchChannelUpdate): Promise<void>;
  searchCategories(query: string): Promise<TwitchCategory[]>;
  getGoals(broadcasterId: string): Promise<readonly HelixGoalLike[]>;
  getChannelEmotes(broadcasterId: string): Promise<TwitchEmote[]>;
  getGlobalEmotes(): Promise<TwitchEmote[]>;
}

export interface Notification {
  messageId: string;
  type: string;
  event: unknown;
}

export interface Revocation {
  messageId: string;
  subscription: { id: string; type: string; status?: string | undefined };
}

export interface SocketPort {
  status(): EventSubStatus;
  /** The grant's scopes changed: subscribe to what they now allow, drop what they no longer do. */
  setScopes(scopes: readonly string[]): void;
  stop(): Promise<void>;
}

/** Starts the EventSub session for `userId`, granted `scopes`; the service stops it. */
export type StartSocket = (session: {
  userId: string;
  scopes: readonly string[];
  /** Resolves once stored; rejects (a 4xx `status`) when the hub refused the event itself. */
  deliver(notification: Notification): Promise<void>;
  onRevocation(revocation: Revocation): Promise<void>;
  onChange(): void;
  /** A session was welcomed (fresh, or after a reconnect): Twitch answers. */
  onWelcome(): void;
  /** A create went through after one failed for a reason that passes: Twitch answers again. */
  onRecovered(): void;
}) => SocketPort;
