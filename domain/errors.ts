/**
 * The hub's typed errors: one closed set of codes, shared by every layer.
 *
 * Contract: every error a client may see carries `extensions.code` from `ERROR_CODES` (published in the schema
 * as the `ErrorCode` enum), plus `field` and `reason` where they apply. These are plain `Error`s, not GraphQL
 * errors, so use cases that run outside a request (a workflow worker, an indicator run) can throw and catch
 * them; graphql-js copies `extensions` from the original error onto the error at the field's path, and the
 * server's formatter (server/errors.ts) passes them through and masks everything else as INTERNAL.
 * `extensions.http.status` (where set) is the HTTP status of a request-level refusal; Apollo strips it.
 */

export const ERROR_CODES = {
  BAD_USER_INPUT: '输入参数无效 An argument or input value is invalid',
  BAD_REQUEST: '请求格式错误 The HTTP request is malformed (body, headers or method)',
  GRAPHQL_PARSE_FAILED: 'GraphQL 文档语法错误 The GraphQL document does not parse',
  GRAPHQL_VALIDATION_FAILED: 'GraphQL 文档与模式不符 The GraphQL document does not match the schema',
  NOT_FOUND: '记录不存在 The addressed record does not exist',
  UNAUTHENTICATED: '未认证 Credentials are missing or invalid',
  FORBIDDEN: '无权访问 The caller may not read or do this',
  RATE_LIMITED: '请求过于频繁 The consumer exceeded its requests per minute; retry after the given seconds',
  QUERY_TOO_COMPLEX: '查询过于复杂 The query exceeds the depth or cost limit (value and limit given)',
  UPSTREAM_UNAVAILABLE: '部门系统不可用 A department system did not answer in time or failed',
  AUDIT_UNAVAILABLE: '审计不可用 The audit event could not be written, so nothing was returned',
  INTERNAL: '内部错误 An unexpected error inside the hub; quote the request id',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_CODES;
}

export interface HubErrorDetails {
  /** The argument or input path the error is about, e.g. `code` or `filter.regionCode`. */
  field?: string;
  /** A short, stable, machine-readable reason, e.g. `MALFORMED_REGION_CODE`. */
  reason?: string;
  [key: string]: unknown;
}

export class HubError extends Error {
  readonly extensions: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: HubErrorDetails = {},
  ) {
    super(message);
    this.name = 'HubError';
    this.extensions = { code, ...details };
  }
}

export class BadUserInputError extends HubError {
  constructor(message: string, details: HubErrorDetails & { field: string; reason: string }) {
    super('BAD_USER_INPUT', message, details);
  }
}

export class NotFoundError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('NOT_FOUND', message, details);
  }
}

export class UnauthenticatedError extends HubError {
  constructor(message = 'Missing or invalid credentials 缺少或无效的凭据', details?: HubErrorDetails) {
    super('UNAUTHENTICATED', message, details);
  }
}

export class ForbiddenError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('FORBIDDEN', message, details);
  }
}

export class RateLimitedError extends HubError {
  constructor(message: string, details: HubErrorDetails & { retryAfterSeconds: number }) {
    super('RATE_LIMITED', message, details);
  }
}

export class QueryTooComplexError extends HubError {
  constructor(message: string, details: { reason: 'DEPTH' | 'COST'; value: number; limit: number }) {
    super('QUERY_TOO_COMPLEX', message, { ...details, http: { status: 400 } });
  }
}

export class UpstreamUnavailableError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('UPSTREAM_UNAVAILABLE', message, details);
  }
}

export class AuditUnavailableError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('AUDIT_UNAVAILABLE', message, details);
  }
}

export class BadRequestError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('BAD_REQUEST', message, details);
  }
}

export class InternalError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('INTERNAL', message, details);
  }
}
