/**
 * The gate every GraphQL request passes before Apollo sees it: credentials, declared purpose, rate limit.
 *
 * Contract (answers in GraphQL's error shape, nothing executed, nothing audited):
 * - no `Authorization: Bearer <key>`, or a key that is unknown or revoked → 401 UNAUTHENTICATED
 *   (with `WWW-Authenticate: Bearer`); a revoked consumer's keys are revoked with it;
 * - a suspended consumer → 403 FORBIDDEN (reason CONSUMER_SUSPENDED);
 * - no `X-Purpose`, an unknown purpose, or one the consumer is not approved for → 403 FORBIDDEN
 *   (reasons PURPOSE_REQUIRED, UNKNOWN_PURPOSE, PURPOSE_NOT_APPROVED);
 * - over the consumer's requests per minute → 429 RATE_LIMITED with `Retry-After` (seconds);
 * - an address whose keys failed too often in the last minute → 429 RATE_LIMITED (reason
 *   TOO_MANY_FAILED_AUTHENTICATIONS) before its key is even looked up, unless the key is one this instance
 *   currently knows to be valid (a cached lookup: consumer-keys.ts).
 * Budgets live in a store every hub instance shares (rate-limits.ts).
 * Otherwise `res.locals.access` holds the request's `RequestAccess`. Keys and purposes are never logged. If the
 * hub database cannot be asked, the answer is 500 INTERNAL with the request id (the cause is logged).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import 'pino-http';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, type ErrorCode, type HubError } from '../../domain/errors';
import { errorBody } from '../errors';
import type { CatalogueStore } from './catalogue';
import type { ConsumerKeys } from './consumer-keys';
import type { RateLimits } from './rate-limits';
import { citizenIdPseudonyms, maskerFor } from '../../domain/masking';
import { RequestAccess } from '../../domain/request-access';
import { scalarText } from '../../domain/text';

const BEARER = /^Bearer\s+(\S{16,512})$/i;

export interface GateOptions {
  /** Key lookups (cached; a change to consumers is seen within moments on every instance: consumer-keys.ts). */
  consumers: ConsumerKeys;
  catalogue: CatalogueStore;
  limits: RateLimits;
  /** The hub's secret, from which each consumer's citizen-ID pseudonym key is derived. */
  secret: string;
}

/** A refusal at the gate: the typed error, the HTTP status it is answered with, and headers to send. */
class Refusal {
  constructor(
    readonly status: number,
    readonly error: HubError,
    readonly consumer?: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** What a caller presents: the same for an HTTP request and a graphql-ws connection's `connection_init`. */
export interface Credentials {
  authorization: string | undefined;
  purpose: string | undefined;
  /** The client's address (failed authentications are counted per address). */
  address: string;
}

/** The checks of the gate, in order: the caller's access state, or the refusal that answers it. */
async function admit(
  { consumers, catalogue, limits, secret }: GateOptions,
  credentials: Credentials,
): Promise<RequestAccess | Refusal> {
  const key = BEARER.exec(credentials.authorization ?? '')?.[1];
  // The address block stops key guessing: a key this instance currently knows to be valid is no guess, and is
  // admitted without asking the shared store (one round trip less per request; a consumer behind the same address
  // as a guesser is not locked out). Revocation still applies: a change drops what the instance knows.
  const known = key ? consumers.known(key) : undefined;
  const blockedFor = key && !known ? await limits.authBlocked(credentials.address) : null;
  if (blockedFor !== null) {
    const message = `Too many failed authentications from this address; retry in ${blockedFor} s 认证失败次数过多`;
    const error = new RateLimitedError(message, { reason: 'TOO_MANY_FAILED_AUTHENTICATIONS', retryAfterSeconds: blockedFor });
    return new Refusal(429, error, undefined, { 'Retry-After': String(blockedFor) });
  }
  const consumer = known ?? (key ? await consumers.find(key) : null);
  if (key && !consumer) await limits.noteAuthFailure(credentials.address);
  if (!consumer || consumer.status === 'REVOKED') {
    const message = key
      ? 'Invalid or revoked API key 凭据无效或已吊销'
      : 'Missing credentials: send Authorization: Bearer <key> 缺少凭据';
    const error = new UnauthenticatedError(message, { reason: key ? 'INVALID_CREDENTIALS' : 'MISSING_CREDENTIALS' });
    return new Refusal(401, error, undefined, { 'WWW-Authenticate': 'Bearer realm="yilao-yixiao-hub"' });
  }
  const forbidden = (message: string, reason: string) => new Refusal(403, new ForbiddenError(message, { reason }), consumer.code);
  if (consumer.status === 'SUSPENDED')
    return forbidden(`Consumer ${consumer.code} is suspended 接入方已暂停`, 'CONSUMER_SUSPENDED');
  const purpose = credentials.purpose?.trim();
  const snapshot = await catalogue.current();
  if (!purpose) return forbidden('Declare the purpose of this request: X-Purpose: <code> 请声明用途', 'PURPOSE_REQUIRED');
  if (!snapshot.purposes.has(purpose)) return forbidden('Unknown purpose code 未知用途代码', 'UNKNOWN_PURPOSE');
  if (!consumer.purposes.has(purpose)) {
    return forbidden(`Purpose ${purpose} is not approved for consumer ${consumer.code} 用途未获批准`, 'PURPOSE_NOT_APPROVED');
  }
  const { limit, retryAfter } = await limits.consumeRequest(consumer.id, consumer.rateLimitPerMinute);
  if (retryAfter !== null) {
    const message = `Rate limit of ${limit} requests per minute exceeded; retry in ${retryAfter} s 请求过于频繁`;
    return new Refusal(429, new RateLimitedError(message, { limit, retryAfterSeconds: retryAfter }), consumer.code, {
      'Retry-After': String(retryAfter),
    });
  }
  return new RequestAccess(consumer, purpose, snapshot, maskerFor(citizenIdPseudonyms(secret, consumer.id)));
}

export function accessGate(options: GateOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const credentials = {
        authorization: req.get('authorization'),
        purpose: req.get('x-purpose'),
        address: req.socket.remoteAddress ?? 'unknown',
      };
      const admitted = await admit(options, credentials);
      if (admitted instanceof RequestAccess) {
        res.locals.access = admitted;
        return next();
      }
      const { status, error, consumer, headers } = admitted;
      // Logged with reason and consumer code only, so operators can see probing and misuse.
      req.log?.warn(
        { status, code: error.code, reason: error.extensions.reason ?? error.code, consumer },
        'request refused at the access gate',
      );
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.status(status).json(errorBody(error.code, error.message, error.extensions));
    } catch (error) {
      // The hub database is needed to authenticate: without it nothing can be answered.
      const requestId = scalarText((req as Request & { id?: unknown }).id, 'unknown');
      req.log?.error({ err: error, requestId }, 'unexpected error masked as INTERNAL');
      res.status(500).json(errorBody('INTERNAL', `Internal error 内部错误 (request id ${requestId})`, { requestId }));
    }
  };
}

/**
 * The same checks as the gate (the same function), for a connection that is not an HTTP request (graphql-ws
 * subscriptions): the key and purpose a client sends in its `connection_init` payload. Resolves to the access
 * state, or to the refusal's code and reason.
 */
export async function authenticateConnection(
  options: GateOptions,
  credentials: Credentials,
): Promise<{ access: RequestAccess } | { code: ErrorCode; reason: string }> {
  const admitted = await admit(options, credentials);
  if (admitted instanceof RequestAccess) return { access: admitted };
  return { code: admitted.error.code, reason: scalarText(admitted.error.extensions.reason, admitted.error.code) };
}
