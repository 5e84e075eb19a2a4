/**
 * The fake Twitch on its own, for trying the integration by hand without a Twitch account:
 * `bun run fake:twitch` prints the settings to give the hub, then serves until Ctrl+C.
 * Sign in from the dashboard (the activation link opens the fake's approval page), then type
 * `follow <name>` here to send a follow over EventSub, or `reconnect`, `revoke`, `quit`.
 */
import { startFakeTwitch } from "../src/twitch/fake";

const fake = startFakeTwitch({ clientId: "landalefaketwitch", deviceIntervalSeconds: 1 });
process.stdout.write(
  [
    "Fake Twitch is running. Start the hub with:",
    `  TWITCH_CLIENT_ID=landalefaketwitch TWITCH_AUTH_URL=${fake.authUrl} TWITCH_API_URL=${fake.apiUrl} TWITCH_EVENTSUB_WS_URL=${fake.eventSubUrl} bun start`,
    "Commands: follow <name> | reconnect | revoke | quit",
    "",
  ].join("\n"),
);

let follows = 0;
function command(line: string): void {
  const [word, ...rest] = line.trim().split(/\s+/);
  try {
    if (word === "follow") {
      const name = rest[0] ?? `viewer${++follows}`;
      const id = fake.notify("channel.follow", {
        user_id: String(90_000 + name.length * 7 + follows),
        user_login: name.toLowerCase(),
        user_name: name,
        broadcaster_user_id: fake.user.id,
        broadcaster_user_login: fake.user.login,
        broadcaster_user_name: fake.user.display_name,
        followed_at: new Date().toISOString(),
      });
      process.stdout.write(`sent channel.follow ${id}\n`);
    } else if (word === "reconnect") {
      process.stdout.write(`sent session_reconnect → ${fake.reconnect()}\n`);
    } else if (word === "revoke") {
      fake.revokeGrant();
      process.stdout.write("revoked the grant and its subscriptions\n");
    } else if (word === "quit") {
      void fake.stop().then(() => process.exit(0));
    } else if (word !== "") {
      process.stdout.write("commands: follow <name> | reconnect | revoke | quit\n");
    }
  } catch (err) {
    process.stdout.write(`${err instanceof Error ? err.message : String(err)}\n`);
  }
}

for await (const line of console) command(line);
