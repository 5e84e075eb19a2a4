/**
 * `/api/ironmon/*` (control scope): the REST mirror of the `ironmon:*` queries on `dashboard:main`
 * — the TCP ingest's status, challenges, a challenge's checkpoints and their clear rates, recent
 * results and the active run. Answers are the shapes in `@landale/shared` (`api/ironmon.ts`).
 */
import { IronmonChallengeQuery, IronmonResultsQuery } from "@landale/shared";
import { Hono } from "hono";
import { z } from "zod";
import type { IronmonService } from "../ironmon/service";
import { parseQuery } from "./activity";

const ChallengeId = z.strictObject({ id: z.coerce.number().pipe(z.int().positive()) });

export function ironmonRoutes(ironmon: IronmonService): Hono {
  return (
    new Hono()
      .get("/status", (c) => c.json(ironmon.status()))
      .get("/challenges", async (c) => c.json(await ironmon.challenges()))
      .get("/challenges/:id/checkpoints", async (c) => {
        const { id } = parseQuery(ChallengeId, c.req.param());
        return c.json(await ironmon.checkpoints(id));
      })
      .get("/challenges/:id/stats", async (c) => {
        const { id } = parseQuery(ChallengeId, c.req.param());
        return c.json(await ironmon.checkpointStats(id));
      })
      // The first challenge's, or `?challenge_id=`'s.
      .get("/checkpoints", async (c) => {
        const query = parseQuery(IronmonChallengeQuery, c.req.query());
        return c.json(await ironmon.checkpoints(query.challenge_id));
      })
      .get("/checkpoints/stats", async (c) => {
        const query = parseQuery(IronmonChallengeQuery, c.req.query());
        return c.json(await ironmon.checkpointStats(query.challenge_id));
      })
      .get("/results/recent", async (c) => {
        const query = parseQuery(IronmonResultsQuery, c.req.query());
        return c.json(await ironmon.recentResults(query.limit));
      })
      .get("/runs/active", async (c) => c.json(await ironmon.activeRun()))
  );
}
