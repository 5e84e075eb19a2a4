/**
 * Keeps the one stored Twitch grant usable: loads it, validates it at start-up and hourly (Twitch's
 * rule; a renewal counts, as Twitch renews only a grant it still honours), renews it ahead of
 * expiry and when Helix refuses it, and writes every change to the store before using it. A renewal Twitch refuses makes it `invalid`; Twitch (or the database) out of
 * reach only records a problem and retries with backoff. One timer; one renewal in flight.
 */
import type { Logger } from "@landale/logger";
import type { TwitchProblem } from "@landale/shared";
import type { Scheduler } from "../scheduler";
import { errorText, missingScopes, nextWakeAt, problems, renewAtOf, shared } from "./auth-rules";
import { type OAuthClient, scopeList, type TokenAnswer, TwitchOAuthError } from "./oauth";
import { type TokenStore, TokenStoreError, type TwitchGrant } from "./token-store";

export interface GrantKeeperDeps {
  oauth: OAuthClient;
  store: TokenStore;
  /** `now()` is wall-clock epoch ms. */
  scheduler: Scheduler;
  logger: Logger;
  scopes: readonly string[];
  /** Called after every change of the grant, its state or its problem. */
  changed(): void;
}

export class GrantKeeper {
  readonly #deps: GrantKeeperDeps;
  #grant: TwitchGrant | null = null;
  /** `invalid` without a grant: a stored one that could not be opened. */
  #state: "connected" | "invalid" | null = null;
  #validatedAt: number | null = null;
  #renewAt: number | null = null;
  #problem: TwitchProblem | null = null;
  #loaded = false;
  #unsaved = false;
  #failures = 0;
  #timer: unknown = null;
  /** Store writes in order, so a sign-out's delete is never overtaken by a renewal's save. */
  #writes: Promise<unknown> = Promise.resolve();
  readonly #tasks = new Set<Promise<unknown>>();
  #stopped = false;

  constructor(deps: GrantKeeperDeps) {
    this.#deps = deps;
  }

  get grant(): TwitchGrant | null {
    return this.#grant;
  }
  get state(): "connected" | "invalid" | null {
    return this.#state;
  }
  get validatedAt(): number | null {
    return this.#validatedAt;
  }
  get problem(): TwitchProblem | null {
    return this.#problem;
  }

