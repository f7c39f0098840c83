/**
 * The per-request context every resolver receives.
 *
 * Contract: built once per HTTP request by `createContextFactory`; holds the request id, a logger bound to it,
 * the hub's process-wide handles (Prisma client, connectors, catalogue, audit trail), and the request's own
 * state: the authenticated consumer and declared purpose (`access`, set by the access gate), DataLoaders over
 * the department connectors, and the lineage collector, so resolvers never reach for globals.
 */
import type { Registry } from 'prom-client';
import type { ConnectorRegistry } from '../connectors/registry';
import { createLoaders, type Loaders } from '../resolvers/loaders';
import type { CatalogueStore } from './access/catalogue';
import type { RequestAccess } from './access/request-access';
import type { AuditTrail } from './audit/trail';
import { LineageCollector } from './lineage';
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
  /** The authenticated consumer, its declared purpose, and what this request touched (for the audit event). */
  access: RequestAccess;
  /** Collects lineage when the request asked for it (null otherwise). */
  lineage: LineageCollector | null;
  /** The sharing catalogue (administrators change it through mutations). */
  catalogue: CatalogueStore;
  auditTrail: AuditTrail;
  auditHmacKey: string;
}

export interface HubServices {
  logger: Logger;
  prisma: PrismaClient;
  connectors: ConnectorRegistry;
  metrics: Registry;
  loaderMaxBatch: number;
  catalogue: CatalogueStore;
  auditTrail: AuditTrail;
  auditHmacKey: string;
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
    auditHmacKey: services.auditHmacKey,
  });
}
