/**
 * The Twitch sign-in: a device-code flow (`device-flow.ts`) or a pasted token becomes the stored
 * grant that `grant-keeper.ts` keeps valid. The state is derived: `not_configured` without a
 * client id; `awaiting_user` while a code is out and no usable grant exists (with one, a new
 * sign-in leaves it `connected` and the code shows in `device`); else the grant's own state.
 */
import type { Logger } from "@landale/logger";
import type {
  TwitchAuthState,
  TwitchDeviceCode,
  TwitchProblem,
  TwitchStatus,
  TwitchTokenInput,
} from "@landale/shared";
import type { TwitchConfig } from "../config";
import { type Scheduler, systemScheduler } from "../scheduler";
import {
  asAuthError,
  authErrors,
  errorText,
  grantOf,
  missingScopes,
  noToken,
  problems,
  TwitchAuthError,
} from "./auth-rules";
import { DeviceFlow } from "./device-flow";
import { GrantKeeper } from "./grant-keeper";
import { createOAuthClient, type OAuthClient, type TokenAnswer } from "./oauth";
import type { TokenStore, TwitchGrant } from "./token-store";

export type AuthStatus = Omit<TwitchStatus, "eventsub">;

export interface TwitchAuth {
  status(): AuthStatus;
  /** Asks Twitch for a code for the user to enter; polls for the grant in the background. */
  startDeviceSignIn(): Promise<TwitchDeviceCode>;
  /** A grant minted elsewhere (e.g. `twitch token -u`): validated at Twitch, then stored. */
  acceptToken(input: TwitchTokenInput): Promise<AuthStatus>;
  /** Deletes the stored grant, then revokes it at Twitch (best effort). */
  signOut(): Promise<void>;
  /** A token valid now, renewed first when little time is left; else a `TwitchAuthError`. */
  accessToken(): Promise<string>;
  /** Helix answered 401 to `token`: the token to retry with once, or null when there is none. */
  tokenRejected(token: string): Promise<string | null>;
  onChange(listener: (status: AuthStatus) => void): () => void;
  stop(): Promise<void>;
}

export interface TwitchAuthDeps {
  twitch: Pick<TwitchConfig, "clientId" | "clientSecret" | "authUrl">;
  /** The scopes the hub asks for (`TWITCH_SCOPES`); a grant lacking one shows `missing_scopes`. */
  scopes: readonly string[];
  /** Where the sealed grant lives; null only without a client id (nothing to store). */
  store: TokenStore | null;
  logger: Logger;
  /** Timers, with `now()` as wall-clock epoch ms (expiry times are wall-clock). */
  scheduler?: Scheduler;
  fetch?: typeof fetch;
}

const WALL_CLOCK: Scheduler = { ...systemScheduler, now: () => Date.now() };
const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** Reads the stored grant, then validates it in the background (`onChange` tells the outcome). */
export async function startTwitchAuth(deps: TwitchAuthDeps): Promise<TwitchAuth> {
  const auth = new Auth(deps);
  await auth.keeper?.load();
  return auth;
}

interface Configured {
  oauth: OAuthClient;
  keeper: GrantKeeper;
}

class Auth implements TwitchAuth {
  readonly #deps: TwitchAuthDeps;
  readonly #clock: Scheduler;
  readonly #abort = new AbortController();
  readonly #configured: Configured | null;
  readonly #listeners = new Set<(status: AuthStatus) => void>();
  #device: DeviceFlow | null = null;
  /** The last device sign-in's failure, shown until the next attempt. */
  #deviceProblem: TwitchProblem | null = null;
  #stopped = false;

  constructor(deps: TwitchAuthDeps) {
    this.#deps = deps;
    this.#clock = deps.scheduler ?? WALL_CLOCK;
    const { clientId, clientSecret, authUrl } = deps.twitch;
    if (clientId === null || deps.store === null) {
      this.#configured = null;
      return;
    }
    const { signal } = this.#abort;
    const oauth = createOAuthClient({ authUrl, clientId, clientSecret, signal, fetch: deps.fetch });
    const keeper = new GrantKeeper({
      oauth,
      store: deps.store,
      scheduler: this.#clock,
      logger: deps.logger,
      scopes: deps.scopes,
      changed: () => this.#changed(),
    });
    this.#configured = { oauth, keeper };
  }

  get keeper(): GrantKeeper | null {
    return this.#configured?.keeper ?? null;
  }

