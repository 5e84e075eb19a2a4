import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type Database } from "@landale/db";
import { type PostgresBehindProxy, postgresBehindProxy } from "@landale/testkit";
import { SCOPES, setUpAuth, testKey, until } from "../../test/support/twitch-auth";
import { RETRY_FIRST_MS } from "./auth-rules";
import { createTokenStore } from "./token-store";

// An outage is a cut proxy in front of Postgres (PGlite has no network to lose).
describe.if(Boolean(process.env.TEST_DATABASE_URL))("Twitch sign-in while Postgres is away", () => {
  let behind: PostgresBehindProxy | null = null;
  let database: Database | null = null;
  let dataDir: string | null = null;
  afterEach(async () => {
    await behind?.proxy.restore();
    await database?.close();
    await behind?.proxy.stop();
    await behind?.test.dispose();
    if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
    behind = database = dataDir = null;
  });

  it("keeps a renewed grant in memory while the database is away, and stores it once back", async () => {
    behind = await postgresBehindProxy();
    dataDir = mkdtempSync(join(tmpdir(), "landale-twitch-"));
    database = await connect({ url: behind.url, dataDir, maxConnections: 2 });
    const { start, fake, clock } = await setUpAuth(database);
    const auth = await start();
    const minted = fake.issueToken({ scopes: [...SCOPES], expiresIn: 3600 });
    await auth.acceptToken({
      access_token: minted.access_token,
      refresh_token: minted.refresh_token,
    });

    await behind.proxy.cut();
    await clock.advance(55 * 60_000);
    const away = await until(auth, (s) => s.problem?.code === "store_unavailable");
    expect(away.state).toBe("connected");
    const renewed = await auth.accessToken();
    expect(renewed).not.toBe(minted.access_token);

    await behind.proxy.restore();
    await clock.advance(RETRY_FIRST_MS);
    await until(auth, (s) => s.problem === null);
    const stored = await createTokenStore(behind.test.database, testKey()).load();
    expect(stored?.accessToken).toBe(renewed);
  });
});
