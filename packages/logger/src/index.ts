/**
 * Structured JSON logs (pino). Secrets are redacted wherever they appear under a known key, and a
 * child logger carries a correlation id through one request, socket or event batch.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Keys whose values never reach a log line, at the top level or one object down. */
const SECRET_KEYS = ["token", "authorization", "password", "secret", "cookie", "apiKey", "api_key"];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`]);

export interface LoggerOptions {
  name: string;
  level?: LogLevel;
  /** Where lines go; standard output by default. */
  destination?: DestinationStream;
}

export function createLogger({ name, level = "info", destination }: LoggerOptions): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** A child logger whose every line carries `correlation_id`. */
export function withCorrelation(logger: Logger, correlationId: string): Logger {
  return logger.child({ correlation_id: correlationId });
}
