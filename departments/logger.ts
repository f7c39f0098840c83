/**
 * Logging of the sandbox department systems: the hub's pino set-up (JSON lines, ISO time, credential headers
 * redacted by path: domain/log-redaction.ts) under the department's own service name, since these processes stand in
 * for other organisations' systems. Nothing that identifies a person is logged (no bodies, no keys).
 */
import pino from 'pino';
import type { Logger } from 'pino';
import { REDACTED_PATHS } from '../domain/log-redaction';

export function createDepartmentLogger(level: pino.LevelWithSilent, service: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
