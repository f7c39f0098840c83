/**
 * The indicator engine: indicators × regions × periods → values, computed live from the departments.
 *
 * Computable outside a resolver: it needs the hub database (definitions, regions, reported values, runs, the
 * aggregate cache), the connectors and a clock, nothing of the HTTP server. Contract of `computeIndicatorValues`:
 * - input is validated before any department is asked (BAD_USER_INPUT with `field` and `reason`; nothing
 *   changes);
 * - every department aggregate needed is fetched once per connector and metric set, grouped by region, for
 *   all regions of the call (AggregateCache: shared, TTL-bounded, invalidated by data versions);
 * - one value per indicator × region × period, in that order; a department failure makes the rows that needed
 *   it PARTIAL (value null, `error` the ConnectorError; the other rows are unaffected); a period the data
 *   cannot answer is NO_DATA, a zero denominator ZERO_DENOMINATOR; small counts of people below district level
 *   are SUPPRESSED for viewers without record-level access;
 * - declared identities are checked on every row; the computation is persisted as an OpenLineage-style run
 *   event (job = indicator set and versions, inputs = aggregates with query and as-of time, outputs = values);
 * - a request that finds every input exactly as an earlier computation of the same request by the same viewer
 *   found it (the same kept definitions, region tree, data versions and reported values, the same cached rows,
 *   no failure) is answered with that computation's values and run: nothing is computed or persisted again,
 *   and the values still say which run computed them and when.
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ConnectorName } from '../connectors/department-interface';
import type { AggregateRow, ConnectorError, RegionLevel as AggregateLevel } from '../connectors/contract';
import { BadUserInputError } from '../domain/errors';
import { attainment, indicatorValue, roundTo, targetStatus, type TargetStatus, type ValueStatus } from '../domain/indicators';
import { resolvePeriods, type Period } from '../domain/periods';
import { contains, regionCodeSchema, regionPrefix } from '../domain/regions';
import { executeWithJsonText, type PrismaClient } from '../prisma/client';
import type { KeptReadSource, RegionDirectory } from '../resolvers/loaders';
import { AggregateCache, fetchKey, type CachedFetch, type FetchOutcome } from './aggregate-cache';
import { currentDefinitions, type IndicatorDefinition } from './definitions';
import { METRICS, type DepartmentMetric, type FetchContext, type PopulationBasis } from './metrics';

export interface IndicatorEnvironment {
  prisma: PrismaClient;
  /** Definitions, data versions and reported values, kept per process until their tables change. */
  kept: KeptReadSource;
  /** The hub's region tree (a kept read). */
  regions: RegionDirectory;
  /** Aggregates through the cache (a miss is read with the typed aggregate API: the request's loaders). */
  cache: AggregateCache;
  clock: () => Date;
  /** The hub's "today" for relative periods and stocks (the synthetic data is a snapshot on 2022-12-31). */
  referenceDate: string;
  /** Counts of people below this, in regions below district level, are suppressed for aggregate-only viewers. */
  suppressionThreshold: number;
}

export interface IndicatorRequest {
  codes?: readonly string[] | null;
  regionCodes?: readonly string[] | null;
  regionLevel?: 'DISTRICT' | 'STREET' | 'COMMUNITY' | null;
  parentCode?: string | null;
  periods: readonly string[];
  basis?: PopulationBasis | null;
}

export interface IndicatorViewer {
  consumerCode: string | null;
  /** Region scope: only regions inside it are computed. */
  regionScope: string | null;
  /** May read the records behind the figures (no small-count suppression). */
  recordLevel: boolean;
}

export interface IdentityCheck {
  description: string;
  holds: boolean;
  value: number | null;
  parts: number | null;
}

export interface ValueInput {
  metric: string;
  kind: string;
  connector: string | null;
  aggregate: string | null;
  fetchedAt: string | null;
  cache: string | null;
}

export interface IndicatorValueResult {
  definition: IndicatorDefinition;
  regionCode: string;
  regionLevel: string;
  period: string;
  periodType: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  basis: PopulationBasis | null;
  status: ValueStatus;
  notes: string[];
  baseline: number | null;
  baselineNote: string | null;
  differenceFromBaseline: number | null;
  target: number | null;
  targetYear: number | null;
  attainment: number | null;
  targetStatus: TargetStatus;
  identityChecks: IdentityCheck[];
  definitionVersion: number;
  computedAt: string;
  sourcesAsOf: Array<{ connector: string; asOf: string }>;
  inputs: ValueInput[];
  runId: string;
  /** The department failure behind a PARTIAL row. */
  error: ConnectorError | null;
}

