/**
 * A process of its own for the test "closes with a push unanswered…": a server that never answers
 * one push, a client that sends it and closes once the server has it, then both stopped. It
 * prints how the push ended; with nothing left running it then exits by itself, and a timer the
 * client left behind would keep it alive until the push timed out (five minutes).
 */
import { createChannelServer, createRouter, ok } from "@landale/channels";
import type { Topic } from "@landale/shared";
import { z } from "zod";
import { createClient, PushError } from "../src";

const FEED = {
  name: "feed",
  pushes: { item: z.object({ n: z.number() }) },
  commands: ["x"],
} as const satisfies Topic;

let received: () => void = () => {};
const arrived = new Promise<void>((resolve) => {
  received = resolve;
});
const channels = createChannelServer({
  router: createRouter().channel(FEED.name, {
    join: () => ok({}),
    handleIn: () => {
      received();
      return undefined;
    },
  }),
});
const server = Bun.serve({
  port: 0,
  fetch: (req, srv) => channels.upgrade(req, srv),
  websocket: channels.websocket,
});

const client = createClient({
  url: `ws://127.0.0.1:${server.port}/socket`,
  pushTimeoutMs: 300_000,
  logger: { warn: () => {} },
});
const pushed = client.push(FEED, "x").then(
  () => "answered",
  (err: unknown) => (err instanceof PushError ? err.reason : String(err)),
);
await arrived;
client.close();
const outcome = await pushed;
channels.close();
server.stop(true);
process.stdout.write(`${outcome}\n`);
