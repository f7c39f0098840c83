/**
 * The indicator engine's environment for one GraphQL request: the hub database, the clock and settings, and the
 * aggregate cache whose misses are read through the request's loaders with the typed aggregate API
 * (`aggregateRows`: region scope checked, identical queries of the request de-duplicated).
 */
import type { HubContext } from '../resolvers/context';
import { keptRegionTree } from '../resolvers/loaders';
import { aggregateRows } from '../resolvers/region-statistics';
import { AggregateCache } from './aggregate-cache';
import type { IndicatorEnvironment } from './engine';

export function indicatorEnvironment(ctx: HubContext): IndicatorEnvironment {
  return {
    prisma: ctx.prisma,
    kept: ctx.kept,
    regions: keptRegionTree(ctx.kept, ctx.prisma),
    cache: new AggregateCache(
      ctx.prisma,
      (connector, aggregate, query) => aggregateRows(ctx, connector, aggregate, query),
      ctx.indicatorSettings.cacheTtlMs,
      ctx.clock,
      ctx.indicatorMemory,
      ctx.kept,
    ),
    clock: ctx.clock,
    referenceDate: ctx.indicatorSettings.referenceDate,
    suppressionThreshold: ctx.indicatorSettings.suppressionThreshold,
  };
}
