/**
 * Where the Twitch grant lives between starts: the `twitch_grants` row, its tokens sealed with the
 * hub's secret key and bound to the row's id. The plain columns (user, scopes, expiry) are copies
 * for reading without the key; what is loaded comes from the sealed value.
 */
import {
  type Database,
  deleteTwitchGrant,
  loadTwitchGrant,
  MAIN_TWITCH_GRANT,
  saveTwitchGrant,
} from "@landale/db";
import { z } from "zod";
import { open, SealError, seal } from "./sealed";
import type { SecretKey } from "./secret-key";

/** A user's grant, in the clear: only ever in memory. */
export interface TwitchGrant {
  accessToken: string;
  /** Null for a pasted token that came without one: it cannot be renewed. */
  refreshToken: string | null;
  scopes: string[];
  /** Epoch ms; null for a token that does not expire. */
  expiresAt: number | null;
  userId: string;
  login: string;
}

export interface TokenStore {
  load(): Promise<TwitchGrant | null>;
  save(grant: TwitchGrant): Promise<void>;
  delete(): Promise<void>;
}

export class TokenStoreError extends Error {
  constructor(
    readonly code: "secret_key_changed" | "malformed",
    message: string,
  ) {
    super(message);
    this.name = "TokenStoreError";
  }
}

const SealedGrant = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullable(),
  scopes: z.array(z.string()),
  expires_at: z.iso.datetime().nullable(),
  user_id: z.string(),
  login: z.string(),
});

export function createTokenStore(
  database: Database,
  key: SecretKey,
  id = MAIN_TWITCH_GRANT,
): TokenStore {
  const aad = `twitch_grants:${id}`;
  return {
    async load() {
      const row = await loadTwitchGrant(database, id);
      if (row === null) return null;
      let plaintext: string;
      try {
        plaintext = open(key, row.sealed, aad);
      } catch (err) {
        if (!(err instanceof SealError)) throw err;
        throw err.code === "wrong_key"
          ? new TokenStoreError(
              "secret_key_changed",
              "The stored Twitch grant cannot be opened: the hub's secret key changed since it was " +
                "saved (LANDALE_SECRET_KEY, or secret.key in LANDALE_DATA_DIR).",
            )
          : new TokenStoreError("malformed", `The stored Twitch grant is damaged: ${err.message}.`);
      }
      const parsed = SealedGrant.safeParse(JSON.parse(plaintext));
      if (!parsed.success) {
        throw new TokenStoreError("malformed", "The stored Twitch grant is not a grant.");
      }
      const grant = parsed.data;
      return {
        accessToken: grant.access_token,
        refreshToken: grant.refresh_token,
        scopes: grant.scopes,
        expiresAt: grant.expires_at === null ? null : Date.parse(grant.expires_at),
        userId: grant.user_id,
        login: grant.login,
      };
    },

    async save(grant) {
      const expiresAt = grant.expiresAt === null ? null : new Date(grant.expiresAt);
      const sealed = seal(
        key,
        JSON.stringify({
          access_token: grant.accessToken,
          refresh_token: grant.refreshToken,
          scopes: grant.scopes,
          expires_at: expiresAt?.toISOString() ?? null,
          user_id: grant.userId,
          login: grant.login,
        } satisfies z.infer<typeof SealedGrant>),
        aad,
      );
      await saveTwitchGrant(
        database,
        { sealed, userId: grant.userId, login: grant.login, scopes: grant.scopes, expiresAt },
        id,
      );
    },

    async delete() {
      await deleteTwitchGrant(database, id);
    },
  };
}
