/**
 * REST mirror of the stream commands, for scripts and stream decks: the state, the takeover, and
 * the queue. Each answers `{version}` or the error body with the status the engine gave.
 */
import { QUEUE_COMMANDS, type QueueCommandName } from "@landale/shared";
import { Hono } from "hono";
import { AppError } from "../errors";
import { outcomeError, parseCommand } from "../stream/commands";
import type { StreamEngine } from "../stream/engine";
import { jsonBody } from "./body";

export function streamRoutes(engine: StreamEngine): Hono {
  const routes = new Hono();

  const run = async (name: Parameters<typeof parseCommand>[0], payload: unknown) => {
    const outcome = await engine.command(parseCommand(name, payload));
    if (!outcome.ok) throw outcomeError(outcome);
    return { version: outcome.version };
  };

  routes.get("/state", (c) => c.json(engine.streamState()));
  routes.get("/queue", (c) => c.json(engine.queueState()));
  routes.post("/takeover", async (c) =>
    c.json(await run("takeover", await jsonBody(c.req.raw, {}))),
  );
  routes.delete("/takeover", async (c) => c.json(await run("takeover_clear", {})));
  routes.post("/force", async (c) =>
    c.json(await run("force_content", await jsonBody(c.req.raw, {}))),
  );
  routes.post("/queue/:command", async (c) => {
    const command = c.req.param("command");
    if (!(QUEUE_COMMANDS as readonly string[]).includes(command)) {
      throw new AppError(
        404,
        "not_found",
        `no queue command "${command}"; try ${QUEUE_COMMANDS.join(", ")}`,
      );
    }
    return c.json(await run(command as QueueCommandName, await jsonBody(c.req.raw, {})));
  });
  return routes;
}
