/** A command's payload parsed with its schema; what the schema refuses answers 400 `invalid_payload`. */
import type { z } from "zod";
import { invalidInput } from "../errors";

export function commandPayload<T extends z.ZodType>(schema: T, payload: unknown): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) throw invalidInput(400, "invalid_payload", result.error);
  return result.data;
}
