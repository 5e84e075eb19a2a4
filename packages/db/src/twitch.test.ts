import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { openTestDatabase, type TestDatabase, testEngines } from "./testing";
import { deleteTwitchGrant, loadTwitchGrant, saveTwitchGrant } from "./twitch";

describe.each(testEngines())("twitch grants on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());

  const grant = (login: string, expiresAt: Date | null) => ({
    sealed: `v1.sealed-for-${login}`,
    userId: "141981764",
    login,
    scopes: ["channel:read:subscriptions", "moderator:read:followers"],
    expiresAt,
  });

  it("has no grant until one is saved", async () => {
    expect(await loadTwitchGrant(test.database)).toBeNull();
    expect(await deleteTwitchGrant(test.database)).toBe(false);
  });

  it("saves a grant, replaces it whole, and deletes it", async () => {
    const expiresAt = new Date("2026-11-21T16:00:00.000Z");
    const savedAt = new Date("2026-11-21T12:00:00.000Z");
    await saveTwitchGrant(test.database, grant("twitchdev", expiresAt), undefined, savedAt);
    expect(await loadTwitchGrant(test.database)).toEqual({
      ...grant("twitchdev", expiresAt),
      updatedAt: savedAt,
    });

    await saveTwitchGrant(test.database, { ...grant("renamed", null), scopes: [] });
    const replaced = await loadTwitchGrant(test.database);
    expect(replaced).toMatchObject({ login: "renamed", scopes: [], expiresAt: null });
    expect(replaced?.updatedAt.getTime()).toBeGreaterThan(savedAt.getTime());

    expect(await deleteTwitchGrant(test.database)).toBe(true);
    expect(await loadTwitchGrant(test.database)).toBeNull();
  });

  it("keeps grants of different ids apart", async () => {
    await saveTwitchGrant(test.database, grant("main-user", null));
    await saveTwitchGrant(test.database, grant("bot-user", null), "bot");
    expect((await loadTwitchGrant(test.database))?.login).toBe("main-user");
    expect((await loadTwitchGrant(test.database, "bot"))?.login).toBe("bot-user");
    await deleteTwitchGrant(test.database, "bot");
    expect((await loadTwitchGrant(test.database))?.login).toBe("main-user");
  });
});
