/**
 * Request budgets kept where every hub instance sees them (rate-limiter-flexible): per consumer, and per client
 * address for failed authentications, so that N instances still allow one consumer its limit, not N times it,
 * and guessing keys costs the guesser, not the hub database.
 *
 * Store, from HUB_RATE_LIMIT_STORE: `postgres` (default: the hub database's `rate_limit` table, created by a
 * migration; works with the embedded database and needs nothing else), a `redis://` URL (ioredis; faster), or
 * `memory` (this process only: N instances allow N × the limit; for a single instance or tests).
 * Contract: `consume*` resolve to the seconds to wait (null when the request may proceed); a store that cannot be
 * reached rejects, and the gate answers 500 INTERNAL rather than letting requests through unlimited. A consumer's
 * requests are counted from leases of its points (point-leases.ts: the store is asked once per lease, 1 % of the
 * limit); failed authentications are counted one by one.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { leaseSizeFor, PointLeases, type TakePoints } from './point-leases';

export type RateLimitStore = { kind: 'postgres'; url: string } | { kind: 'redis'; url: string } | { kind: 'memory' };

export interface RateLimitOptions {
  store: RateLimitStore;
  /** Requests per minute per consumer, unless the consumer has its own limit. */
  defaultPerMinute: number;
  /** Failed authentications per minute per client address before it is refused without a lookup. */
  authFailuresPerMinute: number;
  /**
   * Hears of an idle store connection the server closed (pg_terminate_backend, a restart): the pool has dropped it
   * and the next consume reconnects; unheard, the pool's 'error' event would end the process.
   */
  onIdleConnectionLost?: (error: Error) => void;
}

const MINUTE = 60;

export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly leases = new Map<number, PointLeases>();
  private readonly close: () => Promise<void>;
  private readonly make: (keyPrefix: string, points: number) => RateLimiterAbstract;

  constructor(private readonly options: RateLimitOptions) {
    const { store } = options;
    if (store.kind === 'postgres') {
      // Counters are worth a minute at most: their commits do not wait for the WAL to reach the disk (a crash may
      // forget the last moments' counts, never anything else), so a request does not wait for a disk flush here.
      const pool = new pg.Pool({
        connectionString: store.url,
        max: 4,
        connectionTimeoutMillis: 5000,
        options: '-c synchronous_commit=off',
      });
      pool.on('error', options.onIdleConnectionLost ?? (() => undefined));
      this.make = (keyPrefix, points) =>
        new RateLimiterPostgres({
          storeClient: pool,
          storeType: 'pool',
          tableName: 'rate_limit',
          tableCreated: true,
          keyPrefix,
          points,
          duration: MINUTE,
        });
      this.close = () => pool.end();
    } else if (store.kind === 'redis') {
      const redis = new Redis(store.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
      redis.on('error', () => undefined); // reported by the rejected consume, not as an unhandled event
      this.make = (keyPrefix, points) =>
        new RateLimiterRedis({ storeClient: redis, keyPrefix: `hub:${keyPrefix}`, points, duration: MINUTE });
      this.close = async () => void (await redis.quit().catch(() => redis.disconnect()));
    } else {
      this.make = (keyPrefix, points) => new RateLimiterMemory({ keyPrefix, points, duration: MINUTE });
      this.close = () => Promise.resolve();
    }
  }

  private limiter(keyPrefix: string, points: number): RateLimiterAbstract {
    const id = `${keyPrefix}:${points}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.make(id, points);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Counts one request of the consumer, from this process's lease of its points; the limit is its own or the default. */
  async consumeRequest(consumerId: string, perMinute: number | null): Promise<{ limit: number; retryAfter: number | null }> {
    const limit = perMinute ?? this.options.defaultPerMinute;
    let leases = this.leases.get(limit);
    if (!leases) {
      leases = new PointLeases(takePoints(this.limiter('consumer', limit), limit), leaseSizeFor(limit));
      this.leases.set(limit, leases);
    }
    return { limit, retryAfter: await leases.take(consumerId) };
  }

  /** Whether the address is refused for failing to authenticate too often (checked before any key lookup). */
  async authBlocked(address: string): Promise<number | null> {
    const state = await this.limiter('auth-failure', this.options.authFailuresPerMinute).get(address);
    if (!state || state.consumedPoints < this.options.authFailuresPerMinute) return null;
    return secondsOf(state);
  }

  /** Counts a failed authentication from the address. */
  async noteAuthFailure(address: string): Promise<void> {
    await consume(this.limiter('auth-failure', this.options.authFailuresPerMinute), address);
  }

  stop(): Promise<void> {
    return this.close();
  }
}

const secondsOf = (state: RateLimiterRes) => Math.max(1, Math.ceil(state.msBeforeNext / 1000));

async function consume(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return secondsOf(rejection);
    throw rejection;
  }
}

/** Points taken from a limiter of `limit` points: all asked for, or what the window had left (none once it is over). */
export function takePoints(limiter: RateLimiterAbstract, limit: number): TakePoints {
  return async (key, points) => {
    try {
      return { granted: points, msBeforeNext: (await limiter.consume(key, points)).msBeforeNext };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const before = rejection.consumedPoints - points;
      return { granted: Math.min(points, Math.max(0, limit - before)), msBeforeNext: rejection.msBeforeNext };
    }
  };
}

/** HUB_RATE_LIMIT_STORE as a store; `postgres` means the hub database. */
export function rateLimitStore(setting: string, hubDatabaseUrl: string): RateLimitStore {
  if (setting === 'memory') return { kind: 'memory' };
  if (setting === 'postgres') return { kind: 'postgres', url: hubDatabaseUrl };
  return { kind: 'redis', url: setting };
}
