/**
 * The per-request context every resolver receives.
 *
 * Contract: built once per HTTP request by `createContextFactory`; holds the request id, a logger bound to it,
 * and the hub's process-wide handles (Prisma client). Later capabilities add their per-request state here
 * (the authenticated consumer and declared purpose, DataLoaders over department connectors, audit and
 * lineage collectors), so resolvers never reach for globals.
 */
import type { Registry } from 'prom-client';
import type { ConnectorRegistry } from '../connectors/registry';
import { createLoaders, type Loaders } from '../resolvers/loaders';
import type { Logger } from './logger';
import type { PrismaClient } from './prisma';

export interface HubContext {
  requestId: string;
  logger: Logger;
  prisma: PrismaClient;
  /** Department connectors (status, commands). Reads go through `loaders`. */
  connectors: ConnectorRegistry;
  /** This request's DataLoaders over the connectors: batching and de-duplication per request. */
  loaders: Loaders;
}

export interface HubServices {
  logger: Logger;
  prisma: PrismaClient;
  connectors: ConnectorRegistry;
  metrics: Registry;
  loaderMaxBatch: number;
}

export function createContextFactory(services: HubServices) {
  return (requestId: string): HubContext => ({
    requestId,
    logger: services.logger.child({ requestId }),
    prisma: services.prisma,
    connectors: services.connectors,
    loaders: createLoaders(services.connectors, services.prisma, services.loaderMaxBatch),
  });
}