export interface IndicatorRunResult {
  runId: string;
  values: IndicatorValueResult[];
  departmentCalls: number;
}

const MAX_VALUES = 5000;

/**
 * Computations remembered beside the definitions they used (kept until the definitions change), by request and
 * viewer: `inputs` are the objects the computation read, compared by identity, so a change anywhere (a new data
 * version, an expired or refetched aggregate, a reported value, a region) is a different object and a new
 * computation.
 */
interface RememberedRun {
  inputs: readonly unknown[];
  result: IndicatorRunResult;
}
const REMEMBERED_RUNS = 64;
const runsByDefinitions = new WeakMap<object, LRUCache<string, RememberedRun>>();
const sameInputs = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

interface RegionRef {
  code: string;
  level: string;
}

async function resolveRegions(
  env: IndicatorEnvironment,
  request: IndicatorRequest,
  viewer: IndicatorViewer,
): Promise<RegionRef[]> {
  const explicit = request.regionCodes ?? [];
  explicit.forEach((code, i) => {
    if (!regionCodeSchema.safeParse(code).success) {
      throw new BadUserInputError(`Malformed region code 区划代码格式错误`, {
        field: `regionCodes.${i}`,
        reason: 'MALFORMED_REGION_CODE',
      });
    }
  });
  if (request.parentCode != null && !regionCodeSchema.safeParse(request.parentCode).success) {
    throw new BadUserInputError('Malformed region code 区划代码格式错误', {
      field: 'parentCode',
      reason: 'MALFORMED_REGION_CODE',
    });
  }
  if (request.regionLevel && request.parentCode == null) {
    throw new BadUserInputError('regionLevel needs parentCode 按层级查询需指定上级区划', {
      field: 'parentCode',
      reason: 'PARENT_REQUIRED',
    });
  }
  if (explicit.length === 0 && request.parentCode == null) {
    throw new BadUserInputError('Name regions: regionCodes, or parentCode with regionLevel 请指定区划', {
      field: 'regionCodes',
      reason: 'NO_REGION',
    });
  }
  const parentCode = request.parentCode;
  const tree = await env.regions.all();
  const found = [...explicit, ...(parentCode != null ? [parentCode] : [])].flatMap((code) => tree.get(code) ?? []);
  const under =
    parentCode == null
      ? []
      : [...tree.values()]
          .filter((r) =>
            request.regionLevel
              ? r.code.startsWith(regionPrefix(parentCode)) && r.level === request.regionLevel
              : r.parentCode === parentCode,
          )
          .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const known = new Map(found.map((r) => [r.code, r]));
  explicit.forEach((code, i) => {
    if (!known.has(code))
      throw new BadUserInputError(`Unknown region ${code} 未知区划`, { field: `regionCodes.${i}`, reason: 'UNKNOWN_REGION' });
  });
  const regions: RegionRef[] = explicit.map((code) => ({ code, level: known.get(code)!.level }));
  if (request.parentCode != null) {
    const parent = known.get(request.parentCode);
    if (!parent)
      throw new BadUserInputError(`Unknown region ${request.parentCode} 未知区划`, {
        field: 'parentCode',
        reason: 'UNKNOWN_REGION',
      });
    regions.push(...under.filter((r) => r.code !== parent.code).map((r) => ({ code: r.code, level: r.level })));
  }
  const distinct = [...new Map(regions.map((r) => [r.code, r])).values()];
  return viewer.regionScope ? distinct.filter((r) => contains(viewer.regionScope!, r.code)) : distinct;
}

function definitionsFor(
  all: Map<string, IndicatorDefinition>,
  codes: readonly string[] | null | undefined,
): IndicatorDefinition[] {
  if (!codes || codes.length === 0) return [...all.values()];
  return codes.map((code, i) => {
    const definition = all.get(code);
    if (!definition)
      throw new BadUserInputError(`Unknown indicator ${code.slice(0, 64)} 未知指标`, {
        field: `codes.${i}`,
        reason: 'UNKNOWN_INDICATOR',
      });
    return definition;
  });
}

/** What a period lets the data answer, on the reference date. */
export function periodContext(period: Period, referenceDate: string, basis: PopulationBasis) {
  const to = period.end < referenceDate ? period.end : referenceDate;
  const ctx: FetchContext = { asOf: to, from: period.start, to, basis };
  // Registers (facilities, profiles, population) are the departments' current state: they answer the
  // reference year up to the reference date, not earlier years or the future.
  const stockAnswers = period.start <= referenceDate && period.end >= `${referenceDate.slice(0, 4)}-01-01`;
  const flowAnswers = period.start <= referenceDate;
  return { ctx, stockAnswers, flowAnswers };
}

