import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { openTestDatabase, type TestDatabase, testEngines } from "@landale/db/testing";
import { sql } from "drizzle-orm";
import { SecretKey } from "./secret-key";
import { createTokenStore, TokenStoreError, type TwitchGrant } from "./token-store";

const key = (fill: number) => new SecretKey(new Uint8Array(32).fill(fill), "configured");

const grant: TwitchGrant = {
  accessToken: "plain-access-token-4f1c9e",
  refreshToken: "plain-refresh-token-77ab20",
  scopes: ["channel:manage:broadcast", "moderator:read:followers"],
  expiresAt: Date.parse("2026-11-21T16:00:00.000Z"),
  userId: "141981764",
  login: "twitchdev",
};

describe.each(testEngines())("the Twitch token store on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());

  it("gives back what it saved, and nothing once deleted", async () => {
    const store = createTokenStore(test.database, key(1));
    expect(await store.load()).toBeNull();
    await store.save(grant);
    expect(await store.load()).toEqual(grant);
    await store.save({ ...grant, refreshToken: null, expiresAt: null });
    expect(await store.load()).toEqual({ ...grant, refreshToken: null, expiresAt: null });
    await store.delete();
    expect(await store.load()).toBeNull();
  });

  it("keeps no token in the clear in any column", async () => {
    await createTokenStore(test.database, key(1)).save(grant);
    const rows = await test.database.rows<{ row: string }>(
      sql`SELECT t::text AS row FROM twitch_grants t`,
    );
    expect(rows).toHaveLength(1);
    const row = rows[0]?.row ?? "";
    expect(row).toContain("twitchdev");
    expect(row).toContain("moderator:read:followers");
    expect(row).not.toContain(grant.accessToken);
    expect(row).not.toContain(grant.refreshToken as string);
    expect(row).not.toContain("plain-");
  });

  it("says the key changed when the key is not the one it was sealed with", async () => {
    await createTokenStore(test.database, key(1)).save(grant);
    const load = createTokenStore(test.database, key(2)).load();
    await expect(load).rejects.toBeInstanceOf(TokenStoreError);
    await expect(load).rejects.toMatchObject({ code: "secret_key_changed" });
    await expect(load).rejects.toThrow("the hub's secret key changed since it was saved");
  });

  it("does not open a grant copied to another row", async () => {
    await createTokenStore(test.database, key(1)).save(grant);
    await test.database.rows(
      sql`INSERT INTO twitch_grants SELECT 'bot', sealed, user_id, login, scopes, expires_at, updated_at FROM twitch_grants WHERE id = 'main'`,
    );
    await expect(createTokenStore(test.database, key(1), "bot").load()).rejects.toMatchObject({
      code: "secret_key_changed",
    });
  });
});
