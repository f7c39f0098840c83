/**
 * Per-request DataLoaders over the department connectors: the only way resolvers read department data.
 *
 * Contract: created once per request (in the context factory), so caching never crosses requests or
 * consumers. `records(connector, entity)` batches every key asked for in one tick into one `loadMany` call per
 * connector and entity (and de-duplicates keys); `aggregate` de-duplicates identical aggregate queries.
 * A failed department call rejects every key of the batch with the `ConnectorError`; a malformed record
 * rejects only its own key. Callers turn those into GraphQL errors at their field with `toHubError`.
 */
import DataLoader from 'dataloader';
import type { ConnectorName } from '../connectors/interface';
import { asCacheHit } from '../connectors/provenance';
import type { ConnectorRegistry } from '../connectors/registry';
import type { AggregateQuery, AggregateRow, SourceRecord } from '../connectors/types';
import type { Region } from '../prisma/generated/client';
import type { PrismaClient } from '../prisma/client';

export type LoadedRecords = SourceRecord | SourceRecord[] | null;

export interface Loaders {
  /** Regions of the hub's own region tree by code (one query per tick). */
  regions: DataLoader<string, Region | null>;
  records(connector: ConnectorName, entity: string): DataLoader<string, LoadedRecords>;
  aggregate(connector: ConnectorName, name: string): DataLoader<AggregateQuery, AggregateRow[], string>;
}

/**
 * Lineage: the first load of a key in a request fetches it (provenance cache MISS); a later load of the same key
 * is answered from the loader's cache, and gets copies of the records marked HIT.
 */
function cacheMarkingLoader(loader: DataLoader<string, LoadedRecords>): DataLoader<string, LoadedRecords> {
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

export function createLoaders(connectors: ConnectorRegistry, prisma: PrismaClient, maxBatchSize = 1000): Loaders {
  const regions = new DataLoader<string, Region | null>(async (codes) => {
    const found = await prisma.region.findMany({ where: { code: { in: [...codes] } } });
    const byCode = new Map(found.map((region) => [region.code, region]));
    return codes.map((code) => byCode.get(code) ?? null);
  });
  const recordLoaders = new Map<string, DataLoader<string, LoadedRecords>>();
  const aggregateLoaders = new Map<string, DataLoader<AggregateQuery, AggregateRow[], string>>();
  return {
    regions,
    records(connector, entity) {
      const id = `${connector}/${entity}`;
      let loader = recordLoaders.get(id);
      if (!loader) {
        loader = cacheMarkingLoader(
          new DataLoader<string, LoadedRecords>((keys) => connectors.get(connector).loadMany(entity, keys), { maxBatchSize }),
        );
        recordLoaders.set(id, loader);
      }
      return loader;
    },
    aggregate(connector, name) {
      const id = `${connector}/${name}`;
      let loader = aggregateLoaders.get(id);
      if (!loader) {
        // Aggregates are not batchable into one call; the loader still de-duplicates and caches per request.
        loader = new DataLoader<AggregateQuery, AggregateRow[], string>(
          (queries) => Promise.all(queries.map((q) => connectors.get(connector).aggregate(name, q).catch((e: Error) => e))),
          { cacheKeyFn: (query) => JSON.stringify(query) },
        );
        aggregateLoaders.set(id, loader);
      }
      return loader;
    },
  };
}
