/**
 * Drill-down: the records behind one side (numerator or denominator) of one indicator value — facilities,
 * childcare institutions, kindergartens or people — as one forward-paged list.
 *
 * Contract of `indicatorDrillDown`:
 * - the side's metric must be a department metric (or a composite of them) whose `records` reproduce the
 *   aggregate exactly (metrics.ts); otherwise BAD_USER_INPUT `DRILL_DOWN_UNAVAILABLE`. A period the data cannot
 *   answer is BAD_USER_INPUT `NO_DATA`; a region outside the consumer's scope FORBIDDEN;
 * - records are the metric's entity list with its filter and the region (departmentConnection: region scope, one
 *   department call per page); a composite's parts follow one another in one list (the cursor says which part);
 * - `totalCount` is the number of records behind the figure (all parts): for a count it equals the figure; for a
 *   sum each edge carries its `contribution` (beds, places), whose total over all pages equals the figure;
 * - people are the hub's `Person` records (public security, read through the request's loaders), so the same
 *   catalogue guard, masking and audit apply to them as to any read of a person.
 */
import { z } from 'zod';
import type { SourceRecord } from '../connectors/contract';
import type { DepartmentRecord } from '../connectors/departments';
import { BadUserInputError, NotFoundError } from '../domain/errors';
import { pageSize, type PageArgs } from '../domain/paging';
import { resolvePeriods } from '../domain/periods';
import { regionCodeSchema } from '../domain/regions';
import { departmentConnection, forwardConnection, type Connection } from '../resolvers/connection';
import type { HubContext } from '../resolvers/context';
import { seal, unseal } from '../resolvers/cursor-seal';
import { loadOne } from '../resolvers/department';
import { currentDefinitions } from './definitions';
import { departmentParts, periodContext } from './engine';
import { METRICS, type DepartmentMetric, type MetricRecords, type PopulationBasis } from './metrics';

export type DrillDownSide = 'NUMERATOR' | 'DENOMINATOR';

export interface DrillDownArgs extends PageArgs {
  code: string;
  regionCode: string;
  period: string;
  side: DrillDownSide;
  basis?: PopulationBasis | null;
}

/** One record behind the figure; exactly one of the record fields is set (`person` may be null: unknown to 公安). */
export interface DrillDownRecord {
  metric: string;
  recordType: MetricRecords['recordType'];
  contribution: number;
  record: DepartmentRecord | null;
}

export interface DrillDown extends Connection<DrillDownRecord> {
  code: string;
  regionCode: string;
  period: string;
  side: DrillDownSide;
  metric: string;
  parts: string[];
  basis: PopulationBasis;
}

const cursorSchema = z.tuple([z.number().int().min(0).max(16), z.string().nullable()]);

function decode(secret: string, cursor: string): [number, string | null] {
  try {
    return cursorSchema.parse(JSON.parse(unseal(secret, cursor) ?? ''));
  } catch {
    throw new BadUserInputError('after is not a cursor of this drill-down 游标无效', {
      field: 'after',
      reason: 'INVALID_CURSOR',
    });
  }
}

const unavailable = (metric: string) =>
  new BadUserInputError(`No record list reproduces metric ${metric} 该指标项无法下钻到记录`, {
    field: 'side',
    reason: 'DRILL_DOWN_UNAVAILABLE',
  });

