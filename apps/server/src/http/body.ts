/** The one JSON body reader: a body that is not JSON answers 400 `invalid_json`. */
import { AppError } from "../errors";

/** The request's body parsed as JSON; an empty body is `empty` when one is given, else refused. */
export async function jsonBody(request: Request, empty?: unknown): Promise<unknown> {
  const text = await request.text();
  if (empty !== undefined && text.trim() === "") return empty;
  return parseJson(text);
}

/** `text` parsed as JSON; text that is not JSON answers 400 `invalid_json`. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "the body is not valid JSON");
  }
}
