/**
 * The hub's client-facing errors.
 *
 * Contract: every error a client sees carries `extensions.code` from the closed `ErrorCode` enum below (also
 * published in the schema as the `ErrorCode` enum). Resolvers throw the small subclasses of `HubError`;
 * `formatError` passes those through, maps the GraphQL engine's own request errors onto the enum, and masks
 * everything else as INTERNAL: no stack trace, SQL text or upstream message reaches a client, and the
 * original is logged with the request id so an operator can find it.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger';

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

export interface HubErrorDetails {
  /** The argument or input path the error is about, e.g. `code` or `filter.regionCode`. */
  field?: string;
  /** A short, stable, machine-readable reason, e.g. `MALFORMED_REGION_CODE`. */
  reason?: string;
  [key: string]: unknown;
}

export class HubError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: HubErrorDetails = {},
  ) {
    super(message, { extensions: { code, ...details } });
    this.name = 'HubError';
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
  constructor(message = 'Missing or invalid credentials 缺少或无效的凭据') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('FORBIDDEN', message, details);
  }
}

export class UpstreamUnavailableError extends HubError {
  constructor(message: string, details?: HubErrorDetails) {
    super('UPSTREAM_UNAVAILABLE', message, details);
  }
}

/** Apollo Server's and graphql-js's own codes, mapped onto the closed enum. */
const ENGINE_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_REQUEST',
};

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_CODES;
}

/**
 * Builds Apollo's `formatError`. `requestIdOf` recovers the request id of the failing request (Apollo's
 * formatError has no context argument; the id travels on the error's path through the context, see app.ts).
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof HubError) {
      return { ...formatted, extensions: { ...formatted.extensions, code: original.code } };
    }
    const engineCode = formatted.extensions?.code;
    const isEngineError = !(original instanceof Error) || original instanceof GraphQLError;
    if (isEngineError && typeof engineCode === 'string' && ENGINE_CODES[engineCode]) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: ENGINE_CODES[engineCode] } };
    }
    if (isErrorCode(engineCode) && engineCode !== 'INTERNAL' && original instanceof GraphQLError) {
      return formatted;
    }
    const requestId = requestIdOf(error);
    logger.error({ err: original, requestId, path: formatted.path }, 'unexpected error masked as INTERNAL');
    return {
      message: `Internal error 内部错误 (request id ${requestId ?? 'unknown'})`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL', requestId },
    };
  };
}

const REQUEST_ID = Symbol('requestId');

/** Tags an error with the request id so `formatError`, which has no context, can log and report it. */
export function tagWithRequestId(error: unknown, requestId: string): void {
  if (error && typeof error === 'object') (error as Record<symbol, string>)[REQUEST_ID] = requestId;
}

function requestIdOf(error: unknown): string | undefined {
  const candidates = [error, unwrapResolverError(error)];
  for (const candidate of candidates) {
    if (candidate && typeof candidate === 'object' && REQUEST_ID in candidate) {
      return (candidate as Record<symbol, string>)[REQUEST_ID];
    }
  }
  return undefined;
}
