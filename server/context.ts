/**
 * Builds the per-request context (resolvers/context.ts) from the hub's process-wide services: a logger bound to
 * the request id, fresh DataLoaders, and the lineage collector when the request asked for lineage.
 */
import type { Registry } from 'prom-client';
import type { RequestAccess } from '../domain/request-access';
import { RequestCallLimits, type RequestCallLimitsOptions } from '../connectors/call-limits';
import type { ConnectorRegistry } from '../connectors/registry';
import type { PrismaClient } from '../prisma/client';
import type { HubContext, HubSecrets, IndicatorMemory, IndicatorSettings } from '../resolvers/context';
import { LineageCollector } from '../resolvers/lineage';
import { createLoaders, keptRegionTree } from '../resolvers/loaders';
import type { KeptReads } from './kept-reads';
import type { CatalogueStore } from './access/catalogue';
import type { ConsumerKeys } from './access/consumer-keys';
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
  /** Each request's limits on department calls (connectors/call-limits.ts; defaults there when absent). */
  requestCalls?: RequestCallLimitsOptions;
  catalogue: CatalogueStore;
  consumerKeys: ConsumerKeys;
  /** Reads of rarely changing hub tables, kept per process until they change (kept-reads.ts). */
  kept: KeptReads;
  auditTrail: AuditTrail;
  secrets: HubSecrets;
  indicatorSettings: IndicatorSettings;
  indicatorMemory: IndicatorMemory;
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
    // Every department call of the request is made for its consumer, under the request's own call limits.
    loaders: createLoaders(services.connectors, keptRegionTree(services.kept, services.prisma), services.loaderMaxBatch, {
      consumer: access.consumer.code,
      request: new RequestCallLimits(services.requestCalls),
    }),
    access,
    lineage: includeLineage ? new LineageCollector(access) : null,
    catalogue: services.catalogue,
    auditTrail: services.auditTrail,
    secrets: services.secrets,
    indicatorSettings: services.indicatorSettings,
    indicatorMemory: services.indicatorMemory,
    kept: services.kept,
    clock: () => new Date(),
    joint: { birth: services.birth ?? null },
  });
}
