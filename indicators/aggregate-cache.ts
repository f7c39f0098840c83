/**
 * Department aggregates for indicators, fetched once per connector and metric set for all regions of a call
 * and cached in the hub database, so that every hub instance shares the cache and its invalidation.
 *
 * Contract: `fetchAll(fetches)` answers every distinct fetch (same connector, aggregate, group-by, filter, root
 * region and level = one key) from a cache entry that has not expired and was made under the connector's
 * current data version, else by one department call, stored with `expiresAt = now + ttl`. A failed call is
 * not cached; it comes back as the `ConnectorError` for that fetch (the other fetches still answer). Bumping a
 * connector's version (`noteDepartmentChange`, after a department reports a change or a data set is loaded)
 * makes every instance miss its entries at once; expired entries are deleted lazily.
 *
 * A miss is read through an `AggregateReader`, the typed aggregate API: in a request that is the request's
 * loaders (`aggregateRows`, region scope checked, identical queries de-duplicated); outside one (calibration,
 * benchmark) the connector registry (`registryReader`).
 */
import { aggregateBatcher } from '../connectors/aggregate-batcher';
import type { ConnectorName } from '../connectors/department-interface';
import type { AggregateName, AggregateRowOf } from '../connectors/departments';
import type { ConnectorRegistry } from '../connectors/registry';
import { ConnectorError, type AggregateQuery, type AggregateQueryOf, type AggregateRow } from '../connectors/contract';
import { LRUCache } from 'lru-cache';
import { executeWithJsonText, type PrismaClient } from '../prisma/client';
import type { CachedAggregate, IndicatorMemory } from '../resolvers/context';
import type { KeptReadSource } from '../resolvers/loaders';

export interface CachedFetch {
  connector: ConnectorName;
  aggregate: string;
  query: AggregateQuery;
}

export interface FetchOutcome {
  rows: AggregateRow[] | null;
  error: ConnectorError | null;
  fetchedAt: string;
  cache: 'HIT' | 'MISS';
  dataVersion: number;
  key: string;
}

/** Reads one aggregate of one department (typed by its published interface). */
export type AggregateReader = <C extends ConnectorName, A extends AggregateName<C>>(
  connector: C,
  aggregate: A,
  query: AggregateQueryOf<C, A>,
) => Promise<Array<AggregateRowOf<C, A>>>;

/** Reads aggregates straight from the connectors (no request: calibration and benchmarks), batched per tick. */
export const registryReader = (connectors: ConnectorRegistry): AggregateReader => {
  const batcher = aggregateBatcher(connectors, { cache: false });
  return (connector, aggregate, query) => batcher.load(connector, aggregate, query);
};

export const fetchKey = (f: CachedFetch) => `${f.connector}/${f.aggregate}/${JSON.stringify(f.query)}`;

/** Entries of this process's copy of the shared cache (a call's aggregates at scale 1 are a few hundred kB). */
const MEMORY_ENTRIES = 200;

/** This process's bounded copy of the shared cache entries (see IndicatorMemory). */
export function createIndicatorMemory(): IndicatorMemory {
  return new LRUCache<string, CachedAggregate>({ max: MEMORY_ENTRIES });
}

