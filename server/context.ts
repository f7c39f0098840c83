/**
 * Builds the per-request context (resolvers/context.ts) from the hub's process-wide services: a logger bound to
 * the request id, fresh DataLoaders, and the lineage collector when the request asked for lineage.
 */
import type { Registry } from 'prom-client';
import type { RequestAccess } from '../domain/request-access';
import type { ConnectorRegistry } from '../connectors/registry';
import type { PrismaClient } from '../prisma/client';
import type { HubContext, HubSecrets } from '../resolvers/context';
import { LineageCollector } from '../resolvers/lineage';
import { createLoaders } from '../resolvers/loaders';
import type { CatalogueStore } from './access/catalogue';
import type { RateLimits } from './access/rate-limits';
import type { AuditTrail } from './audit/trail';
import type { Logger } from './logger';
import type { BirthServices } from '../workflows/birth/port';

export interface HubServices {
  logger: Logger;
  rateLimits: RateLimits;
  prisma: PrismaClient;
  connectors: ConnectorRegistry;
  metrics: Registry;
  loaderMaxBatch: number;
  catalogue: CatalogueStore;
  auditTrail: AuditTrail;
  secrets: HubSecrets;
  birth?: BirthServices | null;
}

export interface RequestFacts {
  requestId: string;
  access: RequestAccess;
  includeLineage: boolean;
}

export function createContextFactory(services: HubServices) {
  return ({ requestId, access, includeLineage }: RequestFacts): HubContext => ({
    requestId,
    logger: services.logger.child({ requestId }),
    prisma: services.prisma,
    connectors: services.connectors,
    loaders: createLoaders(services.connectors, services.prisma, services.loaderMaxBatch),
    access,
    lineage: includeLineage ? new LineageCollector(access) : null,
    catalogue: services.catalogue,
    auditTrail: services.auditTrail,
    secrets: services.secrets,
    joint: { birth: services.birth ?? null },
  });
}
