/**
 * One device-code sign-in: ask Twitch for a code, then poll `/token` every `interval` seconds
 * (five more after each `slow_down`) until the user approves or declines, the code expires, or the
 * owner cancels. Polls through the `Scheduler`, so tests move time themselves; one timer at most.
 */
import type { Logger } from "@landale/logger";
import type { TwitchDeviceCode, TwitchProblem } from "@landale/shared";
import type { Scheduler } from "../scheduler";
import { problems } from "./auth-rules";
import { type OAuthClient, type TokenAnswer, TwitchOAuthError } from "./oauth";

/** Twitch's rule: after `slow_down`, wait this much longer between polls. */
export const SLOW_DOWN_MS = 5_000;

export const DEVICE_CODE_EXPIRED: TwitchProblem = {
  code: "device_code_expired",
  message: "The sign-in code expired before it was entered at Twitch.",
  action: "Start the sign-in again from the dashboard's Twitch view.",
};

/** Twitch's `invalid device code` while the code still had time: the user pressed Cancel. */
export const DEVICE_CODE_DECLINED: TwitchProblem = {
  code: "device_code_declined",
  message:
    "The sign-in was cancelled on Twitch's activation page, or Twitch no longer accepts its code.",
  action: "Start the sign-in again from the dashboard's Twitch view.",
};

export interface DeviceFlowDeps {
  oauth: OAuthClient;
  scopes: readonly string[];
  scheduler: Scheduler;
  logger: Logger;
  /** The user approved: `token` is Twitch's answer. Resolves once the grant is kept (or refused). */
  granted(flow: DeviceFlow, token: TokenAnswer): Promise<void>;
  /** The flow ended without a grant (expired, refused); not called when cancelled. */
  failed(flow: DeviceFlow, problem: TwitchProblem): void;
}

export class DeviceFlow {
  readonly code: TwitchDeviceCode;
  readonly #deps: DeviceFlowDeps;
  readonly #deviceCode: string;
  readonly #expiresAt: number;
  #intervalMs: number;
  #timer: unknown = null;
  #polling: Promise<void> | null = null;
  #done = false;

  private constructor(
    deps: DeviceFlowDeps,
    deviceCode: string,
    code: TwitchDeviceCode,
    intervalMs: number,
  ) {
    this.#deps = deps;
    this.#deviceCode = deviceCode;
    this.code = code;
    this.#expiresAt = Date.parse(code.expires_at);
    this.#intervalMs = intervalMs;
  }

  /** Asks Twitch for a code and starts polling; throws a `TwitchOAuthError` when Twitch says no. */
  static async start(deps: DeviceFlowDeps): Promise<DeviceFlow> {
    const answer = await deps.oauth.requestDeviceCode(deps.scopes);
    const expiresAt = deps.scheduler.now() + answer.expires_in * 1000;
    const flow = new DeviceFlow(
      deps,
      answer.device_code,
      {
        user_code: answer.user_code,
        verification_uri: answer.verification_uri,
        expires_at: new Date(expiresAt).toISOString(),
      },
      // Twitch's default when an answer leaves it out or sends 0.
      Math.max(answer.interval, 1) * 1000,
    );
    flow.#schedule();
    return flow;
  }

  get active(): boolean {
    return !this.#done;
  }

  /** Stops polling; a poll in flight is let finish and its answer ignored. */
  cancel(): Promise<void> {
    this.#done = true;
    if (this.#timer !== null) this.#deps.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
    return this.#polling ?? Promise.resolve();
  }

  #schedule() {
    const delay = Math.max(
      0,
      Math.min(this.#intervalMs, this.#expiresAt - this.#deps.scheduler.now()),
    );
    this.#timer = this.#deps.scheduler.setTimeout(() => {
      this.#timer = null;
      this.#polling = this.#poll()
        .catch((err) =>
          this.#deps.logger.error({ err: String(err) }, "twitch sign-in: poll failed"),
        )
        .finally(() => {
          this.#polling = null;
        });
    }, delay);
  }

  #end(problem: TwitchProblem) {
    if (this.#done) return;
    this.#done = true;
    this.#deps.failed(this, problem);
  }

  async #poll(): Promise<void> {
    if (this.#done) return;
    if (this.#deps.scheduler.now() >= this.#expiresAt) return this.#end(DEVICE_CODE_EXPIRED);
    try {
      const result = await this.#deps.oauth.pollDeviceCode(this.#deviceCode, this.#deps.scopes);
      if (this.#done) return;
      if (result.status === "granted") {
        this.#done = true;
        return await this.#deps.granted(this, result.token);
      }
      if (result.status === "expired") return this.#end(DEVICE_CODE_EXPIRED);
      if (result.status === "invalid") {
        // Twitch forgets a code once it expires too: only before then is it a refusal.
        const late = this.#deps.scheduler.now() >= this.#expiresAt;
        return this.#end(late ? DEVICE_CODE_EXPIRED : DEVICE_CODE_DECLINED);
      }
      if (result.status === "slow_down") this.#intervalMs += SLOW_DOWN_MS;
    } catch (err) {
      if (this.#done) return;
      if (err instanceof TwitchOAuthError && err.kind === "refused") {
        return this.#end(problems.signInFailed(`Twitch refused it (${err.message})`));
      }
      // Twitch unreachable for a moment: keep polling until the code expires.
      this.#deps.logger.warn({ err: (err as Error).message }, "twitch sign-in: polling failed");
    }
    this.#schedule();
  }
}
