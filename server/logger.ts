/**
 * Structured logging (pino, JSON lines on stdout).
 *
 * Contract: nothing that identifies a person is ever logged. Request bodies, variables and response data are
 * never passed to the logger; credentials in headers are redacted by path. Every line written while serving a
 * request carries its `requestId`.
 */
import pino, { type Logger } from 'pino';
import { REDACTED_PATHS } from '../domain/log-redaction';

export type { Logger };

export function createLogger(level: pino.LevelWithSilent, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'yilao-yixiao-hub' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