  status(): AuthStatus {
    const keeper = this.#configured?.keeper;
    const grant = keeper?.grant ?? null;
    return {
      state: this.#state(),
      user: grant === null ? null : { id: grant.userId, login: grant.login },
      scopes: grant?.scopes ?? [],
      missing_scopes: grant === null ? [] : missingScopes(this.#deps.scopes, grant.scopes),
      expires_at: iso(grant?.expiresAt),
      validated_at: iso(keeper?.validatedAt),
      device: this.#device?.code ?? null,
      problem: this.#deviceProblem ?? keeper?.problem ?? null,
    };
  }

  onChange(listener: (status: AuthStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async startDeviceSignIn(): Promise<TwitchDeviceCode> {
    const { oauth, keeper } = this.#ready();
    const { scopes, logger } = this.#deps;
    const flow = await DeviceFlow.start({
      oauth,
      scopes,
      scheduler: this.#clock,
      logger,
      granted: (done, token) => this.#granted(done, token),
      failed: (done, problem) => this.#deviceFailed(done, problem),
    }).catch((err) => Promise.reject(asAuthError(err)));
    if (this.#stopped) {
      await flow.cancel();
      throw authErrors.stopped();
    }
    const previous = this.#device;
    this.#device = flow;
    this.#deviceProblem = null;
    void previous?.cancel();
    const state = keeper.state;
    logger.info({ expires_at: flow.code.expires_at, state }, "twitch sign-in: code issued");
    this.#changed();
    return flow.code;
  }

  async acceptToken(input: TwitchTokenInput): Promise<AuthStatus> {
    const { oauth, keeper } = this.#ready();
    const validation = await oauth
      .validate(input.access_token)
      .catch((err) => Promise.reject(asAuthError(err)));
    if (validation === null) throw authErrors.tokenInvalid();
    if (validation.client_id !== this.#deps.twitch.clientId) {
      throw authErrors.clientMismatch(validation.client_id);
    }
    const tokens = {
      accessToken: input.access_token,
      refreshToken: input.refresh_token ?? null,
      scope: input.scope,
    };
    const grant = grantOf(validation, tokens, this.#clock.now());
    await this.#cancelDevice();
    this.#deviceProblem = null;
    await keeper.adopt(grant).catch((err) => {
      throw new TwitchAuthError(
        "store_unavailable",
        `The grant was not stored: ${errorText(err)}.`,
      );
    });
    return this.status();
  }

  async signOut(): Promise<void> {
    if (this.#configured === null) return;
    const { oauth, keeper } = this.#configured;
    await this.#cancelDevice();
    this.#deviceProblem = null;
    const grant = await keeper.clear().catch((err) => {
      this.#changed();
      throw new TwitchAuthError(
        "store_unavailable",
        `The grant was not deleted: ${errorText(err)}.`,
      );
    });
    this.#deps.logger.info("twitch: signed out");
    if (grant === null) return;
    await oauth.revoke(grant.accessToken).catch((err) => {
      this.#deps.logger.warn(
        { err: errorText(err) },
        "twitch: the grant was not revoked at Twitch",
      );
    });
  }

  async accessToken(): Promise<string> {
    const { keeper } = this.#ready();
    const token = await keeper.accessToken();
    if (token !== null) return token;
    throw noToken(keeper.state, keeper.grant !== null, keeper.problem);
  }

  async tokenRejected(token: string): Promise<string | null> {
    const keeper = this.#configured?.keeper;
    const grant = keeper?.grant ?? null;
    if (keeper === undefined || grant === null || keeper.state !== "connected") return null;
    if (grant.accessToken !== token) return grant.accessToken;
    // Validate first: Helix answers 401 for a missing scope too, which a new token would not fix.
    await keeper.check();
    const current = keeper.grant;
    const renewed = keeper.state === "connected" && current !== null;
    return renewed && current.accessToken !== token ? current.accessToken : null;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort();
    await this.#cancelDevice();
    await this.#configured?.keeper.stop();
    this.#listeners.clear();
  }

  #state(): TwitchAuthState {
    if (this.#configured === null) return "not_configured";
    const grantState = this.#configured.keeper.state;
    if (this.#device !== null && grantState !== "connected") return "awaiting_user";
    return grantState ?? "signed_out";
  }

  #ready(): Configured {
    if (this.#stopped) throw authErrors.stopped();
    if (this.#configured === null) throw authErrors.notConfigured();
    return this.#configured;
  }

  /** The user approved `flow`'s code: learn whose grant it is, then keep it. */
  async #granted(flow: DeviceFlow, token: TokenAnswer): Promise<void> {
    if (this.#configured === null) return;
    const { oauth, keeper } = this.#configured;
    let grant: TwitchGrant;
    try {
      const validation = await oauth.validate(token.access_token);
      if (validation === null) {
        throw new Error("Twitch did not accept the token it had just issued");
      }
      const tokens = {
        accessToken: token.access_token,
        refreshToken: token.refresh_token ?? null,
        scope: token.scope,
      };
      grant = grantOf(validation, tokens, this.#clock.now());
    } catch (err) {
      return this.#deviceFailed(flow, problems.signInFailed(errorText(err)));
    }
    if (this.#device !== flow) return;
    this.#device = null;
    await keeper.adopt(grant).catch((err) => {
      this.#deviceProblem = problems.signInFailed(`the grant was not stored (${errorText(err)})`);
      this.#deps.logger.warn({ err: errorText(err) }, "twitch sign-in: the grant was not stored");
      this.#changed();
    });
  }

  #deviceFailed(flow: DeviceFlow, problem: TwitchProblem) {
    if (this.#device !== flow) return;
    this.#device = null;
    this.#deviceProblem = problem;
    this.#deps.logger.info({ problem: problem.code }, "twitch sign-in: ended without a grant");
    this.#changed();
  }

  async #cancelDevice(): Promise<void> {
    const flow = this.#device;
    this.#device = null;
    await flow?.cancel();
  }

  #changed() {
    if (this.#stopped) return;
    const status = this.status();
    for (const listener of this.#listeners) {
      try {
        listener(status);
      } catch (err) {
        this.#deps.logger.error({ err: errorText(err) }, "twitch: a status listener failed");
      }
    }
  }
}