/** Department metrics a metric needs (composites expand to their parts). */
export function departmentParts(metric: string): string[] {
  const m = METRICS[metric];
  if (!m) return [];
  if (m.kind === 'COMPOSITE') return m.parts.flatMap(departmentParts);
  return m.kind === 'STOCK' || m.kind === 'FLOW' ? [metric] : [];
}

const finestLevel = (regions: RegionRef[]): AggregateLevel =>
  regions.some((r) => r.code.length === 12) ? 'COMMUNITY' : regions.some((r) => r.code.length === 9) ? 'STREET' : 'DISTRICT';

/**
 * The one region every fetch of the call aggregates under: the regions' district (or city), or, for a consumer
 * with a region scope, the scope itself (every region of the call lies in it, and the scope is what it may read).
 */
function rootOf(regions: RegionRef[], regionScope: string | null): string {
  const districts = new Set(regions.map((r) => r.code.slice(0, 6)));
  const root = districts.size === 1 ? [...districts][0]! : `${regions[0]!.code.slice(0, 2)}0000`;
  return regionScope && !contains(regionScope, root) ? regionScope : root;
}

/**
 * The rows of an aggregate that lie in a region (a row without `regionCode` lies in the call's root), memoised
 * per rows array: every indicator of a region reads the same few aggregates, and the process's cache
 * (IndicatorMemory) hands the same arrays to the next request.
 */
const rowsByRegion = new WeakMap<AggregateRow[], Map<string, AggregateRow[]>>();
function rowsIn(rows: AggregateRow[], regionCode: string, root: string): AggregateRow[] {
  let byRegion = rowsByRegion.get(rows);
  if (!byRegion) rowsByRegion.set(rows, (byRegion = new Map<string, AggregateRow[]>()));
  const key = `${root}/${regionCode}`;
  let found = byRegion.get(key);
  if (!found) byRegion.set(key, (found = rows.filter((r) => contains(regionCode, String(r.regionCode ?? root)))));
  return found;
}

/**
 * A metric's value over a set of rows, kept beside the rows (metrics are pure functions of rows and period context):
 * a warm request computes no figure again that an earlier request computed over the same cached rows.
 */
const valuesByRows = new WeakMap<AggregateRow[], Map<string, number>>();
/** What a metric's fetch and value depend on beside the metric: the period context. */
const contextKey = (ctx: FetchContext) => `${ctx.asOf}/${ctx.from}/${ctx.to}/${ctx.basis}`;
function metricValue(metric: DepartmentMetric, name: string, rows: AggregateRow[], scope: string, ctx: FetchContext): number {
  let byKey = valuesByRows.get(rows);
  if (!byKey) valuesByRows.set(rows, (byKey = new Map<string, number>()));
  const key = `${name}/${scope}/${contextKey(ctx)}`;
  let found = byKey.get(key);
  if (found === undefined) byKey.set(key, (found = metric.value(rows, ctx)));
  return found;
}

