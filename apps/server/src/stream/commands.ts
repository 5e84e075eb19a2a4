/** Parses a command payload against its schema; shared by the channels and the REST mirror. */
import { STREAM_COMMANDS, type StreamCommand, type StreamCommandName } from "@landale/shared";
import { AppError, invalidInput } from "../errors";
import type { CommandOutcome } from "./engine";

export function parseCommand(name: StreamCommandName, payload: unknown): StreamCommand {
  const parsed = STREAM_COMMANDS[name].safeParse(payload ?? {});
  if (!parsed.success) throw invalidInput(422, "invalid_command", parsed.error, `${name}: `);
  return { name, payload: parsed.data } as StreamCommand;
}

/** A refused command as the one error shape. */
export function outcomeError(outcome: Extract<CommandOutcome, { ok: false }>): AppError {
  return new AppError(outcome.error.status, outcome.error.code, outcome.error.message);
}
