/**
 * Per-request DataLoaders over the department connectors: how resolvers read department records by key and
 * aggregates. (Lists are the one other read: a page is one department call with nothing to batch, so
 * connection.ts asks `ctx.connectors` for it directly.)
 *
 * Contract: created once per request (in the context factory), so caching never crosses requests or
 * consumers. `records(connector, entity)` batches every key asked for in one tick into one `loadMany` call per
 * connector and entity (and de-duplicates keys); `aggregate` sends every aggregate asked of one connector in a tick as one `aggregateMany` call and
 * de-duplicates identical queries.
 * A failed department call rejects every key of the batch with the `ConnectorError`; a malformed record
 * rejects only its own key. Callers turn those into GraphQL errors at their field with `toHubError`.
 * Both are typed by the department's published interface: `records('civil-affairs', 'elderlyProfile')` loads
 * `RecordOf<'civil-affairs', 'elderlyProfile'>`, `aggregate('civil-affairs', 'beds', query)` rows of `beds`.
 * Every department call of the request carries `calls` (who it is for, the request's own call limits: see
 * connectors/resilience.ts), which lists pass as well (connection.ts).
 */
import DataLoader from 'dataloader';
import type { ConnectorName } from '../connectors/department-interface';
import { aggregateBatcher } from '../connectors/aggregate-batcher';
import { asCacheHit } from '../connectors/provenance';
import type { ConnectorRegistry } from '../connectors/registry';
import type { AggregateQueryOf, CallOptions, LoadedRecords } from '../connectors/contract';
import type { AggregateName, AggregateRowOf, EntityName, RecordOf } from '../connectors/departments';
import type { Region } from '../prisma/generated/client';
import type { PrismaClient } from '../prisma/client';

export type RecordLoader<C extends ConnectorName, E extends EntityName<C>> = DataLoader<string, LoadedRecords<RecordOf<C, E>>>;

export interface Loaders {
  /** Regions of the hub's own region tree by code (a kept read: server/kept-reads.ts). */
  regions: RegionLookup;
  records<C extends ConnectorName, E extends EntityName<C>>(connector: C, entity: E): RecordLoader<C, E>;
  /** Aggregate rows: every aggregate asked of one department in a tick is one department call (aggregate-batcher.ts). */
  aggregate<C extends ConnectorName, A extends AggregateName<C>>(
    connector: C,
    name: A,
    query: AggregateQueryOf<C, A>,
  ): Promise<AggregateRowOf<C, A>[]>;
  /** What every department call of this request carries: the consumer it is made for, the request's call limits. */
  readonly calls: CallOptions;
}

/**
 * Hub-database reads kept per process until one of their tables changes (server/kept-reads.ts): the region tree,
 * indicator definitions, data versions, reported values. `tables` are the tables `load` reads.
 */
export interface KeptReadSource {
  read<T>(key: string, tables: readonly string[], load: () => Promise<T>): Promise<T>;
  /** The kept answer of `key` if it is at hand now, without waiting. */
  peek<T>(key: string): T | undefined;
}

/** Keeps nothing: every read goes to the database (scripts without a change listener). */
export const READ_EVERY_TIME: KeptReadSource = { read: (_key, _tables, load) => load(), peek: () => undefined };

/** The whole region tree by code, as the hub database holds it (a kept read: keptRegionTree). */
export interface RegionDirectory {
  all(): Promise<ReadonlyMap<string, Region>>;
  /** The tree if it is at hand now, without a round trip. */
  peek(): ReadonlyMap<string, Region> | undefined;
}

/**
 * Regions by code (null: no such region). The answer comes without a promise when the tree is at hand, so that a
 * page of records resolves their regions without a promise per row (graphql-js and graphql-jit handle both).
 */
export interface RegionLookup {
  find(code: string): Region | null | Promise<Region | null>;
}

function regionLookup(tree: RegionDirectory): RegionLookup {
  return {
    find: (code) => {
      const kept = tree.peek();
      if (kept) return kept.get(code) ?? null;
      return tree.all().then((all) => all.get(code) ?? null);
    },
  };
}

const REGION_TREE = 'region-tree';

/** The region tree as a kept read (it changes when a data set or an operator rewrites the `region` table). */
export function keptRegionTree(kept: KeptReadSource, prisma: PrismaClient): RegionDirectory {
  return {
    all: () =>
      kept.read(REGION_TREE, ['region'], async () => {
        const rows = await prisma.region.findMany();
        return new Map(rows.map((region) => [region.code, region]));
      }),
    peek: () => kept.peek<ReadonlyMap<string, Region>>(REGION_TREE),
  };
}

/** This request's loaders, one per connector and entity (or aggregate), created on first use. */
type RecordLoaders = { [C in ConnectorName]?: { [E in EntityName<C>]?: RecordLoader<C, E> } };

/**
 * Lineage: the first load of a key in a request fetches it (provenance cache MISS); a later load of the same key
 * is answered from the loader's cache, and gets copies of the records marked HIT.
 */
function cacheMarkingLoader<T>(loader: DataLoader<string, LoadedRecords<T>>): DataLoader<string, LoadedRecords<T>> {
  const seen = new Set<string>();
  const load = loader.load.bind(loader);
  loader.load = (key: string) => {
    if (!seen.has(key)) {
      seen.add(key);
      return load(key);
    }
    return load(key).then((loaded) => {
      if (Array.isArray(loaded)) return loaded.map((record) => ({ ...record, data: asCacheHit(record.data) }));
      return loaded ? { ...loaded, data: asCacheHit(loaded.data) } : loaded;
    });
  };
  return loader;
}

export function createLoaders(
  connectors: ConnectorRegistry,
  regionTree: RegionDirectory,
  maxBatchSize = 1000,
  calls: CallOptions = {},
): Loaders {
  const regions = regionLookup(regionTree);
  const recordLoaders: RecordLoaders = {};
  const aggregates = aggregateBatcher(connectors, { calls, cache: true });
  return {
    regions,
    calls,
    records<C extends ConnectorName, E extends EntityName<C>>(connector: C, entity: E): RecordLoader<C, E> {
      const ofConnector: NonNullable<RecordLoaders[C]> = (recordLoaders[connector] ??= {});
      return (ofConnector[entity] ??= cacheMarkingLoader(
        new DataLoader<string, LoadedRecords<RecordOf<C, E>>>((keys) => connectors.get(connector).loadMany(entity, keys, calls), {
          maxBatchSize,
        }),
      ));
    },
    aggregate: (connector, name, query) => aggregates.load(connector, name, query),
  };
}
