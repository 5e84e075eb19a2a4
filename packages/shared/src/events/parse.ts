/** Ingest validation: untrusted input in, events the hub may store out — or issues naming each wrong field. */
import { z } from "zod";
import { dataSchemaFor, type EventPayload, unknownTypeMessage } from "./catalogue";
import { EventInput, MAX_EVENT_BYTES, MAX_EVENTS_PER_INPUT } from "./envelope";
import { addZodIssues, type EventIssue, failure, IssueSink, join } from "./issues";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: EventIssue[] };

/**
 * Valid events, each with its JSON length (UTF-16 units) and its `data` as JSON, both made once
 * while validating: the hub bounds what is pending by the one and writes the other as it is.
 */
export type ParsedEvents = {
  ok: true;
  value: ParsedEventInput[];
  sizes: number[];
  dataJson: string[];
};

/** What validating one event measured: its JSON length and its `data` as JSON. */
interface Measured {
  size: number;
  dataJson: string;
}

const UNMEASURED: Measured = { size: 0, dataJson: "" };

/** A producer's event after validation: `type` is one the catalogue knows and `data` fits it. */
export type ParsedEventInput = Omit<EventInput, "type" | "data"> & EventPayload;

const COMPILED_EVENT_INPUT = z.compile(EventInput);

/**
 * Validate one event as a producer sent it. On success `value` is the input itself, not a copy:
 * every schema in the catalogue either keeps unknown keys (Twitch's) or refuses them (the hub's),
 * and none transforms, so what was validated is exactly what was sent.
 */
export function parseEventInput(raw: unknown): ParseResult<ParsedEventInput> {
  const sink = new IssueSink();
  checkEvent(raw, "", sink);
  return sink.isEmpty() ? { ok: true, value: raw as ParsedEventInput } : sink.failure();
}

function parseOne(raw: unknown): ParsedEvents | { ok: false; issues: EventIssue[] } {
  const sink = new IssueSink();
  const { size, dataJson } = checkEvent(raw, "", sink);
  return sink.isEmpty()
    ? { ok: true, value: [raw as ParsedEventInput], sizes: [size], dataJson: [dataJson] }
    : sink.failure();
}

/**
 * Validate one event or an array of them, all or nothing: one bad event refuses the lot, and
 * each issue's path starts with the event's index (`[3].data.bits`). One object gives an array
 * of one, with paths as `parseEventInput` gives them.
 */
export function parseEventInputs(raw: unknown): ParsedEvents | { ok: false; issues: EventIssue[] } {
  if (!Array.isArray(raw)) return parseOne(raw);
  if (raw.length === 0) return failure("", "must carry at least one event");
  if (raw.length > MAX_EVENTS_PER_INPUT) {
    return failure("", `carries ${raw.length} events; the limit is ${MAX_EVENTS_PER_INPUT}`);
  }
  const sink = new IssueSink();
  const measured = raw.map((event, i) => checkEvent(event, `[${i}]`, sink));
  if (!sink.isEmpty()) return sink.failure();
  return {
    ok: true,
    value: raw as ParsedEventInput[],
    sizes: measured.map((one) => one.size),
    dataJson: measured.map((one) => one.dataJson),
  };
}

/** Adds what is wrong with one event to `sink`; returns what it measured (nothing once refused). */
function checkEvent(raw: unknown, prefix: string, sink: IssueSink): Measured {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    sink.add(prefix, "must be an event object");
    return UNMEASURED;
  }
  // Size first: an event past the limit is refused whatever else is wrong with it, and the
  // schemas never spend time on it.
  const size = sizeProblem(raw);
  if (size.problem) {
    sink.add(prefix, size.problem);
    return UNMEASURED;
  }
  if (size.suspect) checkStorableStrings(raw, prefix, sink);

  let typeIsBad = false;
  if (!COMPILED_EVENT_INPUT.validate(raw)) {
    const parsed = EventInput.safeParse(raw);
    if (!parsed.success) {
      typeIsBad = parsed.error.issues.some((issue) => issue.path[0] === "type");
      addZodIssues(parsed.error.issues, prefix, raw, sink);
    }
  }
  const event = raw as Record<string, unknown>;
  if (typeIsBad || typeof event.type !== "string") return UNMEASURED;

  const schema = dataSchemaFor(event.type);
  if (!schema) {
    sink.add(join(prefix, "type"), unknownTypeMessage(event.type));
    return UNMEASURED;
  }
  const measured = { size: size.length, dataJson: size.dataJson };
  // a missing `data` was reported above, as `data` is required
  if (!("data" in event) || schema.validate(event.data)) return measured;
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) addZodIssues(parsed.error.issues, join(prefix, "data"), event.data, sink);
  return measured;
}

