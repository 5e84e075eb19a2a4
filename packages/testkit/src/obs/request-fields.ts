/**
 * How obs-websocket checks a request's fields, with its status codes and comments word for word
 * (src/requesthandler/rpc/Request.cpp): a failed check throws a `RequestFailure` that the
 * dispatcher turns into the response's `requestStatus`.
 */
import { z } from "zod";
import { OBS_STATUS } from "./protocol";
import type { FakeObsInput, FakeObsScene, ObsState } from "./state";

export class RequestFailure extends Error {
  constructor(
    readonly code: number,
    readonly comment?: string,
  ) {
    super(comment ?? `request failed with ${code}`);
  }
}

export function fail(code: number, comment?: string): never {
  throw new RequestFailure(code, comment);
}

/** What a request handler sees: its data (an object, as OBS substitutes `{}`) and the OBS state. */
export interface RequestInput {
  /** False when `requestData` was absent or null. */
  hasData: boolean;
  data: Record<string, unknown>;
  state: ObsState;
}

export interface FakeObsVersions {
  obsVersion: string;
  obsWebSocketVersion: string;
  platform: string;
  platformDescription: string;
}

export interface RequestContext extends RequestInput {
  versions: FakeObsVersions;
  /** This session's message counts, as GetStats reports them. */
  messages: { incoming: number; outgoing: number };
  /** Called when PressInputPropertiesButton clicks a button. */
  pressed: (inputName: string, inputUuid: string, propertyName: string) => void;
}

export type RequestHandler = (context: RequestContext) => Record<string, unknown> | undefined;

const JsonObject = z.record(z.string(), z.unknown());
const Text = z.string();
const Flag = z.boolean();

/** A value is "present" when its key exists and is not null (nlohmann's contains + !is_null). */
export function present(input: RequestInput, key: string): boolean {
  return input.data[key] !== undefined && input.data[key] !== null;
}

export function toObject(value: unknown): Record<string, unknown> | null {
  const parsed = JsonObject.safeParse(value);
  return parsed.success && !Array.isArray(value) ? parsed.data : null;
}

function requireBasic(input: RequestInput, key: string): void {
  if (!input.hasData) {
    fail(OBS_STATUS.MissingRequestData, "Your request data is missing or invalid (non-object)");
  }
  if (!present(input, key)) {
    fail(OBS_STATUS.MissingRequestField, `Your request is missing the \`${key}\` field.`);
  }
}

/** An optional string field that is present: a string, and not empty unless `allowEmpty`. */
export function optionalString(input: RequestInput, key: string, allowEmpty = false): string {
  const parsed = Text.safeParse(input.data[key]);
  if (!parsed.success) {
    fail(OBS_STATUS.InvalidRequestFieldType, `The field value of \`${key}\` must be a string.`);
  }
  if (parsed.data === "" && !allowEmpty) {
    fail(OBS_STATUS.RequestFieldEmpty, `The field value of \`${key}\` must not be empty.`);
  }
  return parsed.data;
}

export function requireString(input: RequestInput, key: string, allowEmpty = false): string {
  requireBasic(input, key);
  return optionalString(input, key, allowEmpty);
}

export function requireBoolean(input: RequestInput, key: string): boolean {
  requireBasic(input, key);
  const parsed = Flag.safeParse(input.data[key]);
  if (!parsed.success) {
    fail(OBS_STATUS.InvalidRequestFieldType, `The field value of \`${key}\` must be boolean.`);
  }
  return parsed.data;
}

/** `requireString` without throwing: OBS tries the name field, then the uuid field. */
function validString(input: RequestInput, key: string): string | null {
  try {
    return requireString(input, key);
  } catch (error) {
    if (error instanceof RequestFailure) return null;
    throw error;
  }
}

type FoundSource = { scene: FakeObsScene } | { input: FakeObsInput };

/** OBS's ValidateSource: by `nameKey`, else by `uuidKey`, in one namespace for scenes and inputs. */
function requireSource(input: RequestInput, nameKey: string, uuidKey: string): FoundSource {
  const { state } = input;
  const name = validString(input, nameKey);
  if (name !== null) {
    const scene = state.scene(name);
    const found = scene ? { scene } : wrapInput(state.input(name));
    return (
      found ?? fail(OBS_STATUS.ResourceNotFound, `No source was found by the name of \`${name}\`.`)
    );
  }
  const uuid = validString(input, uuidKey);
  if (uuid !== null) {
    const scene = state.sceneByUuid(uuid);
    const found = scene ? { scene } : wrapInput(state.inputByUuid(uuid));
    return (
      found ?? fail(OBS_STATUS.ResourceNotFound, `No source was found by the UUID of \`${uuid}\`.`)
    );
  }
  return fail(
    OBS_STATUS.MissingRequestField,
    `Your request must contain at least one of the following fields: \`${nameKey}\` or \`${uuidKey}\`.`,
  );
}

const wrapInput = (input: FakeObsInput | undefined) => (input ? { input } : undefined);

export function requireScene(input: RequestInput): FakeObsScene {
  const found = requireSource(input, "sceneName", "sceneUuid");
  if (!("scene" in found))
    fail(OBS_STATUS.InvalidResourceType, "The specified source is not a scene.");
  return found.scene;
}

export function requireInput(input: RequestInput): FakeObsInput {
  const found = requireSource(input, "inputName", "inputUuid");
  if (!("input" in found))
    fail(OBS_STATUS.InvalidResourceType, "The specified source is not an input.");
  return found.input;
}
