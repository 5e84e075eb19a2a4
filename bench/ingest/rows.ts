/**
 * The rows the hub stores for the bench's ordinary events, built the way the hub normalises them
 * (`apps/server/src/events/ingest.ts` `toPending`: a UUIDv7 id, the source, `ts` = `received_at`
 * when the event names none, the request's correlation id, the acting user by `userOf`), as text
 * COPY lines and as the JSON array `json_to_recordset` reads — for the ceiling, which writes them
 * without the hub.
 */
import { userOf } from "@landale/shared";
import { ordinaryEvent, wallClock } from "./payloads";

/** The columns of `events`, in the order both formats carry them. */
export const EVENT_COLUMNS =
  "id, seq, type, source, ts, received_at, correlation_id, user_id, user_login, data";
/** The same columns typed for `json_to_recordset`, as the hub's window insert declares them. */
export const RECORDSET_TYPES =
  "id text, seq bigint, type text, source text, ts timestamptz, received_at timestamptz, " +
  "correlation_id text, user_id text, user_login text, data jsonb";
/** Distinct events the windows cycle through (one window's worth, so a window repeats none). */
const TEMPLATES = 1_000;
/** COPY's text format: a backslash is an escape, `\N` is NULL; JSON has no raw tab or newline. */
const COPY_NULL = "\\N";

interface Template {
  type: string;
  source: string;
  userId: string | null;
  userLogin: string | null;
  /** `data` as JSON, and escaped for COPY's text format. */
  json: string;
  copy: string;
}

export interface RowWindow {
  rows: number;
  /** One line per row, tab-separated, for `COPY events (…) FROM STDIN` (or PGlite's `/dev/blob`). */
  copyText: string;
  /** A JSON array of row objects keyed by column, for `json_to_recordset`. */
  json: string;
}

/** Windows of fresh rows: new ids, the next seqs, stamped now; the events cycle through TEMPLATES. */
export class RowSource {
  readonly #templates: Template[];
  #nextSeq = 1;
  #nextTemplate = 0;

  constructor() {
    const sentAt = wallClock();
    this.#templates = Array.from({ length: TEMPLATES }, (_, n) => templateOf(n, sentAt));
  }

  /** Seqs handed out so far. */
  get rows(): number {
    return this.#nextSeq - 1;
  }

  window(size: number, format: "copy" | "json"): RowWindow {
    const receivedAt = new Date().toISOString();
    const correlationId = crypto.randomUUID();
    const parts: string[] = new Array(size);
    for (let i = 0; i < size; i++) {
      const template = this.#templates[this.#nextTemplate]!;
      this.#nextTemplate = (this.#nextTemplate + 1) % TEMPLATES;
      const id = Bun.randomUUIDv7();
      const seq = this.#nextSeq++;
      parts[i] =
        format === "copy"
          ? `${id}\t${seq}\t${template.type}\t${template.source}\t${receivedAt}\t${receivedAt}\t${correlationId}\t${template.userId ?? COPY_NULL}\t${template.userLogin ?? COPY_NULL}\t${template.copy}\n`
          : `{"id":"${id}","seq":${seq},"type":${JSON.stringify(template.type)},"source":${JSON.stringify(template.source)},"ts":"${receivedAt}","received_at":"${receivedAt}","correlation_id":"${correlationId}","user_id":${JSON.stringify(template.userId)},"user_login":${JSON.stringify(template.userLogin)},"data":${template.json}}`;
    }
    return format === "copy"
      ? { rows: size, copyText: parts.join(""), json: "" }
      : { rows: size, copyText: "", json: `[${parts.join(",")}]` };
  }
}

function templateOf(n: number, sentAt: number): Template {
  const event = ordinaryEvent(n, sentAt);
  const user = userOf(event.type, event.data);
  const json = JSON.stringify(event.data);
  return {
    type: event.type,
    source: event.source,
    userId: user?.user_id ?? null,
    userLogin: user?.user_login ?? null,
    json,
    copy: json.replaceAll("\\", "\\\\"),
  };
}
