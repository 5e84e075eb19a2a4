/** Parses a command payload against its schema; shared by the channels and the REST mirror. */
import { STREAM_COMMANDS, type StreamCommand, type StreamCommandName } from "@landale/shared";
import { AppError } from "../errors";
import type { CommandOutcome } from "./engine";

export function parseCommand(name: StreamCommandName, payload: unknown): StreamCommand {
  const parsed = STREAM_COMMANDS[name].safeParse(payload ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    const [first] = details;
    const where = first?.path ? `${first.path}: ` : "";
    throw new AppError(
      422,
      "invalid_command",
      `${name}: ${where}${first?.message ?? "invalid"}`,
      details,
    );
  }
  return { name, payload: parsed.data } as StreamCommand;
}

/** A refused command as the one error shape. */
export function outcomeError(outcome: Extract<CommandOutcome, { ok: false }>): AppError {
  return new AppError(outcome.error.status, outcome.error.code, outcome.error.message);
}
