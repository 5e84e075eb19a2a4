/** The fake OBS's bounded log of the requests it received, for a test's assertions. */
import type { RequestMessage } from "./messages";

/** Requests kept; the oldest beyond this are dropped. */
const REQUESTS_KEPT = 1_000;

export interface FakeObsRequest {
  /** The `id` of the client (see `clients()`) that sent it. */
  clientId: string;
  requestType: string;
  requestId: unknown;
  requestData: unknown;
  /** The batch's `requestId` when it came in a RequestBatch. */
  batchRequestId?: unknown;
  /** Epoch milliseconds when it arrived. */
  at: number;
  /** The `requestStatus.code` answered; null when not answered (held by `hang`, or after a halted batch failed). */
  code: number | null;
}

export interface RequestLog {
  add(clientId: string, request: RequestMessage, batchRequestId?: unknown): FakeObsRequest;
  entries(): FakeObsRequest[];
  dropped(): number;
}

export function createRequestLog(now: () => number): RequestLog {
  const kept: FakeObsRequest[] = [];
  let dropped = 0;
  return {
    add(clientId, request, batchRequestId) {
      const entry: FakeObsRequest = {
        clientId,
        requestType: request.requestType,
        requestId: request.requestId,
        requestData: structuredClone(request.requestData),
        at: now(),
        code: null,
      };
      if (batchRequestId !== undefined) entry.batchRequestId = batchRequestId;
      kept.push(entry);
      if (kept.length > REQUESTS_KEPT)
        dropped += kept.splice(0, kept.length - REQUESTS_KEPT).length;
      return entry;
    },
    entries: () => kept.map((entry) => structuredClone(entry)),
    dropped: () => dropped,
  };
}
