import { describe, expect, test } from "bun:test";
import { parseFrame } from "./eventsub-messages";

// Twitch's documented examples (dev.twitch.tv, "Handling WebSocket Events").
const WELCOME = `{"metadata":{"message_id":"96a3f3b5-5dec-4eed-908e-e11ee657416c","message_type":"session_welcome","message_timestamp":"2023-07-19T14:56:51.634234626Z"},"payload":{"session":{"id":"AQoQILE98gtqShGmLD7AM6yJThAB","status":"connected","connected_at":"2023-07-19T14:56:51.616329898Z","keepalive_timeout_seconds":10,"reconnect_url":null,"recovery_url":null}}}`;
const KEEPALIVE = `{"metadata":{"message_id":"84c1e79a-2a4b-4c13-ba0b-4312293e9308","message_type":"session_keepalive","message_timestamp":"2023-07-19T10:11:12.634234626Z"},"payload":{}}`;
const RECONNECT = `{"metadata":{"message_id":"84c1e79a-2a4b-4c13-ba0b-4312293e9308","message_type":"session_reconnect","message_timestamp":"2022-11-18T09:10:11.634234626Z"},"payload":{"session":{"id":"AQoQexAWVYKSTIu4ec_2VAxyuhAB","status":"reconnecting","keepalive_timeout_seconds":null,"reconnect_url":"wss://eventsub.wss.twitch.tv?...","connected_at":"2022-11-16T10:11:12.634234626Z"}}}`;
const NOTIFICATION = `{"metadata":{"message_id":"befa7b53-d79d-478f-86b9-120f112b044e","message_type":"notification","message_timestamp":"2022-11-16T10:11:12.464757833Z","subscription_type":"channel.follow","subscription_version":"1"},"payload":{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"enabled","type":"channel.follow","version":"1","cost":1,"condition":{"broadcaster_user_id":"12826"},"transport":{"method":"websocket","session_id":"AQoQexAWVYKSTIu4ec_2VAxyuhAB"},"created_at":"2022-11-16T10:11:12.464757833Z"},"event":{"user_id":"1337","user_login":"awesome_user","user_name":"Awesome_User","broadcaster_user_id":"12826","broadcaster_user_login":"twitch","broadcaster_user_name":"Twitch","followed_at":"2023-07-15T18:16:11.17106713Z"}}}`;
const REVOCATION = `{"metadata":{"message_id":"84c1e79a-2a4b-4c13-ba0b-4312293e9308","message_type":"revocation","message_timestamp":"2022-11-16T10:11:12.464757833Z","subscription_type":"channel.follow","subscription_version":"1"},"payload":{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"authorization_revoked","type":"channel.follow","version":"1","cost":1,"condition":{"broadcaster_user_id":"12826"},"transport":{"method":"websocket","session_id":"AQoQexAWVYKSTIu4ec_2VAxyuhAB"},"created_at":"2022-11-16T10:11:12.464757833Z"}}}`;

describe("EventSub WebSocket messages", () => {
  test("parses Twitch's documented examples", () => {
    expect(parseFrame(WELCOME)).toMatchObject({
      ok: true,
      message: {
        kind: "welcome",
        messageId: "96a3f3b5-5dec-4eed-908e-e11ee657416c",
        session: { id: "AQoQILE98gtqShGmLD7AM6yJThAB", keepalive_timeout_seconds: 10 },
      },
    });
    expect(parseFrame(KEEPALIVE)).toMatchObject({ ok: true, message: { kind: "keepalive" } });
    expect(parseFrame(RECONNECT)).toMatchObject({
      ok: true,
      message: {
        kind: "reconnect",
        session: { reconnect_url: "wss://eventsub.wss.twitch.tv?..." },
      },
    });
    expect(parseFrame(NOTIFICATION)).toMatchObject({
      ok: true,
      message: {
        kind: "notification",
        timestamp: "2022-11-16T10:11:12.464757833Z",
        subscription: { id: "f1c2a387-161a-49f9-a165-0f21d7a4e1c4", type: "channel.follow" },
        event: { user_login: "awesome_user" },
      },
    });
    expect(parseFrame(REVOCATION)).toMatchObject({
      ok: true,
      message: { kind: "revocation", subscription: { status: "authorization_revoked" } },
    });
  });

  test("reads a frame that arrives as bytes", () => {
    expect(parseFrame(new TextEncoder().encode(KEEPALIVE))).toMatchObject({ ok: true });
  });

  test("a type it does not know is well-formed but other", () => {
    const frame = KEEPALIVE.replace("session_keepalive", "session_recovery");
    expect(parseFrame(frame)).toMatchObject({
      ok: true,
      message: { kind: "other", type: "session_recovery" },
    });
  });

  test("refuses what does not match, saying where", () => {
    expect(parseFrame("{")).toEqual({ ok: false, error: "not JSON" });
    const noEvent = NOTIFICATION.replace(/,"event":\{[^}]*\}/, "");
    expect(parseFrame(noEvent)).toMatchObject({
      ok: false,
      error: expect.stringContaining("notification"),
    });
    const welcomeWithoutKeepalive = WELCOME.replace(
      '"keepalive_timeout_seconds":10',
      '"keepalive_timeout_seconds":null',
    );
    expect(parseFrame(welcomeWithoutKeepalive)).toMatchObject({ ok: false });
    const badId = KEEPALIVE.replace("84c1e79a-2a4b-4c13-ba0b-4312293e9308", "has spaces in it");
    expect(parseFrame(badId)).toMatchObject({ ok: false, error: expect.stringContaining("frame") });
  });
});