  /** Reads the stored grant and validates it in the background; retried while the store is away. */
  async load(): Promise<void> {
    try {
      const grant = await this.#deps.store.load();
      this.#take(grant, null, renewAtOf(grant?.expiresAt ?? null, null));
      if (grant !== null) this.#track(this.check());
    } catch (err) {
      // A grant that does not open stays unopened (`invalid`); a database away is retried.
      this.#loaded = err instanceof TokenStoreError;
      if (this.#loaded) this.#state = "invalid";
      else this.#failures++;
      this.#problem = problems.notLoaded(err);
      this.#deps.logger.warn({ err: this.#problem.message }, "twitch: the grant was not loaded");
    }
    this.#changed();
  }

  /** Stores a grant Twitch has just validated, then makes it the current one. */
  async adopt(grant: TwitchGrant): Promise<void> {
    await this.#write(() => this.#deps.store.save(grant));
    const now = this.#deps.scheduler.now();
    this.#take(grant, now, renewAtOf(grant.expiresAt, grant.expiresAt && grant.expiresAt - now));
    const missing = missingScopes(this.#deps.scopes, grant.scopes);
    this.#deps.logger.info({ user: grant.login, missing_scopes: missing }, "twitch: signed in");
    this.#changed();
  }

  /** Deletes the stored grant, then forgets it; returns what it forgot. */
  async clear(): Promise<TwitchGrant | null> {
    await this.#write(() => this.#deps.store.delete());
    const grant = this.#grant;
    this.#take(null, null, null);
    this.#changed();
    return grant;
  }

  /**
   * The current token, renewed first when due — unless a renewal just failed and the token still
   * has time: then it is handed out, and the timer's backoff decides when Twitch is tried again.
   */
  async accessToken(): Promise<string | null> {
    const grant = this.#grant;
    if (grant === null || this.#state !== "connected") return null;
    const alive = (g: TwitchGrant) =>
      g.expiresAt === null || g.expiresAt > this.#deps.scheduler.now();
    if (!this.#renewDue(grant) || (this.#failures > 0 && alive(grant))) return grant.accessToken;
    const fresh = await this.renew();
    if (fresh !== null) return fresh;
    const current = this.#grant;
    if (current === null || this.#state !== "connected") return null;
    return alive(current) ? current.accessToken : null;
  }

  /** Validates the current token; a 401 renews it (or, without a refresh token, invalidates it). */
  readonly check = shared(() => this.#validate());
  /** Renews the current token. */
  readonly renew = shared(() => this.#refresh());

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#disarm();
    await Promise.allSettled([...this.#tasks, this.#writes]);
  }

  async #validate(): Promise<void> {
    const grant = this.#grant;
    if (grant === null || this.#state !== "connected") return;
    let validation: Awaited<ReturnType<OAuthClient["validate"]>>;
    try {
      validation = await this.#deps.oauth.validate(grant.accessToken);
    } catch (err) {
      if (this.#grant === grant) this.#unreachable("validate", err);
      return;
    }
    if (this.#grant !== grant) return;
    const now = this.#deps.scheduler.now();
    if (validation === null) {
      if (grant.refreshToken !== null) await this.renew();
      else if (grant.expiresAt !== null && grant.expiresAt <= now) {
        this.#invalidate(problems.tokenExpired());
      } else this.#invalidate(problems.grantRevoked("invalid access token"));
      return;
    }
    // Updated in place: the same grant, so that a renewal in flight still recognises it.
    if (validation.scopes !== null) grant.scopes = scopeList(validation.scopes);
    grant.expiresAt = validation.expires_in > 0 ? now + validation.expires_in * 1000 : null;
    this.#validatedAt = now;
    this.#failures = 0;
    if (!this.#unsaved) this.#problem = this.#scopeProblem(grant);
    this.#changed();
  }

  async #refresh(): Promise<string | null> {
    const grant = this.#grant;
    if (grant?.refreshToken == null || this.#state !== "connected") return null;
    let answer: TokenAnswer;
    try {
      answer = await this.#deps.oauth.refresh(grant.refreshToken);
    } catch (err) {
      if (this.#grant !== grant) return null;
      if (err instanceof TwitchOAuthError && err.kind === "refused") {
        this.#invalidate(problems.grantRevoked(err.message));
      } else this.#unreachable("refresh", err);
      return null;
    }
    if (this.#grant !== grant) return null;
    const lifetime = answer.expires_in ? answer.expires_in * 1000 : null;
    const renewed: TwitchGrant = {
      ...grant,
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? grant.refreshToken,
      scopes: answer.scope == null ? grant.scopes : scopeList(answer.scope),
      expiresAt: lifetime === null ? null : this.#deps.scheduler.now() + lifetime,
    };
    this.#grant = renewed;
    this.#renewAt = renewAtOf(renewed.expiresAt, lifetime);
    // Twitch renews only a grant it still honours: the renewal is as good as a validation.
    this.#validatedAt = this.#deps.scheduler.now();
    this.#failures = 0;
    this.#problem = this.#scopeProblem(renewed);
    const expiresAt = renewed.expiresAt && new Date(renewed.expiresAt).toISOString();
    this.#deps.logger.info({ user: renewed.login, expires_at: expiresAt }, "twitch: token renewed");
    // Twitch has spent the old refresh token: keep the new one in memory even while the database
    // is away, and store it once it is back.
    await this.#save(renewed);
    this.#changed();
    return renewed.accessToken;
  }

  async #save(grant: TwitchGrant): Promise<void> {
    try {
      await this.#write(() =>
        this.#grant === grant ? this.#deps.store.save(grant) : Promise.resolve(),
      );
      if (this.#grant === grant) this.#unsaved = false;
    } catch (err) {
      if (this.#grant !== grant) return;
      this.#unsaved = true;
      this.#failures++;
      this.#problem = problems.storeUnavailable(errorText(err));
      this.#deps.logger.warn({ err: errorText(err) }, "twitch: the renewed grant was not stored");
    }
  }

  /** A timer's turn: load, store, renew or validate, whichever is due. */
  async #tick(): Promise<void> {
    if (!this.#loaded) return this.load();
    const grant = this.#grant;
    if (grant === null || this.#state !== "connected") return;
    if (this.#unsaved) await this.#save(grant);
    await (this.#renewDue(grant) ? this.renew() : this.check());
  }

  /** Makes `grant` (or none) the current one, as stored: nothing failed, nothing unsaved. */
  #take(grant: TwitchGrant | null, validatedAt: number | null, renewAt: number | null) {
    this.#grant = grant;
    this.#state = grant === null ? null : "connected";
    this.#validatedAt = validatedAt;
    this.#renewAt = renewAt;
    this.#loaded = true;
    this.#unsaved = false;
    this.#failures = 0;
    this.#problem = grant === null ? null : this.#scopeProblem(grant);
  }

  #renewDue(grant: TwitchGrant): boolean {
    return grant.refreshToken !== null && this.#deps.scheduler.now() >= (this.#renewAt ?? Infinity);
  }

  #invalidate(problem: TwitchProblem) {
    this.#state = "invalid";
    this.#problem = problem;
    this.#failures = 0;
    this.#deps.logger.warn(
      { problem: problem.code, reason: problem.message },
      "twitch: grant invalid",
    );
    this.#changed();
  }

  #unreachable(operation: string, err: unknown) {
    this.#problem = problems.unreachable(err);
    this.#deps.logger.warn(
      { operation, err: errorText(err), failures: ++this.#failures },
      "twitch: not reached",
    );
    this.#changed();
  }

  #scopeProblem(grant: TwitchGrant): TwitchProblem | null {
    const missing = missingScopes(this.#deps.scopes, grant.scopes);
    return missing.length === 0 ? null : problems.missingScopes(missing);
  }

  #write<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#writes.then(operation);
    this.#writes = result.catch(() => {});
    return result;
  }

  #track(task: Promise<unknown>) {
    const tracked = task.catch((err) =>
      this.#deps.logger.error({ err: errorText(err) }, "twitch: unexpected failure"),
    );
    this.#tasks.add(tracked);
    void tracked.finally(() => this.#tasks.delete(tracked));
  }

  #disarm() {
    if (this.#timer !== null) this.#deps.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** After any change: re-arm the one timer, then tell the owner. */
  #changed() {
    if (this.#stopped) return;
    const { scheduler } = this.#deps;
    this.#disarm();
    const now = scheduler.now();
    const grant = this.#state === "connected" ? this.#grant : null;
    const at = nextWakeAt(now, {
      loaded: this.#loaded,
      grant,
      retrying: this.#failures > 0 || this.#unsaved,
      failures: this.#failures,
      validatedAt: this.#validatedAt,
      renewAt: this.#renewAt,
    });
    if (at !== null) {
      this.#timer = scheduler.setTimeout(() => {
        this.#timer = null;
        this.#track(this.#tick());
      }, at - now);
    }
    this.#deps.changed();
  }
}