/** What `sizeProblem` found: the event's JSON length, its `data` as JSON, and whether a string may be unstorable. */
interface Sized {
  problem: string | null;
  length: number;
  dataJson: string;
  suspect: boolean;
}

/** `"data":` and the comma before it, in the event's JSON. */
const DATA_KEY_LENGTH = ',"data":'.length;

/**
 * Why the event is too big (or not JSON at all), or null when it fits. `data` is serialised on its
 * own — the rest of the event beside it — so its JSON is made once, here, and written as it is.
 */
function sizeProblem(event: object): Sized {
  let rest: string;
  let dataJson: string;
  try {
    const { data, ...others } = event as Record<string, unknown>;
    rest = JSON.stringify(others);
    dataJson = data === undefined ? "" : JSON.stringify(data);
  } catch (error) {
    // cycles, BigInt, nesting deeper than the engine's stack
    const reason = error instanceof Error ? error.message : String(error);
    return {
      problem: `must be JSON-serializable (${reason})`,
      length: 0,
      dataJson: "",
      suspect: false,
    };
  }
  const suspect = SUSPECT_ESCAPE.test(rest) || SUSPECT_ESCAPE.test(dataJson);
  const length = rest.length + (dataJson === "" ? 0 : DATA_KEY_LENGTH + dataJson.length);
  // A UTF-8 byte is at least one UTF-16 unit and at most three, so most events are decided by
  // their length alone and only those in between are counted byte by byte.
  if (length * 3 <= MAX_EVENT_BYTES) return { problem: null, length, dataJson, suspect };
  const bytes = utf8Length(rest) + (dataJson === "" ? 0 : DATA_KEY_LENGTH + utf8Length(dataJson));
  return {
    problem:
      bytes > MAX_EVENT_BYTES
        ? `event is ${bytes} bytes of JSON; the limit is ${MAX_EVENT_BYTES}`
        : null,
    length,
    dataJson,
    suspect,
  };
}

/**
 * JSON.stringify writes NUL and a lone surrogate as `\u0000`/`\udXXX` escapes (a paired surrogate
 * is written as the character itself), so the event's JSON says whether a walk is worth it. A
 * literal backslash in the text can match too; the walk then finds nothing.
 */
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Postgres cannot store NUL in text or jsonb, nor a lone UTF-16 surrogate (it is not UTF-8): one
 * such string would make the database refuse the event. Every string and key is checked, and each
 * offender is named by its path (`data.message.text`).
 */
function checkStorableStrings(value: unknown, path: string, sink: IssueSink): void {
  if (typeof value === "string") {
    const problem = unstorable(value);
    if (problem) sink.add(path, problem);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      checkStorableStrings(value[index], join(path, index), sink);
    }
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = unstorable(key);
    if (problem) sink.add(join(path, key), `(the key itself) ${problem}`);
    checkStorableStrings(item, join(path, key), sink);
  }
}

function unstorable(text: string): string | null {
  const nul = text.indexOf("\u0000");
  if (nul !== -1) {
    return `must not contain the NUL character (\\u0000, at index ${nul}), which Postgres cannot store`;
  }
  const lone = LONE_SURROGATE.exec(text);
  if (lone === null) return null;
  const unit = lone[0].charCodeAt(0).toString(16);
  return `must not contain a lone UTF-16 surrogate (\\u${unit} at index ${lone.index}), which is not valid Unicode`;
}

/** UTF-8 length of a string, without encoding it (and in any runtime: overlays parse events too). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
      continue;
    }
    bytes += 2;
    // a surrogate pair is two units and four bytes: the low half adds nothing more
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return bytes;
}