export async function computeIndicatorValues(
  env: IndicatorEnvironment,
  request: IndicatorRequest,
  viewer: IndicatorViewer,
): Promise<IndicatorRunResult> {
  // Round trips to the hub database are most of a warm request's time: what does not depend on another
  // answer is asked at the same time (definitions with regions; aggregates with reported values and the tree).
  const periods = resolvePeriods(request.periods, env.referenceDate);
  const [all, regions, versions] = await Promise.all([
    env.kept.read('indicator-definitions', ['indicator_definition'], () => currentDefinitions(env.prisma)),
    resolveRegions(env, request, viewer),
    env.cache.dataVersions(),
  ]);
  const definitions = definitionsFor(all, request.codes);
  if (definitions.length * periods.length * regions.length > MAX_VALUES) {
    throw new BadUserInputError(`At most ${MAX_VALUES} values per request 单次请求值过多`, {
      field: 'periods',
      reason: 'TOO_MANY_VALUES',
    });
  }
  const runId = randomUUID();
  const computedAt = env.clock().toISOString();
  if (regions.length === 0) {
    await persistRun(env, runId, viewer, request, definitions, [], [], computedAt);
    return { runId, values: [], departmentCalls: 0 };
  }
  const root = rootOf(regions, viewer.regionScope);
  const level = finestLevel(regions);
  const basisOf = (d: IndicatorDefinition): PopulationBasis => request.basis ?? d.basis ?? 'RESIDENT';

  // 1. Every department fetch the rows need, de-duplicated.
  const fetches: CachedFetch[] = [];
  const fetchFor = (metric: DepartmentMetric, ctx: FetchContext): CachedFetch => {
    const f = metric.fetch(ctx);
    return {
      connector: f.connector,
      aggregate: f.aggregate,
      query: { regionCode: root, regionLevel: f.communityRows ? 'COMMUNITY' : level, groupBy: f.groupBy, filter: f.filter },
    };
  };
  const metricsOf = (d: IndicatorDefinition) => [
    d.numerator,
    ...(d.denominator ? [d.denominator] : []),
    ...d.identities.flatMap((i) => i.equals),
  ];
  for (const period of periods) {
    for (const d of definitions) {
      const { ctx, stockAnswers, flowAnswers } = periodContext(period, env.referenceDate, basisOf(d));
      if (d.periodTypes && !d.periodTypes.includes(period.type)) continue;
      for (const name of metricsOf(d).flatMap(departmentParts)) {
        const metric = METRICS[name] as DepartmentMetric;
        if (metric.kind === 'STOCK' ? stockAnswers : flowAnswers) fetches.push(fetchFor(metric, ctx));
      }
    }
  }
  const callsBefore = env.cache.calls;
  // 2. Reported values and the region tree, while the aggregates are fetched.
  // Sorted: the same figures asked in another order are the same kept read.
  const reportedCodes = definitions
    .filter((d) => d.numerator === 'reported')
    .map((d) => d.code)
    .sort();
  const reportedKey = `reported:${reportedCodes.join(',')}|${regions.map((r) => r.code).join(',')}|${periods.map((p) => p.id).join(',')}`;
  const reportedRows = reportedCodes.length
    ? env.kept.read(
        reportedKey,
        ['indicator_reported_value'],
        () => env.prisma.$queryRaw<
          Array<{ code: string; region_code: string; period: string; value: number; reported_by: string; reported_at: Date }>
        >`
        SELECT DISTINCT ON (code, region_code, period) code, region_code, period, value, reported_by, reported_at
          FROM indicator_reported_value
         WHERE code = ANY(${reportedCodes}) AND region_code = ANY(${regions.map((r) => r.code)}) AND period = ANY(${periods.map((p) => p.id)})
         ORDER BY code, region_code, period, reported_at DESC`,
      )
    : Promise.resolve([]);
  const needsTree = definitions.some((d) => metricsOf(d).includes('communities'));
  const communityRows = needsTree
    ? env.regions
        .all()
        .then((tree) => [...tree.values()].filter((r) => r.level === 'COMMUNITY' && r.code.startsWith(regionPrefix(root))))
    : Promise.resolve([]);
  const [outcomes, reported, communities] = await Promise.all([
    env.cache.fetchAll(fetches, versions),
    reportedRows,
    communityRows,
  ]);
  const departmentCalls = env.cache.calls - callsBefore;

  // The same request by the same viewer over the same inputs: the earlier computation's values and run.
  const tree = await env.regions.all();
  const inputsRead: unknown[] = [tree, versions, reported, ...[...outcomes.values()].map((o) => (o.error ? o : o.rows))];
  const requestKey = JSON.stringify([request, viewer, env.referenceDate, env.suppressionThreshold]);
  let remembered = runsByDefinitions.get(all);
  if (!remembered) runsByDefinitions.set(all, (remembered = new LRUCache({ max: REMEMBERED_RUNS })));
  const earlier = remembered.get(requestKey);
  if (earlier && sameInputs(earlier.inputs, inputsRead)) return { ...earlier.result, departmentCalls };

  const reportedOf = new Map(reported.map((r) => [`${r.code}/${r.region_code}/${r.period}`, r]));

  // 3. The rows (a metric's fetch and its outcome are the same for every region of a period).
  const values: IndicatorValueResult[] = [];
  const fetched = new Map<string, { f: CachedFetch; outcome: FetchOutcome }>();
  for (const d of definitions) {
    const basis = basisOf(d);
    for (const region of regions) {
      for (const period of periods) {
        const { ctx, stockAnswers, flowAnswers } = periodContext(period, env.referenceDate, basis);
        const inputs: ValueInput[] = [];
        const notes: string[] = [];
        let error: ConnectorError | null = null;
        let noData = false;
        const periodTypeOk = !d.periodTypes || d.periodTypes.includes(period.type);
        if (!periodTypeOk)
          notes.push(
            `${d.code} is defined for ${d.periodTypes!.join(', ')} periods only 仅适用于${d.periodTypes!.join(', ')}期间`,
          );

        const valueOf = (name: string): number | null => {
          const metric = METRICS[name]!;
          if (!periodTypeOk) return null;
          switch (metric.kind) {
            case 'COMPOSITE': {
              const parts = metric.parts.map(valueOf);
              return parts.some((p) => p === null) ? null : parts.reduce((a, b) => a! + b!, 0);
            }
            case 'REGION_TREE':
              inputs.push({ metric: name, kind: 'REGION_TREE', connector: null, aggregate: null, fetchedAt: null, cache: null });
              return communities.filter((c) => contains(region.code, c.code)).length;
            case 'REPORTED': {
              const found = reportedOf.get(`${d.code}/${region.code}/${period.id}`);
              inputs.push({
                metric: name,
                kind: 'REPORTED',
                connector: null,
                aggregate: null,
                fetchedAt: found?.reported_at.toISOString() ?? null,
                cache: null,
              });
              if (!found) {
                noData = true;
                return null;
              }
              return found.value;
            }
            default: {
              if (!(metric.kind === 'STOCK' ? stockAnswers : flowAnswers)) {
                noData = true;
                return null;
              }
              const fetchId = `${name}/${contextKey(ctx)}`;
              let known = fetched.get(fetchId);
              if (!known) {
                const f = fetchFor(metric, ctx);
                fetched.set(fetchId, (known = { f, outcome: outcomes.get(fetchKey(f)) as FetchOutcome }));
              }
              const { f, outcome } = known;
              inputs.push({
                metric: name,
                kind: metric.kind,
                connector: f.connector,
                aggregate: f.aggregate,
                fetchedAt: outcome.fetchedAt,
                cache: outcome.cache,
              });
              if (outcome.error) {
                error ??= outcome.error;
                return null;
              }
              const rows = outcome.rows!;
              if (metric.kind === 'FLOW' && metricValue(metric, name, rows, '*', ctx) === 0) {
                // The department holds no record of this flow for the period anywhere in the call's area.
                noData = true;
                return null;
              }
              return metricValue(metric, name, rowsIn(rows, region.code, root), '', ctx);
            }
          }
        };

        const numerator = valueOf(d.numerator);
        const denominator = d.denominator ? valueOf(d.denominator) : null;
        let status: ValueStatus;
        let value: number | null = null;
        if (error) status = 'PARTIAL';
        else {
          const computed = indicatorValue(d.factor, numerator, denominator, d.denominator !== null);
          status = !periodTypeOk || noData ? 'NO_DATA' : computed.status;
          value = status === 'OK' && computed.value !== null ? roundTo(computed.value, d.decimals) : null;
        }

        const identityChecks: IdentityCheck[] = d.identities.map((identity) => {
          const parts = identity.equals.map(valueOf);
          const total = parts.some((p) => p === null) ? null : parts.reduce((a, b) => a! + b!, 0);
          return {
            description: identity.description ?? `${d.numerator} = ${identity.equals.join(' + ')}`,
            holds: numerator === null || total === null ? true : numerator === total,
            value: numerator,
            parts: total,
          };
        });
        for (const check of identityChecks.filter((c) => !c.holds))
          notes.push(`identity violated 恒等式不成立: ${check.description} (${check.value} ≠ ${check.parts})`);

        let shownNumerator = numerator;
        let shownDenominator = denominator;
        const countsPeople = [d.numerator, d.denominator].some((m) => m && METRICS[m]?.countsPeople);
        const small = (n: number | null) => n !== null && n > 0 && n < env.suppressionThreshold;
        if (countsPeople && !viewer.recordLevel && region.code.length > 6 && (small(numerator) || small(denominator))) {
          status = 'SUPPRESSED';
          value = null;
          shownNumerator = null;
          shownDenominator = null;
          notes.push(`counts below ${env.suppressionThreshold} are suppressed below district level 小数抑制`);
        }

        const planRegion = Object.keys(d.targets)[0] ?? null;
        const inPlan = planRegion === region.code;
        const targetYear = inPlan
          ? d.targets[region.code]![String(period.year)] !== undefined
            ? period.year
            : d.targetYear
          : null;
        const target = inPlan ? (d.targets[region.code]![String(targetYear)] ?? null) : null;
        const baseline = inPlan ? d.baseline : null;
        const differenceFromBaseline =
          inPlan && baseline !== null && value !== null && period.year === d.baselineYear
            ? roundTo(value - baseline, d.decimals)
            : null;
        if (differenceFromBaseline)
          notes.push(`computed ${value} differs from the published baseline ${baseline} 与规划现状值不同`);

        const asOf = new Map<string, string>();
        for (const input of inputs) {
          if (
            input.connector &&
            input.fetchedAt &&
            (!asOf.has(input.connector) || input.fetchedAt < asOf.get(input.connector)!)
          ) {
            asOf.set(input.connector, input.fetchedAt);
          }
        }
        values.push({
          definition: d,
          regionCode: region.code,
          regionLevel: region.level,
          period: period.id,
          periodType: period.type,
          value,
          numerator: shownNumerator,
          denominator: shownDenominator,
          basis: d.basis || request.basis ? basis : null,
          status,
          notes,
          baseline,
          baselineNote: inPlan ? d.baselineNote : null,
          differenceFromBaseline,
          target,
          targetYear,
          attainment: attainment(value, baseline, target, d.direction),
          targetStatus: targetStatus(value, baseline, target, d.direction, {
            baselineYear: d.baselineYear,
            targetYear: d.targetYear,
            year: period.year,
          }),
          identityChecks,
          definitionVersion: d.version,
          computedAt,
          sourcesAsOf: [...asOf]
            .map(([connector, at]) => ({ connector, asOf: at }))
            .sort((a, b) => a.connector.localeCompare(b.connector)),
          inputs,
          runId,
          error,
        });
      }
    }
  }
  await persistRun(env, runId, viewer, request, definitions, [...outcomes.values()], values, computedAt, fetches);
  const result = { runId, values, departmentCalls };
  // A failed input is a new object every time: such a computation is never reused.
  remembered.set(requestKey, { inputs: inputsRead, result: { ...result, departmentCalls: 0 } });
  return result;
}