export async function indicatorDrillDown(ctx: HubContext, args: DrillDownArgs): Promise<DrillDown> {
  const first = pageSize(args);
  const definition = (await currentDefinitions(ctx.prisma)).get(args.code);
  if (!definition)
    throw new BadUserInputError(`Unknown indicator ${args.code.slice(0, 64)} 未知指标`, {
      field: 'code',
      reason: 'UNKNOWN_INDICATOR',
    });
  const metricName = args.side === 'NUMERATOR' ? definition.numerator : definition.denominator;
  if (!metricName)
    throw new BadUserInputError(`${definition.code} is a count: it has no denominator 该指标无分母`, {
      field: 'side',
      reason: 'NO_DENOMINATOR',
    });
  if (!regionCodeSchema.safeParse(args.regionCode).success) {
    throw new BadUserInputError('Malformed region code 区划代码格式错误', {
      field: 'regionCode',
      reason: 'MALFORMED_REGION_CODE',
    });
  }
  if (!(await ctx.prisma.region.findUnique({ where: { code: args.regionCode } }))) {
    throw new NotFoundError(`Unknown region ${args.regionCode} 未知区划`, { field: 'regionCode', reason: 'UNKNOWN_REGION' });
  }
  ctx.access.assertInRegionScope(args.regionCode, `Records of region ${args.regionCode}`);
  const periods = resolvePeriods([args.period], ctx.indicatorSettings.referenceDate, 'period');
  if (periods.length !== 1)
    throw new BadUserInputError('Name one period 请指定一个期间', { field: 'period', reason: 'ONE_PERIOD' });
  const period = periods[0]!;
  const basis = args.basis ?? definition.basis ?? 'RESIDENT';
  const { ctx: fetchCtx, stockAnswers, flowAnswers } = periodContext(period, ctx.indicatorSettings.referenceDate, basis);

  const partNames = departmentParts(metricName);
  if (partNames.length === 0) throw unavailable(metricName);
  const parts = partNames.map((name) => {
    const metric = METRICS[name] as DepartmentMetric;
    if (!metric.records) throw unavailable(name);
    if (
      !(metric.kind === 'STOCK' ? stockAnswers : flowAnswers) ||
      (definition.periodTypes && !definition.periodTypes.includes(period.type))
    ) {
      throw new BadUserInputError(`The data cannot answer period ${period.id} 该期间无数据`, {
        field: 'period',
        reason: 'NO_DATA',
      });
    }
    return { name, records: metric.records };
  });

  const secret = ctx.secrets.cursorSecret;
  const [startPart, startAfter] = args.after ? decode(secret, args.after) : [0, null];
  if (startPart >= parts.length)
    throw new BadUserInputError('after is not a cursor of this drill-down 游标无效', {
      field: 'after',
      reason: 'INVALID_CURSOR',
    });

  const page = (index: number, size: number, after: string | null) => {
    const { name, records } = parts[index]!;
    const filter = { ...records.filter(fetchCtx), regionCode: args.regionCode };
    return departmentConnection(ctx, records.connector, records.entity, filter, { first: size, after }, (source) =>
      toRecord(ctx, name, records, source),
    );
  };

  const edges: DrillDown['edges'] = [];
  let totalCount = 0;
  let hasNextPage = false;
  let full = false;
  for (let index = 0; index < parts.length; index++) {
    if (index < startPart || full) {
      // Parts before the cursor's, or after a full page: only their size is needed.
      const counted = await page(index, 1, null);
      totalCount += counted.totalCount;
      if (full && counted.totalCount > 0) hasNextPage = true;
      continue;
    }
    const got = await page(index, first - edges.length, index === startPart ? startAfter : null);
    totalCount += got.totalCount;
    for (const edge of got.edges) edges.push({ cursor: seal(secret, JSON.stringify([index, edge.cursor])), node: edge.node });
    if (got.pageInfo.hasNextPage) hasNextPage = true;
    full = got.pageInfo.hasNextPage || edges.length >= first;
  }
  return {
    ...forwardConnection(edges, hasNextPage, totalCount),
    code: definition.code,
    regionCode: args.regionCode,
    period: period.id,
    side: args.side,
    metric: metricName,
    parts: partNames,
    basis,
  };
}

async function toRecord(ctx: HubContext, metric: string, records: MetricRecords, source: SourceRecord): Promise<DrillDownRecord> {
  const data = source.data;
  const contribution = records.contribution ? Number(data[records.contribution] ?? 0) : 1;
  if (records.recordType !== 'PERSON' || records.entity === 'person')
    return { metric, recordType: records.recordType, contribution, record: data };
  // People held by another department (civil affairs' elderly, health's infants) are read as 公安 persons.
  const person = await loadOne(ctx, 'public-security', 'person', String(data.citizenId));
  return { metric, recordType: 'PERSON', contribution, record: person };
}