export class AggregateCache {
  /** Department aggregates read (for tests and the benchmark; several may share one department call). */
  calls = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly read: AggregateReader,
    private readonly ttlMs: number,
    private readonly clock: () => Date = () => new Date(),
    /** This process's copy of the shared entries: a hit here saves reading (and parsing) the rows again. */
    private readonly memory: IndicatorMemory | null = null,
    /** Where the data versions are kept between requests (until `department_data_version` changes). */
    private readonly kept: KeptReadSource | null = null,
  ) {}

  /** Every connector's current data version (read at the start of a computation, beside its other reads). */
  dataVersions(): Promise<Map<string, number>> {
    const read = async () => new Map((await this.prisma.departmentDataVersion.findMany()).map((v) => [v.connector, v.version]));
    return this.kept ? this.kept.read('data-versions', ['department_data_version'], read) : read();
  }

  /**
   * `versions`: the connectors' data versions as read by `dataVersions()` for this computation (read now when not
   * given). A version bumped after that read is seen by the next computation.
   */
  async fetchAll(fetches: CachedFetch[], versions?: Map<string, number>): Promise<Map<string, FetchOutcome>> {
    const distinct = new Map(fetches.map((f) => [fetchKey(f), f]));
    versions ??= await this.dataVersions();
    const versionOf = (c: string) => versions.get(c) ?? 1;
    const storedKey = (key: string, f: CachedFetch) => `v${versionOf(f.connector)}:${key}`;
    const now = this.clock();
    const out = new Map<string, FetchOutcome>();
    const hit = (key: string, f: CachedFetch, entry: CachedAggregate) =>
      out.set(key, {
        rows: entry.rows,
        error: null,
        fetchedAt: entry.fetchedAt.toISOString(),
        cache: 'HIT',
        dataVersion: versionOf(f.connector),
        key,
      });
    const remembered = (stored: string) => {
      const entry = this.ttlMs > 0 ? this.memory?.get(stored) : undefined;
      return entry && entry.expiresAt > now ? entry : undefined;
    };
    const unanswered = [...distinct].filter(([key, f]) => {
      const entry = remembered(storedKey(key, f));
      if (entry) hit(key, f, entry);
      return !entry;
    });
    const keys = unanswered.map(([key, f]) => storedKey(key, f));
    const entries =
      this.ttlMs > 0 && keys.length
        ? await this.prisma.indicatorAggregateCache.findMany({ where: { key: { in: keys }, expiresAt: { gt: now } } })
        : [];
    const cached = new Map(entries.map((e) => [e.key, e]));
    const misses: Array<Promise<void>> = [];
    for (const [key, f] of unanswered) {
      const stored = storedKey(key, f);
      const found = cached.get(stored);
      if (found) {
        const entry = { rows: found.rows as AggregateRow[], fetchedAt: found.fetchedAt, expiresAt: found.expiresAt };
        this.memory?.set(stored, entry);
        hit(key, f, entry);
        continue;
      }
      misses.push(
        (async () => {
          this.calls++;
          const fetchedAt = this.clock();
          try {
            const rows: AggregateRow[] = await this.read(f.connector, f.aggregate, f.query);
            out.set(key, {
              rows,
              error: null,
              fetchedAt: fetchedAt.toISOString(),
              cache: 'MISS',
              dataVersion: versionOf(f.connector),
              key,
            });
            if (this.ttlMs > 0) {
              const expiresAt = new Date(fetchedAt.getTime() + this.ttlMs);
              // The rows as one JSON text, on the pool: Prisma's upsert walks a Json value node by node (and its
              // raw path copies the text), which for a population aggregate's thousands of rows was most of a
              // cold request's time in the hub.
              await executeWithJsonText(
                this.prisma,
                `INSERT INTO indicator_aggregate_cache (key, connector, rows, fetched_at, expires_at)
                 VALUES ($1, $2, $3::jsonb, $4, $5)
                 ON CONFLICT (key) DO UPDATE SET connector = EXCLUDED.connector, rows = EXCLUDED.rows,
                   fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at`,
                [stored, f.connector, JSON.stringify(rows), fetchedAt, expiresAt],
              );
              this.memory?.set(stored, { rows, fetchedAt, expiresAt });
            }
          } catch (error) {
            const connectorError =
              error instanceof ConnectorError
                ? error
                : new ConnectorError(f.connector, `${f.aggregate}.aggregate`, 'UNAVAILABLE', 503, 'aggregate failed', {
                    cause: error,
                  });
            out.set(key, {
              rows: null,
              error: connectorError,
              fetchedAt: fetchedAt.toISOString(),
              cache: 'MISS',
              dataVersion: versionOf(f.connector),
              key,
            });
          }
        })(),
      );
    }
    await Promise.all(misses);
    if (misses.length && this.ttlMs > 0) {
      await this.prisma.indicatorAggregateCache.deleteMany({ where: { expiresAt: { lte: now } } }).catch(() => undefined);
    }
    return out;
  }
}

/** A department reported a change (or a data set was loaded): every instance's cached aggregates of it are stale. */
export async function noteDepartmentChange(prisma: PrismaClient, connector: ConnectorName): Promise<number> {
  const row = await prisma.departmentDataVersion.upsert({
    where: { connector },
    create: { connector, version: 2 },
    update: { version: { increment: 1 }, changedAt: new Date() },
  });
  return row.version;
}
