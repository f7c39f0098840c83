/**
 * The hub database client: Prisma 7's generated client over `@prisma/adapter-pg` (pure JavaScript, no
 * native query engine, so nothing is downloaded at install or run time).
 *
 * Contract: one client per hub process, created at start-up from the resolved database URL and passed to
 * every request through the context; `$disconnect()` on shutdown closes its pool. `executeWithJsonText`
 * runs a statement whose parameters include large JSON texts straight on that same pool: Prisma's raw-query
 * path copies and inspects every parameter on its way to the driver, which for a text of tens of kilobytes
 * (an indicator run's event, a cached aggregate's rows) cost more than the statement itself.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';

export type { PrismaClient };

const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * `onIdleConnectionLost` hears of an idle pooled connection the server closed (an administrator's
 * pg_terminate_backend, a restart, a failover): the pool has already dropped it and the next query opens a new
 * one. Without a listener that event would be an unhandled 'error' and end the process.
 */
export function createPrismaClient(
  databaseUrl: string,
  onIdleConnectionLost: (error: Error) => void = () => undefined,
): PrismaClient {
  // A bounded connect timeout: an unreachable database must fail a request (and /readyz), never hang it.
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 5000, max: 10 });
  // Attached here, not left to the adapter: it listens only once Prisma first connects, and executeWithJsonText
  // may use the pool before that.
  pool.on('error', onIdleConnectionLost);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/**
 * Runs `sql` (parameters `$1`, `$2`, …) on the client's pool when the client was made by `createPrismaClient`,
 * else through Prisma; answers the number of rows affected. Outside a Prisma transaction only.
 */
export async function executeWithJsonText(prisma: PrismaClient, sql: string, values: unknown[]): Promise<number> {
  const pool = pools.get(prisma);
  if (!pool) return prisma.$executeRawUnsafe(sql, ...values);
  return (await pool.query(sql, values)).rowCount ?? 0;
}