async function persistRun(
  env: IndicatorEnvironment,
  runId: string,
  viewer: IndicatorViewer,
  request: IndicatorRequest,
  definitions: IndicatorDefinition[],
  outcomes: FetchOutcome[],
  values: IndicatorValueResult[],
  computedAt: string,
  fetches: CachedFetch[] = [],
): Promise<void> {
  const queries = new Map(fetches.map((f) => [fetchKey(f), f]));
  const failed = outcomes.some((o) => o.error);
  const event = {
    eventType: failed ? 'FAIL' : 'COMPLETE',
    eventTime: computedAt,
    producer: 'https://yilao-yixiao-hub/indicators',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent',
    run: {
      runId,
      facets: {
        request: { ...request, referenceDate: env.referenceDate, consumer: viewer.consumerCode, regionScope: viewer.regionScope },
      },
    },
    job: {
      namespace: 'yilao-yixiao-hub',
      name: 'indicators',
      facets: { definitions: definitions.map((d) => ({ code: d.code, version: d.version })) },
    },
    inputs: outcomes.map((o) => {
      const f = queries.get(o.key)!;
      return {
        namespace: `connector:${f.connector}`,
        name: f.aggregate,
        facets: {
          query: f.query,
          asOf: o.fetchedAt,
          cache: o.cache,
          dataVersion: o.dataVersion,
          error: o.error ? o.error.reason : null,
        },
      };
    }),
    outputs: [
      {
        namespace: 'yilao-yixiao-hub',
        name: 'indicator_values',
        facets: {
          values: values.map((v) => ({
            code: v.definition.code,
            version: v.definitionVersion,
            regionCode: v.regionCode,
            period: v.period,
            value: v.value,
            numerator: v.numerator,
            denominator: v.denominator,
            status: v.status,
            reported: v.inputs.some((i) => i.kind === 'REPORTED'),
          })),
        },
      },
    ],
  };
  // The event as one JSON text, on the pool: Prisma's create walks a Json value node by node, and its raw path
  // copies the text; for a run's hundreds of outputs either was the largest cost of a warm request.
  await executeWithJsonText(env.prisma, 'INSERT INTO indicator_run (id, consumer_code, event) VALUES ($1::uuid, $2, $3::jsonb)', [
    runId,
    viewer.consumerCode,
    JSON.stringify(event),
  ]);
}

export async function indicatorRun(prisma: PrismaClient, id: string) {
  return prisma.indicatorRun.findUnique({ where: { id } });
}

export type { ConnectorName };
