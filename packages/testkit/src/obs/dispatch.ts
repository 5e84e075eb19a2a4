/**
 * Runs the requests and batches that passed the message checks, as obs-websocket's request
 * handler and batch handler do: each answered with `requestStatus` (207 NotReady once OBS is
 * quitting), a batch halting at its first failure when asked. While the fake "hangs" they wait,
 * bounded; the events a request causes go out after its response.
 */
import type { BatchMessage, RequestMessage } from "./messages";
import {
  OBS_BATCH_EXECUTION,
  OBS_OP,
  OBS_STATUS,
  type ObsEncoding,
  type ObsRequestResult,
} from "./protocol";
import { createRequestLog, type FakeObsRequest } from "./request-log";

/** Requests held while hung; past this the newest are dropped (and never answered). */
const HELD_KEPT = 1_000;

export interface FakeObsClient {
  id: string;
  remoteAddress: string;
  encoding: ObsEncoding;
  rpcVersion: number;
  eventSubscriptions: number;
  /** Epoch milliseconds. */
  connectedAt: number;
  incomingMessages: number;
  outgoingMessages: number;
}

export type RequestRunner = (
  client: FakeObsClient,
  requestType: string,
  requestData: unknown,
) => ObsRequestResult;

interface Client extends FakeObsClient {
  closing: boolean;
}

type Work<S extends Client> =
  | { kind: "request"; session: S; entry: FakeObsRequest; requestData: unknown }
  | { kind: "batch"; session: S; batch: BatchMessage; entries: FakeObsRequest[] };

export function createDispatcher<S extends Client>(options: {
  run: RequestRunner;
  send: (session: S, message: object) => void;
  now: () => number;
}) {
  const log = createRequestLog(options.now);
  const held: Work<S>[] = [];
  let dropped = 0;
  let hanging = false;
  let ready = true;
  /** While a request runs, its events wait here so that its response goes out first, as OBS does. */
  let heldEvents: Array<() => void> | null = null;

  const answer = (session: S, entry: FakeObsRequest, requestData: unknown) => {
    const result = ready
      ? options.run(session, entry.requestType, requestData)
      : { code: OBS_STATUS.NotReady, comment: "OBS is not ready to perform the request." };
    entry.code = result.code;
    const body: Record<string, unknown> = { requestType: entry.requestType };
    if (entry.requestId !== undefined && entry.requestId !== null) body.requestId = entry.requestId;
    body.requestStatus = {
      result: result.code === OBS_STATUS.Success,
      code: result.code,
      ...(result.comment ? { comment: result.comment } : {}),
    };
    if (result.responseData) body.responseData = result.responseData;
    return { body, failed: result.code !== OBS_STATUS.Success };
  };

  const perform = (work: Work<S>) => {
    if (work.session.closing) return;
    heldEvents = [];
    try {
      if (work.kind === "request") {
        const { body } = answer(work.session, work.entry, work.requestData);
        options.send(work.session, { op: OBS_OP.RequestResponse, d: body });
        return;
      }
      const { batch, session, entries } = work;
      // obs-websocket ignores haltOnFailure for a Parallel batch.
      const halt = batch.haltOnFailure && batch.executionType !== OBS_BATCH_EXECUTION.Parallel;
      const results: Record<string, unknown>[] = [];
      for (const [index, request] of batch.requests.entries()) {
        const { body, failed } = answer(session, entries[index]!, request.requestData);
        results.push(body);
        if (halt && failed) break;
      }
      options.send(session, {
        op: OBS_OP.RequestBatchResponse,
        d: { requestId: batch.requestId, results },
      });
    } finally {
      const events = heldEvents;
      heldEvents = null;
      for (const deliver of events) deliver();
    }
  };

  const submit = (work: Work<S>) => {
    if (!hanging) return perform(work);
    if (held.length >= HELD_KEPT) dropped += 1;
    else held.push(work);
  };

  return {
    request(session: S, request: RequestMessage) {
      const entry = log.add(session.id, request);
      submit({ kind: "request", session, entry, requestData: request.requestData });
    },
    batch(session: S, batch: BatchMessage) {
      const entries = batch.requests.map((request) =>
        log.add(session.id, request, batch.requestId),
      );
      submit({ kind: "batch", session, batch, entries });
    },
    /** Delivers an event now, or after the response of the request being answered. */
    event(deliver: () => void) {
      if (!ready) return;
      if (heldEvents) heldEvents.push(deliver);
      else deliver();
    },
    requests: () => log.entries(),
    hang(hang: boolean) {
      hanging = hang;
      if (!hang) for (const work of held.splice(0)) perform(work);
    },
    held: () => ({ waiting: held.length, dropped }),
    /** False from ExitStarted on: requests answer 207 NotReady and no event is sent. */
    setReady(value: boolean) {
      ready = value;
    },
    /** OBS is gone: what was held is never answered, and the next OBS does not hang. */
    reset() {
      held.length = 0;
      hanging = false;
    },
  };
}
