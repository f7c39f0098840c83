/**
 * Errors of a department's HTTP exchange API, and the Express handlers that turn them into answers.
 *
 * Contract: every error answer is JSON `{"error":{"code","message"[,"field","reason"]}}` with the status of its
 * class: 400 BAD_REQUEST, 401 UNAUTHENTICATED, 404 NOT_FOUND, 409 IDEMPOTENCY_KEY_REUSED, 413
 * PAYLOAD_TOO_LARGE, 500 INTERNAL, 503 UNAVAILABLE. Messages never quote request values (they may be
 * personal data). Anything that is not an `ApiError` is logged (without its message when it comes from
 * PostgreSQL, whose messages can quote values) and answered as 500 INTERNAL, or 503 UNAVAILABLE when the
 * department's database cannot be reached.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Logger } from 'pino';

export type ApiErrorCode =
  'BAD_REQUEST' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'IDEMPOTENCY_KEY_REUSED' | 'PAYLOAD_TOO_LARGE' | 'INTERNAL' | 'UNAVAILABLE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: { field?: string; reason?: string } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export class BadRequestError extends ApiError {
  constructor(message: string, details: { field?: string; reason?: string } = {}) {
    super(400, 'BAD_REQUEST', message, details);
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(message = 'missing or invalid API key (Authorization: Bearer <key>)') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string, details: { field?: string; reason?: string } = {}) {
    super(404, 'NOT_FOUND', message, details);
  }
}

export class IdempotencyKeyReusedError extends ApiError {
  constructor() {
    super(409, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request', {
      field: 'Idempotency-Key',
      reason: 'KEY_REUSED',
    });
  }
}

export class InternalError extends ApiError {
  constructor(message = 'internal error') {
    super(500, 'INTERNAL', message);
  }
}

/** Reason code of a zod issue, e.g. `invalid_format` → `INVALID_FORMAT`. */
export function zodReason(issue: z.core.$ZodIssue): string {
  return issue.code.toUpperCase();
}

/** A BadRequestError for the first zod issue, naming its path under `prefix` (never quoting the value). */
export function fromZodError(error: z.ZodError, prefix = ''): BadRequestError {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const field = [prefix, path].filter(Boolean).join('.') || '(body)';
  return new BadRequestError(`${field}: ${issue.message}`, { field, reason: zodReason(issue) });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route ${req.method} ${req.path}`));
};

/** PostgreSQL errors that mean the department's own database is unreachable. */
function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('08') ||
    code.startsWith('57P') ||
    code === '53300' ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code)
  );
}

/** What may be logged about an unexpected error: PostgreSQL messages and details can quote personal data. */
function loggableError(error: unknown): Record<string, unknown> {
  if (error && typeof error === 'object' && 'severity' in error) {
    const e = error as { code?: string; constraint?: string; table?: string; routine?: string };
    return { type: 'DatabaseError', sqlstate: e.code, constraint: e.constraint, table: e.table, routine: e.routine };
  }
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let apiError: ApiError;
    const bodyParserType = (error as { type?: unknown })?.type;
    if (error instanceof ApiError) {
      apiError = error;
    } else if (bodyParserType === 'entity.too.large') {
      apiError = new ApiError(413, 'PAYLOAD_TOO_LARGE', 'request body is too large');
    } else if (bodyParserType === 'entity.parse.failed') {
      apiError = new BadRequestError('request body is not valid JSON', { field: '(body)', reason: 'MALFORMED_JSON' });
    } else if (typeof bodyParserType === 'string') {
      apiError = new BadRequestError('request body cannot be read', { field: '(body)', reason: 'UNREADABLE_BODY' });
    } else if (String((error as { code?: unknown })?.code).startsWith('22')) {
      // PostgreSQL data exception: a filter or input value the zod schema let through is still impossible
      // (e.g. 2024-02-30). It is the caller's mistake, not the department's.
      apiError = new BadRequestError('a value is out of range or malformed', { reason: 'INVALID_VALUE' });
    } else if (isDatabaseUnavailable(error)) {
      logger.warn({ err: loggableError(error), method: req.method, path: req.path }, 'department database unavailable');
      apiError = new ApiError(503, 'UNAVAILABLE', 'the department system is temporarily unavailable');
    } else {
      logger.error({ err: loggableError(error), method: req.method, path: req.path }, 'request failed');
      apiError = new InternalError();
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(apiError.status).json(apiError.toBody());
  };
}
