/**
 * The hub database client: Prisma 7's generated client over `@prisma/adapter-pg` (pure JavaScript, no
 * native query engine, so nothing is downloaded at install or run time).
 *
 * Contract: one client per hub process, created at start-up from the resolved database URL and passed to
 * every request through the context; `$disconnect()` on shutdown closes its pool.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type { PrismaClient };

export function createPrismaClient(databaseUrl: string): PrismaClient {
  // A bounded connect timeout: an unreachable database must fail a request (and /readyz), never hang it.
  const adapter = new PrismaPg({ connectionString: databaseUrl, connectionTimeoutMillis: 5000, max: 10 });
  return new PrismaClient({ adapter });
}
