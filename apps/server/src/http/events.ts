/**
 * `POST /api/events`: one event or an array, all or nothing. Answers 202 `{accepted: [{id, seq}]}`
 * once the events are committed; `x-correlation-id` is carried along. Before the body is read, a
 * request past the bound in number or, by its declared size, past the byte budget it shares with
 * the pending events is answered 503 `backpressure`. (Bodies over 1 MB are refused for all of
 * `/api` in `app.ts`.) Once read, the body is parsed in one turn of the event loop and validated
 * in the next (`Turns`), so sockets are served between the bodies that arrived together.
 */
import { CorrelationId } from "@landale/shared";
import { Hono } from "hono";
import type { ByteAdmission } from "../events/admission";
import type { Ingest } from "../events/ingest";
import type { Turns } from "../events/turns";
import { parseJson } from "./body";
import {
  declaredBytes,
  type InFlightLimit,
  limitInFlight,
  OVER_BUDGET_MESSAGE,
  refuseUnread,
} from "./in-flight";

/** Requests being read, validated or waiting for their commit, at most. */
export const MAX_INGEST_REQUESTS = 256;

export interface EventRoutesOptions {
  /** The byte budget shared with the pending events. */
  admission: ByteAdmission;
  /** Where parsing and validating a body wait for their turns of the event loop. */
  turns: Turns;
  maxInFlight?: number;
}

export function eventRoutes(
  ingest: Ingest,
  { admission, turns, maxInFlight = MAX_INGEST_REQUESTS }: EventRoutesOptions,
): Hono & Pick<InFlightLimit, "refused"> {
  const limit = limitInFlight(maxInFlight, "ingest requests");
  const routes = new Hono().post("/", limit, async (c) => {
    const reservation = admission.reserve(declaredBytes(c.req.header("content-length")));
    if (reservation === null) return refuseUnread(c, OVER_BUDGET_MESSAGE);
    try {
      const text = await c.req.raw.text();
      await turns.take();
      const body = parseJson(text);
      await turns.take();
      const correlationId = correlationIdOf(c.req.header("x-correlation-id"));
      const answer = ingest(body, { source: "api", correlationId });
      // Validated and pending (or refused) by now: from here their bytes count as pending.
      reservation.release();
      return c.json({ accepted: await answer }, 202);
    } finally {
      reservation.release();
    }
  });
  return Object.assign(routes, { refused: limit.refused });
}

/** The caller's correlation id when it is a valid one, else a new one. */
export function correlationIdOf(header: string | undefined): string {
  return header !== undefined && CorrelationId.safeParse(header).success
    ? header
    : Bun.randomUUIDv7();
}
