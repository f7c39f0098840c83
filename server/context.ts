/**
 * The per-request context every resolver receives.
 *
 * Contract: built once per HTTP request by `createContextFactory`; holds the request id, a logger bound to it,
 * and the hub's process-wide handles (Prisma client). Later capabilities add their per-request state here
 * (the authenticated consumer and declared purpose, DataLoaders over department connectors, audit and
 * lineage collectors), so resolvers never reach for globals.
 */
import type { Logger } from './logger';
import type { PrismaClient } from './prisma';

export interface HubContext {
  requestId: string;
  logger: Logger;
  prisma: PrismaClient;
}

export interface HubServices {
  logger: Logger;
  prisma: PrismaClient;
}

export function createContextFactory(services: HubServices) {
  return (requestId: string): HubContext => ({
    requestId,
    logger: services.logger.child({ requestId }),
    prisma: services.prisma,
  });
}
