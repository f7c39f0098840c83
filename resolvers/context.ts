/**
 * What a use case receives for one request: who is asking, the request's loaders over the departments, and the
 * hub's handles. Defined here, below schema/ and server/, so that resolvers, workflows and indicators depend on
 * an interface rather than on the HTTP server; server/context.ts builds it once per request.
 *
 * Contract: records by key are read through `loaders` (batched and de-duplicated per request); a list pages
 * through `connectors` directly (one department call per page, see connection.ts); nothing is cached across
 * requests or consumers but the indicator engine's department aggregates (figures, not records: `indicatorMemory`).
 */
import type { Logger } from 'pino';
import type { AuditEventContent, ChainStatus } from '../domain/audit-chain';
import type { CatalogueSource } from '../domain/catalogue';
import type { RequestAccess } from '../domain/request-access';
import type { AggregateRow } from '../connectors/contract';
import type { ConnectorRegistry } from '../connectors/registry';
import type { PrismaClient } from '../prisma/client';
import type { LineageCollector } from './lineage';
import type { KeptReadSource, Loaders } from './loaders';

/**
 * The audit chain as use cases see it: auditors check it; a change (administration) runs with its own audit
 * event in one transaction (`work` gets a client bound to it). The request's event for reads is the server's.
 */
export interface AuditChain {
  verify(expectHead?: { seq: string; hash: string }): Promise<ChainStatus>;
  withEvent<T>(event: AuditEventContent, work: (db: PrismaClient) => Promise<T>): Promise<T>;
}

export interface HubSecrets {
  /** Keys the audit trail's subject hashes (HMAC-SHA-256 of citizen IDs). */
  subjectHashKey: string;
  /** Seals list cursors (cursor-seal.ts derives its AES and IV keys from it). */
  cursorSecret: string;
}

/** A department aggregate as the indicator engine caches it (rows as the department answered them). */
export interface CachedAggregate {
  rows: AggregateRow[];
  fetchedAt: Date;
  expiresAt: Date;
}

/**
 * This process's copy of the shared aggregate cache (indicators/aggregate-cache.ts), bounded in size: entries are
 * keyed under the connector's data version like the shared ones, so a version bump by any instance retires them
 * too; they never outlive the shared entry's expiry.
 */
export interface IndicatorMemory {
  get(key: string): CachedAggregate | undefined;
  set(key: string, value: CachedAggregate): unknown;
}

/** Settings of the indicator engine (server/config.ts). */
export interface IndicatorSettings {
  referenceDate: string;
  cacheTtlMs: number;
  suppressionThreshold: number;
}

export interface HubContext {
  requestId: string;
  logger: Logger;
  prisma: PrismaClient;
  /** Department connectors: status, list pages and commands. Reads by key go through `loaders`. */
  connectors: ConnectorRegistry;
  /** This request's DataLoaders over the connectors: batching and de-duplication per request. */
  loaders: Loaders;
  /** The authenticated consumer, its declared purpose, and what this request touched (for the audit event). */
  access: RequestAccess;
  /** Collects lineage when the request asked for it (null otherwise). */
  lineage: LineageCollector | null;
  /** The sharing catalogue (administrators change it through mutations). */
  catalogue: CatalogueSource;
  auditTrail: AuditChain;
  secrets: HubSecrets;
  indicatorSettings: IndicatorSettings;
  indicatorMemory: IndicatorMemory;
  /** Reads of rarely changing hub tables, kept per process until they change. */
  kept: KeptReadSource;
  /** The hub's clock (indicator runs are stamped with it). */
  clock: () => Date;
  /** Joint services' handles, set by the server (each workflow adds its member: workflows/birth/port.ts). */
  joint: JointServices;
}

/** Filled in by declaration merging from workflows/, which may see this layer (this layer may not see it). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JointServices {}
