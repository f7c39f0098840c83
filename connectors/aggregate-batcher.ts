/**
 * Aggregates asked for in one tick, sent to each department as one call (`Connector.aggregateMany`): however
 * many figures a request needs from civil affairs, civil affairs is asked once.
 *
 * Contract: `batcher.load(connector, name, query)` resolves to the aggregate's rows typed by the department's
 * published interface, or rejects with that aggregate's `ConnectorError`. Loads made in the same tick for the
 * same connector share one `aggregateMany` call; with `cache: true` (a request's loaders) an identical query is
 * answered once for the batcher's life, with `cache: false` (no request: calibration, benchmarks) only
 * de-duplicated within its batch.
 */
import DataLoader from 'dataloader';
import type { AggregateQueryOf, AggregateRequest, CallOptions } from './contract';
import type { ConnectorName } from './department-interface';
import type { AggregateName, AggregateRowOf } from './departments';
import type { ConnectorRegistry } from './registry';

export interface AggregateBatcher {
  load<C extends ConnectorName, A extends AggregateName<C>>(
    connector: C,
    name: A,
    query: AggregateQueryOf<C, A>,
  ): Promise<Array<AggregateRowOf<C, A>>>;
}

export function aggregateBatcher(
  connectors: ConnectorRegistry,
  { calls = {}, cache }: { calls?: CallOptions; cache: boolean },
): AggregateBatcher {
  const byConnector = new Map<ConnectorName, DataLoader<AggregateRequest, unknown[], string>>();
  const loaderOf = (connector: ConnectorName) => {
    let loader = byConnector.get(connector);
    if (!loader) {
      loader = new DataLoader<AggregateRequest, unknown[], string>(
        (requests) => connectors.get(connector).aggregateMany(requests, calls),
        { cacheKeyFn: (request) => JSON.stringify([request.name, request.query]), cache },
      );
      byConnector.set(connector, loader);
    }
    return loader;
  };
  return {
    load<C extends ConnectorName, A extends AggregateName<C>>(connector: C, name: A, query: AggregateQueryOf<C, A>) {
      // The connector validated these rows against aggregate `name` of C's published interface (connector.ts).
      return loaderOf(connector).load({ name, query }) as Promise<Array<AggregateRowOf<C, A>>>;
    },
  };
}
