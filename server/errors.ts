/**
 * How the hub's errors (domain/errors.ts) reach clients: GraphQL's `formatError` and the bodies of requests
 * refused before GraphQL runs (`errorBody`).
 *
 * Contract: every error a client sees carries `extensions.code` from the closed `ErrorCode` enum (also
 * published in the schema as the `ErrorCode` enum). Use cases throw the small subclasses of `HubError`;
 * `formatError` passes those through, maps the GraphQL engine's own request errors onto the enum, and masks
 * everything else as INTERNAL: no stack trace, SQL text or upstream message reaches a client, and the
 * original is logged with the request id so an operator can find it.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { HubError, isErrorCode, type ErrorCode, type HubErrorDetails } from '../domain/errors';
import type { Logger } from './logger';

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

/**
 * Builds Apollo's `formatError`. `requestIdOf` recovers the request id of the failing request (Apollo's
 * formatError has no context argument; the id travels on the error's path through the context, see app.ts).
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = hubErrorOf(error) ?? unwrapResolverError(error);
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

/** The HubError behind `error`: itself, or the original of a GraphQL error that wraps it (resolvers, plugins). */
function hubErrorOf(error: unknown): HubError | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    if (current instanceof HubError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * The JSON body of a request answered without executing GraphQL (gate refusals, malformed bodies, a withheld
 * response): GraphQL's error shape, so clients read one format whatever refused them.
 */
export function errorBody(code: ErrorCode, message: string, details: HubErrorDetails = {}) {
  return { errors: [{ message, extensions: { code, ...details } }] };
}
