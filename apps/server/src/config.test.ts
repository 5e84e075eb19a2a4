import { describe, expect, it } from "bun:test";
import { ConfigError, loadConfig } from "./config";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("defaults to a loopback hub on 7175 with no token", () => {
    expect(loadConfig({})).toEqual({
      port: 7175,
      host: "127.0.0.1",
      token: null,
      overlayToken: null,
      allowedOrigins: [],
      allowedHosts: [],
      logLevel: "info",
      databaseUrl: null,
      dataDir: "./data",
      batchWindowMs: 50,
      maxPending: 20_000,
      maxPendingBytes: 16 * 1024 * 1024,
      retentionDays: 90,
      omnibarHiddenScenes: [],
      categoryShows: [],
      twitchEventSubSecret: null,
      twitch: {
        clientId: null,
        clientSecret: null,
        authUrl: "https://id.twitch.tv/oauth2",
        apiUrl: "https://api.twitch.tv/helix",
        eventSubWsUrl: "wss://eventsub.wss.twitch.tv/ws",
      },
      secretKey: null,
      obs: { url: "ws://127.0.0.1:4455", password: null, requestTimeoutMs: 5000 },
      rainwave: { userId: null, apiKey: null, station: 3, apiUrl: "https://rainwave.cc/api4" },
      ironmon: { port: 8080, host: "127.0.0.1", maxConnections: 16 },
      exitWithParent: false,
      workerToken: null,
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8000",
      HOST: "0.0.0.0",
      LANDALE_TOKEN: "a-control-token-of-length",
      LANDALE_OVERLAY_TOKEN: "an-overlay-token-of-length",
      LANDALE_ALLOWED_ORIGINS: "https://a.example, https://b.example,",
      LANDALE_ALLOWED_HOSTS: "MyBox.tailnet.ts.net, 100.64.0.7, [fd7a::7]",
      LOG_LEVEL: "debug",
      DATABASE_URL: "postgres://landale:secret@db:5432/landale",
      LANDALE_DATA_DIR: "/var/lib/landale",
      LANDALE_BATCH_WINDOW_MS: "20",
      LANDALE_MAX_PENDING: "100000",
      LANDALE_MAX_PENDING_BYTES: "33554432",
      LANDALE_RETENTION_DAYS: "30",
      LANDALE_OMNIBAR_HIDDEN_SCENES: "BRB, Starting Soon,,",
      LANDALE_CATEGORY_SHOWS: "13332=ironmon, Chess = talk,",
      LANDALE_EXIT_WITH_PARENT: "1",
      LANDALE_WORKER_TOKEN: "a-worker-token-of-length",
      TWITCH_EVENTSUB_SECRET: "an-eventsub-secret",
      TWITCH_CLIENT_ID: "abcdefghij0123456789klmnopqrst",
      TWITCH_CLIENT_SECRET: "a-client-secret",
      TWITCH_AUTH_URL: "http://127.0.0.1:9000/oauth2/",
      TWITCH_API_URL: "http://127.0.0.1:9000/helix//",
      TWITCH_EVENTSUB_WS_URL: "ws://127.0.0.1:9000/ws",
      LANDALE_SECRET_KEY: "a passphrase of some length",
      OBS_WEBSOCKET_URL: "wss://obs.tailnet.ts.net:4455/",
      OBS_WEBSOCKET_PASSWORD: "an obs password",
      OBS_REQUEST_TIMEOUT_MS: "2500",
      LANDALE_TCP_PORT: "9090",
      LANDALE_TCP_HOST: "0.0.0.0",
      LANDALE_TCP_MAX_CONNECTIONS: "4",
    });
    expect(config).toMatchObject({
      port: 8000,
      host: "0.0.0.0",
      token: "a-control-token-of-length",
      overlayToken: "an-overlay-token-of-length",
      allowedOrigins: ["https://a.example", "https://b.example"],
      allowedHosts: ["mybox.tailnet.ts.net", "100.64.0.7", "fd7a::7"],
      logLevel: "debug",
      databaseUrl: "postgres://landale:secret@db:5432/landale",
      dataDir: "/var/lib/landale",
      batchWindowMs: 20,
      maxPending: 100_000,
      maxPendingBytes: 32 * 1024 * 1024,
      retentionDays: 30,
      omnibarHiddenScenes: ["BRB", "Starting Soon"],
      categoryShows: [
        { category: "13332", show: "ironmon" },
        { category: "Chess", show: "talk" },
      ],
      twitchEventSubSecret: "an-eventsub-secret",
      twitch: {
        clientId: "abcdefghij0123456789klmnopqrst",
        clientSecret: "a-client-secret",
        authUrl: "http://127.0.0.1:9000/oauth2",
        apiUrl: "http://127.0.0.1:9000/helix",
        eventSubWsUrl: "ws://127.0.0.1:9000/ws",
      },
      secretKey: "a passphrase of some length",
      obs: {
        url: "wss://obs.tailnet.ts.net:4455",
        password: "an obs password",
        requestTimeoutMs: 2500,
      },
      ironmon: { port: 9090, host: "0.0.0.0", maxConnections: 4 },
      exitWithParent: true,
      workerToken: "a-worker-token-of-length",
    });
  });

  it("names the variable and the value of a bad setting", () => {
    const [problem] = problems({ PORT: "seventy" });
    expect(problem).toStartWith("PORT:");
    expect(problem).toContain('(got "seventy")');
    expect(problems({ LOG_LEVEL: "loud" })[0]).toStartWith("LOG_LEVEL:");
  });

  it.each(["short", "x".repeat(101)])(
    "refuses a TWITCH_EVENTSUB_SECRET outside Twitch's 10-100 characters, without showing it",
    (secret) => {
      const [problem] = problems({ TWITCH_EVENTSUB_SECRET: secret });
      expect(problem).toStartWith("TWITCH_EVENTSUB_SECRET:");
      expect(problem).not.toContain(secret);
    },
  );

  it.each(["mybox.tailnet.ts.net:7175", "https://mybox.tailnet.ts.net", "*", "*.tailnet.ts.net"])(
    "refuses %p in LANDALE_ALLOWED_HOSTS: names only",
    (entry) => {
      const [problem] = problems({ LANDALE_ALLOWED_HOSTS: `localhost, ${entry}` });
      expect(problem).toStartWith("LANDALE_ALLOWED_HOSTS:");
      expect(problem).toContain(entry.toLowerCase());
    },
  );

  it.each(["13332", "=ironmon", "Chess=", "Chess=poker"])(
    "refuses LANDALE_CATEGORY_SHOWS=%p: not <category>=<show> of a known show",
    (entry) => {
      const [problem] = problems({ LANDALE_CATEGORY_SHOWS: `Chess=talk, ${entry}` });
      expect(problem).toStartWith("LANDALE_CATEGORY_SHOWS");
      expect(problem).toContain(entry);
    },
  );

  it("refuses to bind beyond loopback without a token", () => {
    const [problem] = problems({ HOST: "100.64.0.7" });
    expect(problem).toStartWith("LANDALE_TOKEN:");
    expect(problem).toContain("100.64.0.7");
  });

  it("refuses a database URL that is not Postgres without echoing it", () => {
    const [problem] = problems({ DATABASE_URL: "mysql://root:pw@db/landale" });
    expect(problem).toStartWith("DATABASE_URL:");
    expect(problem).not.toContain("pw@db");
  });

  it("refuses a short token without echoing it", () => {
    const [problem] = problems({ LANDALE_TOKEN: "hunter2" });
    expect(problem).toStartWith("LANDALE_TOKEN:");
    expect(problem).not.toContain("hunter2");
  });

  it.each([
    ["TWITCH_AUTH_URL", "ftp://id.twitch.tv/oauth2"],
    ["TWITCH_AUTH_URL", "id.twitch.tv/oauth2"],
    ["TWITCH_API_URL", "wss://api.twitch.tv/helix"],
    ["TWITCH_API_URL", "https://api.twitch.tv/helix?x=1"],
    ["TWITCH_EVENTSUB_WS_URL", "https://eventsub.wss.twitch.tv/ws"],
    ["OBS_WEBSOCKET_URL", "http://127.0.0.1:4455"],
    ["OBS_WEBSOCKET_URL", "127.0.0.1:4455"],
  ])("refuses %s=%p: the wrong kind of URL", (name, value) => {
    const [problem] = problems({ [name]: value });
    expect(problem).toStartWith(`${name}:`);
    expect(problem).toContain(`(got "${value}")`);
  });

  it.each(["0", "99", "120001", "soon"])("refuses OBS_REQUEST_TIMEOUT_MS=%p", (value) => {
    const [problem] = problems({ OBS_REQUEST_TIMEOUT_MS: value });
    expect(problem).toStartWith("OBS_REQUEST_TIMEOUT_MS:");
  });

  it("never echoes OBS_WEBSOCKET_PASSWORD, whatever else is wrong", () => {
    const all = problems({
      OBS_WEBSOCKET_PASSWORD: "the-obs-password-value",
      OBS_WEBSOCKET_URL: "nope",
    }).join("\n");
    expect(all).toContain("OBS_WEBSOCKET_URL:");
    expect(all).not.toContain("the-obs-password-value");
  });

  it("refuses a client secret without a client id, without echoing the secret", () => {
    const [problem] = problems({ TWITCH_CLIENT_SECRET: "a-client-secret-value" });
    expect(problem).toStartWith("TWITCH_CLIENT_ID:");
    expect(problem).not.toContain("a-client-secret-value");
  });

  it("refuses a client id that is not one", () => {
    const [problem] = problems({ TWITCH_CLIENT_ID: "not a client id" });
    expect(problem).toStartWith("TWITCH_CLIENT_ID:");
  });

  it("refuses a short LANDALE_SECRET_KEY without echoing it", () => {
    const [problem] = problems({ LANDALE_SECRET_KEY: "short-key-1" });
    expect(problem).toStartWith("LANDALE_SECRET_KEY:");
    expect(problem).not.toContain("short-key-1");
  });

  it("never echoes TWITCH_CLIENT_SECRET or LANDALE_SECRET_KEY, whatever else is wrong", () => {
    const all = problems({
      PORT: "seventy",
      TWITCH_CLIENT_ID: "abcdefghij0123456789klmnopqrst",
      TWITCH_CLIENT_SECRET: "the-client-secret-value",
      LANDALE_SECRET_KEY: "the-secret-key-passphrase",
      TWITCH_AUTH_URL: "nope",
    }).join("\n");
    expect(all).toContain("PORT:");
    expect(all).toContain("TWITCH_AUTH_URL:");
    expect(all).not.toContain("the-client-secret-value");
    expect(all).not.toContain("the-secret-key-passphrase");
  });

  it("refuses a short worker token, or one that is another scope's, without echoing it", () => {
    const [short] = problems({ LANDALE_WORKER_TOKEN: "worker-7" });
    expect(short).toStartWith("LANDALE_WORKER_TOKEN:");
    expect(short).not.toContain("worker-7");
    const shared = "the-same-token-for-both";
    const [same] = problems({ LANDALE_TOKEN: shared, LANDALE_WORKER_TOKEN: shared });
    expect(same).toStartWith("LANDALE_WORKER_TOKEN:");
    expect(same).not.toContain(shared);
    const [overlay] = problems({ LANDALE_OVERLAY_TOKEN: shared, LANDALE_WORKER_TOKEN: shared });
    expect(overlay).toStartWith("LANDALE_WORKER_TOKEN:");
  });
});
