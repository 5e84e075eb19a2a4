/**
 * Ingest: untrusted input in, acknowledged events out. Input is validated against the catalogue
 * (all or nothing), normalised into the envelope (id, source, ts, correlation id, acting user) and
 * submitted to the batcher; the answer comes after the commit. Every refusal is an `AppError`.
 */

import { type Logger, withCorrelation } from "@landale/logger";
import {
  type EventSource,
  isCritical,
  type ParsedEventInput,
  parseEventInputs,
  userOf,
} from "@landale/shared";
import { AppError, invalidInput } from "../errors";
import type { Batcher, PendingEvent } from "./batcher";
import { BackpressureError, StoppedError, StoreRefusedError } from "./refusals";
import { SpoolDiskFullError, SpoolFullError } from "./spool";

export interface IngestContext {
  /** The ingest path's source, unless the event names its own. */
  source: EventSource;
  correlationId: string;
}

export interface Accepted {
  id: string;
  seq: number;
}

/**
 * Validates and submits before it returns (so the caller may count the events as pending from
 * then on); the promise settles once they are committed, or refused.
 */
export type Ingest = (raw: unknown, context: IngestContext) => Promise<Accepted[]>;

export function createIngest(
  batcher: Batcher,
  logger: Logger,
  now: () => Date = () => new Date(),
): Ingest {
  return async (raw, context) => {
    const parsed = parseEventInputs(raw);
    if (!parsed.ok) throw invalidInput(422, "invalid_event", parsed.issues);
    const receivedAt = now().toISOString();
    const pending = parsed.value.map((input, i) =>
      toPending(input, parsed.sizes[i] ?? 0, parsed.dataJson[i], context, receivedAt),
    );
    try {
      const stored = await batcher.submit(pending);
      return stored.map(({ id, seq }) => ({ id, seq }));
    } catch (err) {
      const answer = refusal(err);
      // Refusals of the request's own making (bad input, back-pressure) are the producer's to
      // read; a store that refused or failed is the operator's, traced by correlation id.
      if (answer.status === 500 || answer.code === "store_refused") {
        withCorrelation(logger, context.correlationId).warn(
          { err, code: answer.code, events: pending.length },
          "events refused by the store",
        );
      }
      throw answer;
    }
  };
}

function toPending(
  input: ParsedEventInput,
  bytes: number,
  dataJson: string | undefined,
  context: IngestContext,
  receivedAt: string,
): PendingEvent {
  const user = userOf(input.type, input.data);
  return {
    id: input.id ?? Bun.randomUUIDv7(),
    type: input.type,
    source: input.source ?? context.source,
    ts: input.ts ?? receivedAt,
    receivedAt,
    correlationId: input.correlation_id ?? context.correlationId,
    userId: user?.user_id ?? null,
    userLogin: user?.user_login ?? null,
    data: input.data,
    dataJson,
    critical: isCritical(input.type),
    bytes,
    madeId: input.id === undefined,
  };
}

function refusal(err: unknown): AppError {
  if (err instanceof BackpressureError || err instanceof SpoolFullError) {
    return new AppError(503, "backpressure", err.message);
  }
  if (err instanceof StoppedError) return new AppError(503, "shutting_down", err.message);
  if (err instanceof SpoolDiskFullError) return new AppError(503, "storage_full", err.message);
  // Only the submission the database refused hears of it; the others in its window were stored.
  if (err instanceof StoreRefusedError) {
    return new AppError(
      422,
      "store_refused",
      `the database refused these events; nothing of them was stored (${err.reason})`,
      { reason: err.reason },
    );
  }
  return new AppError(500, "store_failed", "the events could not be stored; nothing was accepted");
}
