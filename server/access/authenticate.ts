/**
 * The gate every GraphQL request passes before Apollo sees it: credentials, declared purpose, rate limit.
 *
 * Contract (answers in GraphQL's error shape, nothing executed, nothing audited):
 * - no `Authorization: Bearer <key>`, or a key that is unknown or revoked → 401 UNAUTHENTICATED
 *   (with `WWW-Authenticate: Bearer`); a revoked consumer's keys are revoked with it;
 * - a suspended consumer → 403 FORBIDDEN (reason CONSUMER_SUSPENDED);
 * - no `X-Purpose`, an unknown purpose, or one the consumer is not approved for → 403 FORBIDDEN
 *   (reasons PURPOSE_REQUIRED, UNKNOWN_PURPOSE, PURPOSE_NOT_APPROVED);
 * - over the consumer's requests per minute → 429 RATE_LIMITED with `Retry-After` (seconds).
 * Otherwise `res.locals.access` holds the request's `RequestAccess`. Keys and purposes are never logged. If the
 * hub database cannot be asked, the answer is 500 INTERNAL with the request id (the cause is logged).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import 'pino-http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ErrorCode } from '../../domain/errors';
import type { PrismaClient } from '../../prisma/client';
import type { CatalogueStore } from './catalogue';
import { findConsumerByKey } from '../../resolvers/consumers';
import { RequestAccess } from '../../domain/request-access';

const BEARER = /^Bearer\s+(\S{16,512})$/i;

/** Answers a refusal, and logs it (reason and consumer code only) so operators can see probing and misuse. */
function refuse(res: Response, status: number, code: ErrorCode, message: string, details: Record<string, unknown> = {}, consumer?: string) {
  res.req.log?.warn({ status, code, reason: details.reason ?? code, consumer }, 'request refused at the access gate');
  res.status(status).json({ errors: [{ message, extensions: { code, ...details } }] });
}

/** Per-consumer request budgets: one limiter per distinct limit, keyed by consumer id. */
class ConsumerRateLimits {
  private readonly limiters = new Map<number, RateLimiterMemory>();

  constructor(private readonly defaultPerMinute: number) {}

  /** Seconds to wait before retrying, or null when the request may proceed. */
  async consume(consumerId: string, perMinute: number | null): Promise<{ limit: number; retryAfter: number | null }> {
    const limit = perMinute ?? this.defaultPerMinute;
    let limiter = this.limiters.get(limit);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: limit, duration: 60 });
      this.limiters.set(limit, limiter);
    }
    try {
      await limiter.consume(consumerId);
      return { limit, retryAfter: null };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { limit, retryAfter: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}

export interface GateOptions {
  prisma: PrismaClient;
  catalogue: CatalogueStore;
  defaultRateLimitPerMinute: number;
}

export function accessGate({ prisma, catalogue, defaultRateLimitPerMinute }: GateOptions): RequestHandler {
  const limits = new ConsumerRateLimits(defaultRateLimitPerMinute);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const key = BEARER.exec(req.get('authorization') ?? '')?.[1];
      const consumer = key ? await findConsumerByKey(prisma, key) : null;
      if (!consumer || consumer.status === 'REVOKED') {
        res.setHeader('WWW-Authenticate', 'Bearer realm="yilao-yixiao-hub"');
        return refuse(res, 401, 'UNAUTHENTICATED', key ? 'Invalid or revoked API key 凭据无效或已吊销' : 'Missing credentials: send Authorization: Bearer <key> 缺少凭据', {
          reason: key ? 'INVALID_CREDENTIALS' : 'MISSING_CREDENTIALS',
        });
      }
      if (consumer.status === 'SUSPENDED') {
        return refuse(res, 403, 'FORBIDDEN', `Consumer ${consumer.code} is suspended 接入方已暂停`, { reason: 'CONSUMER_SUSPENDED' }, consumer.code);
      }
      const purpose = req.get('x-purpose')?.trim();
      const snapshot = await catalogue.current();
      if (!purpose) {
        return refuse(res, 403, 'FORBIDDEN', 'Declare the purpose of this request: X-Purpose: <code> 请声明用途', { reason: 'PURPOSE_REQUIRED' }, consumer.code);
      }
      if (!snapshot.purposes.has(purpose)) {
        return refuse(res, 403, 'FORBIDDEN', 'Unknown purpose code 未知用途代码', { reason: 'UNKNOWN_PURPOSE' }, consumer.code);
      }
      if (!consumer.purposes.has(purpose)) {
        return refuse(res, 403, 'FORBIDDEN', `Purpose ${purpose} is not approved for consumer ${consumer.code} 用途未获批准`, {
          reason: 'PURPOSE_NOT_APPROVED',
        }, consumer.code);
      }
      const { limit, retryAfter } = await limits.consume(consumer.id, consumer.rateLimitPerMinute);
      if (retryAfter !== null) {
        res.setHeader('Retry-After', String(retryAfter));
        return refuse(res, 429, 'RATE_LIMITED', `Rate limit of ${limit} requests per minute exceeded; retry in ${retryAfter} s 请求过于频繁`, {
          limit,
          retryAfterSeconds: retryAfter,
        }, consumer.code);
      }
      res.locals.access = new RequestAccess(consumer, purpose, snapshot);
      next();
    } catch (error) {
      // The hub database is needed to authenticate: without it nothing can be answered.
      const requestId = String((req as Request & { id?: unknown }).id ?? 'unknown');
      req.log?.error({ err: error, requestId }, 'unexpected error masked as INTERNAL');
      res.status(500).json({ errors: [{ message: `Internal error 内部错误 (request id ${requestId})`, extensions: { code: 'INTERNAL', requestId } }] });
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
