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
 *   TOO_MANY_FAILED_AUTHENTICATIONS) before its key is even looked up.
 * Budgets live in a store every hub instance shares (rate-limits.ts).
 * Otherwise `res.locals.access` holds the request's `RequestAccess`. Keys and purposes are never logged. If the
 * hub database cannot be asked, the answer is 500 INTERNAL with the request id (the cause is logged).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import 'pino-http';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, type ErrorCode, type HubError } from '../../domain/errors';
import { errorBody } from '../errors';
import type { PrismaClient } from '../../prisma/client';
import type { CatalogueStore } from './catalogue';
import type { RateLimits } from './rate-limits';
import { findConsumerByKey } from '../../resolvers/consumers';
import { RequestAccess } from '../../domain/request-access';

const BEARER = /^Bearer\s+(\S{16,512})$/i;

export interface GateOptions {
  prisma: PrismaClient;
  catalogue: CatalogueStore;
  limits: RateLimits;
}

/** A refusal at the gate: the typed error and the HTTP status it is answered with. */
class Refusal {
  constructor(
    readonly status: number,
    readonly error: HubError,
    readonly consumer?: string,
  ) {}
}

export function accessGate({ prisma, catalogue, limits }: GateOptions): RequestHandler {
  /** The request's access state, or the refusal that answers it. */
  async function admit(req: Request, res: Response): Promise<RequestAccess | Refusal> {
    const key = BEARER.exec(req.get('authorization') ?? '')?.[1];
    const address = req.socket.remoteAddress ?? 'unknown';
    const blockedFor = key ? await limits.authBlocked(address) : null;
    if (blockedFor !== null) {
      res.setHeader('Retry-After', String(blockedFor));
      const message = `Too many failed authentications from this address; retry in ${blockedFor} s 认证失败次数过多`;
      return new Refusal(429, new RateLimitedError(message, { reason: 'TOO_MANY_FAILED_AUTHENTICATIONS', retryAfterSeconds: blockedFor }));
    }
    const consumer = key ? await findConsumerByKey(prisma, key) : null;
    if (key && !consumer) await limits.noteAuthFailure(address);
    if (!consumer || consumer.status === 'REVOKED') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="yilao-yixiao-hub"');
      const message = key ? 'Invalid or revoked API key 凭据无效或已吊销' : 'Missing credentials: send Authorization: Bearer <key> 缺少凭据';
      return new Refusal(401, new UnauthenticatedError(message, { reason: key ? 'INVALID_CREDENTIALS' : 'MISSING_CREDENTIALS' }));
    }
    const forbidden = (message: string, reason: string) => new Refusal(403, new ForbiddenError(message, { reason }), consumer.code);
    if (consumer.status === 'SUSPENDED') return forbidden(`Consumer ${consumer.code} is suspended 接入方已暂停`, 'CONSUMER_SUSPENDED');
    const purpose = req.get('x-purpose')?.trim();
    const snapshot = await catalogue.current();
    if (!purpose) return forbidden('Declare the purpose of this request: X-Purpose: <code> 请声明用途', 'PURPOSE_REQUIRED');
    if (!snapshot.purposes.has(purpose)) return forbidden('Unknown purpose code 未知用途代码', 'UNKNOWN_PURPOSE');
    if (!consumer.purposes.has(purpose)) {
      return forbidden(`Purpose ${purpose} is not approved for consumer ${consumer.code} 用途未获批准`, 'PURPOSE_NOT_APPROVED');
    }
    const { limit, retryAfter } = await limits.consumeRequest(consumer.id, consumer.rateLimitPerMinute);
    if (retryAfter !== null) {
      res.setHeader('Retry-After', String(retryAfter));
      const message = `Rate limit of ${limit} requests per minute exceeded; retry in ${retryAfter} s 请求过于频繁`;
      return new Refusal(429, new RateLimitedError(message, { limit, retryAfterSeconds: retryAfter }), consumer.code);
    }
    return new RequestAccess(consumer, purpose, snapshot);
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const admitted = await admit(req, res);
      if (admitted instanceof RequestAccess) {
        res.locals.access = admitted;
        return next();
      }
      const { status, error, consumer } = admitted;
      // Logged with reason and consumer code only, so operators can see probing and misuse.
      req.log?.warn({ status, code: error.code, reason: error.extensions.reason ?? error.code, consumer }, 'request refused at the access gate');
      res.status(status).json(errorBody(error.code, error.message, error.extensions));
    } catch (error) {
      // The hub database is needed to authenticate: without it nothing can be answered.
      const requestId = String((req as Request & { id?: unknown }).id ?? 'unknown');
      req.log?.error({ err: error, requestId }, 'unexpected error masked as INTERNAL');
      res.status(500).json(errorBody('INTERNAL', `Internal error 内部错误 (request id ${requestId})`, { requestId }));
    }
  };
}

/**
 * The same checks as the gate, for a connection that is not an HTTP request (graphql-ws subscriptions):
 * the key and purpose a client sends in its `connection_init` payload. Resolves to the request access, or to
 * the refusal's code and reason.
 */
export async function authenticateConnection(
  { prisma, catalogue }: Pick<GateOptions, 'prisma' | 'catalogue'>,
  authorization: string | undefined,
  purposeHeader: string | undefined,
): Promise<{ access: RequestAccess } | { code: ErrorCode; reason: string }> {
  const key = BEARER.exec(authorization ?? '')?.[1];
  const consumer = key ? await findConsumerByKey(prisma, key) : null;
  if (!consumer || consumer.status === 'REVOKED') return { code: 'UNAUTHENTICATED', reason: key ? 'INVALID_CREDENTIALS' : 'MISSING_CREDENTIALS' };
  if (consumer.status === 'SUSPENDED') return { code: 'FORBIDDEN', reason: 'CONSUMER_SUSPENDED' };
  const purpose = purposeHeader?.trim();
  const snapshot = await catalogue.current();
  if (!purpose) return { code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED' };
  if (!snapshot.purposes.has(purpose)) return { code: 'FORBIDDEN', reason: 'UNKNOWN_PURPOSE' };
  if (!consumer.purposes.has(purpose)) return { code: 'FORBIDDEN', reason: 'PURPOSE_NOT_APPROVED' };
  return { access: new RequestAccess(consumer, purpose, snapshot) };
}
