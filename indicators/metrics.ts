/**
 * The metric catalogue: the named, typed aggregates indicator definitions refer to by name (numerator and
 * denominator). A department metric says which connector aggregate it reads (the `Fetch`: aggregate, group-by
 * dimensions, filters) and how a region's value follows from the rows that lie in the region. Metrics with the
 * same fetch share one department call, so all of civil affairs' facility figures cost one call for every
 * region and indicator of a request.
 *
 * Kinds: STOCK (a register as of a day: facilities, beds, people in a situation), FLOW (what happened during
 * the period: services received, visits), REGION_TREE (the hub's own region tree), REPORTED (entered through
 * reportIndicatorValue), COMPOSITE (the sum of other metrics; its parts are fetched as theirs).
 *
 * Each department metric is written against the typed aggregate API (`departmentMetric(connector, aggregate,
 * …)`): its group-by dimensions, filters and measures are checked against the department's published
 * interface at compile time, and `value` reads typed rows (`sumMeasure(rows, 'bedsTotal')`). `records` names the
 * entity list whose records are behind the figure (indicatorDrillDown), with the filter that reproduces the
 * aggregate exactly, and the field each record contributes (absent: each record counts 1).
 */
import type { AggregateQueryOf } from '../connectors/contract';
import type { ConnectorName } from '../connectors/department-interface';
import type {
  AggregateName,
  AggregateRow,
  AggregateRowOf,
  DimensionName,
  ListableEntityName,
  ListFilter,
  AggregatedEntity,
} from '../connectors/departments';
import { addYears, nextDay } from '../domain/periods';
import { sumMeasure } from '../resolvers/region-statistics';

export type PopulationBasis = 'RESIDENT' | 'REGISTERED';
export type MetricKind = 'STOCK' | 'FLOW' | 'REGION_TREE' | 'REPORTED' | 'COMPOSITE';

/** One department aggregate call, without the region (the engine adds the call's root region and level). */
export interface Fetch<C extends ConnectorName = ConnectorName, A extends AggregateName<C> = AggregateName<C>> {
  connector: C;
  aggregate: A;
  groupBy: Array<DimensionName<C, A>>;
  filter: ListFilter<C, AggregatedEntity<C, A>>;
  /** Rows are needed per community (e.g. to count communities with a canteen). */
  communityRows?: boolean;
}

/** What a fetch depends on: the day stocks are read on, the days a flow covers, the population basis. */
export interface FetchContext {
  asOf: string;
  from: string;
  to: string;
  basis: PopulationBasis;
}

/** The records behind a metric: an entity list of one department, filtered so that it reproduces the figure. */
export interface MetricRecords<C extends ConnectorName = ConnectorName, E extends ListableEntityName<C> = ListableEntityName<C>> {
  connector: C;
  entity: E;
  /** What the records are: facilities, childcare institutions, kindergartens, or people (personal data). */
  recordType: 'FACILITY' | 'CHILDCARE_INSTITUTION' | 'KINDERGARTEN' | 'PERSON';
  filter: (ctx: FetchContext) => ListFilter<C, E>;
  /** The record field each record contributes to the figure (a sum); absent: each record counts 1. */
  contribution?: string;
}

export interface DepartmentMetric {
  kind: 'STOCK' | 'FLOW';
  description: string;
  /** Counts people (small counts of it are suppressed for aggregate-only consumers). */
  countsPeople: boolean;
  fetch(ctx: FetchContext): Fetch;
  /** The value from the rows of one region (already restricted to it). */
  value(rows: AggregateRow[], ctx: FetchContext): number;
  /** The records behind the metric, for drill-down (absent: the figure has no list that reproduces it). */
  records?: MetricRecords;
}

export type Metric =
  | DepartmentMetric
  | { kind: 'REGION_TREE'; description: string; countsPeople: false }
  | { kind: 'REPORTED'; description: string; countsPeople: false }
  | { kind: 'COMPOSITE'; description: string; countsPeople: boolean; parts: string[] };

/** A metric over aggregate A of department C, checked against its published interface. */
interface TypedMetric<C extends ConnectorName, A extends AggregateName<C>, E extends ListableEntityName<C>> {
  kind: 'STOCK' | 'FLOW';
  description: string;
  countsPeople: boolean;
  fetch(ctx: FetchContext): Omit<Fetch<C, A>, 'connector' | 'aggregate'>;
  value(rows: Array<AggregateRowOf<C, A>>, ctx: FetchContext): number;
  records?: Omit<MetricRecords<C, E>, 'connector'>;
}

/** Declares a metric over `aggregate` of `connector` (names, dimensions, filters and measures type-checked). */
function departmentMetric<
  C extends ConnectorName,
  A extends AggregateName<C>,
  E extends ListableEntityName<C> = ListableEntityName<C>,
>(connector: C, aggregate: A, metric: TypedMetric<C, A, E>): DepartmentMetric {
  return {
    kind: metric.kind,
    description: metric.description,
    countsPeople: metric.countsPeople,
    fetch: (ctx) => ({ connector, aggregate, ...metric.fetch(ctx) }),
    value: (rows, ctx) => metric.value(rows as Array<AggregateRowOf<C, A>>, ctx),
    ...(metric.records ? { records: { connector, ...metric.records } } : {}),
  };
}

/** The aggregate query a fetch makes for a region (root) at a level. */
export type FetchQuery<C extends ConnectorName = ConnectorName, A extends AggregateName<C> = AggregateName<C>> = AggregateQueryOf<
  C,
  A
>;

const CARE_KINDS = ['FULL_CARE_INSTITUTION', 'STREET_CENTRE', 'COMMUNITY_STATION'] as const;
const isCareKind = (kind: unknown) => (CARE_KINDS as readonly unknown[]).includes(kind);

// Metrics over one aggregate share one fetch (same dimensions, no filter): one department call for all of them.
const beds = () => ({ groupBy: ['kind' as const, 'ownership' as const, 'subtype' as const], filter: {}, communityRows: true });
const elderlyStatus = () => ({
  groupBy: [
    'specialHardship' as const,
    'specialDifficulty' as const,
    'capabilityLevel' as const,
    'careKind' as const,
    'declinesCentralCare' as const,
  ],
  filter: {},
});
const childcare = () => ({ groupBy: ['filingStatus' as const, 'registrationAuthority' as const], filter: {} });
const nursery = () => ({ groupBy: ['ownership' as const], filter: {} });

/** People by residence type and birth year (exact for ages on 31 December), else by birth-date filters. */
const inBasis = (basis: PopulationBasis) => (row: { residenceType?: unknown }) =>
  basis === 'RESIDENT' ? row.residenceType !== 'REGISTERED_ONLY' : row.residenceType !== 'RESIDENT_ONLY';
const basisTypes = (basis: PopulationBasis): Array<'REGISTERED_RESIDENT' | 'RESIDENT_ONLY' | 'REGISTERED_ONLY'> =>
  basis === 'RESIDENT' ? ['REGISTERED_RESIDENT', 'RESIDENT_ONLY'] : ['REGISTERED_RESIDENT', 'REGISTERED_ONLY'];
const yearEnd = (asOf: string) => asOf.endsWith('-12-31');
const population = (ctx: FetchContext, filter: { bornOnOrBefore?: string; bornOnOrAfter?: string }) =>
  yearEnd(ctx.asOf)
    ? { groupBy: ['birthYear' as const, 'residenceType' as const], filter: {} }
    : { groupBy: ['residenceType' as const], filter };
const aged60Born = (asOf: string) => addYears(asOf, -60);
const under3Born = (asOf: string) => nextDay(addYears(asOf, -3));

/** Basic services received during [from, to]. */
const services = (ctx: FetchContext, extra: { service?: Array<'MONTHLY_VISIT'>; atHome?: boolean } = {}) => ({
  groupBy: [],
  filter: { startsOnOrBefore: ctx.to, endsOnOrAfter: ctx.from, ...extra },
});

const facilityRecords = (filter: ListFilter<'civil-affairs', 'institution'> = {}, contribution?: string) => ({
  entity: 'institution' as const,
  recordType: 'FACILITY' as const,
  filter: () => filter,
  ...(contribution ? { contribution } : {}),
});
const elderlyRecords = (filter: ListFilter<'civil-affairs', 'elderlyStatus'>) => ({
  entity: 'elderlyStatus' as const,
  recordType: 'PERSON' as const,
  filter: () => filter,
});

export const METRICS: Record<string, Metric> = {
  facilityBeds: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: "养老床位 Σ bedsTotal of civil affairs' facilities",
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'bedsTotal'),
    records: facilityRecords({}, 'bedsTotal'),
  }),
  nursingBeds: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '护理型床位 Σ bedsNursing',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'bedsNursing'),
    records: facilityRecords({}, 'bedsNursing'),
  }),
  safetyNetBeds: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '兜底性床位 Σ bedsSafetyNet',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'bedsSafetyNet'),
    records: facilityRecords({}, 'bedsSafetyNet'),
  }),
  publicBeds: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '公办床位 Σ bedsTotal of PUBLIC facilities',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'bedsTotal', (r) => r.ownership === 'PUBLIC'),
    records: facilityRecords({ ownership: 'PUBLIC' }, 'bedsTotal'),
  }),
  streetCentres: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '街道养老服务中心 facilities of kind STREET_CENTRE',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'facilities', (r) => r.kind === 'STREET_CENTRE'),
    records: facilityRecords({ kind: ['STREET_CENTRE'] }),
  }),
  communityStations: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '社区养老服务站 facilities of kind COMMUNITY_STATION',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'facilities', (r) => r.kind === 'COMMUNITY_STATION'),
    records: facilityRecords({ kind: ['COMMUNITY_STATION'] }),
  }),
  careFacilities: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '养老服务设施 facilities of kinds FULL_CARE_INSTITUTION, STREET_CENTRE, COMMUNITY_STATION',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'facilities', (r) => isCareKind(r.kind)),
    records: facilityRecords({ kind: [...CARE_KINDS] }),
  }),
  sociallyOperatedCareFacilities: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '社会化运营设施 PRIVATE-run facilities of those kinds',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sumMeasure(rows, 'facilities', (r) => isCareKind(r.kind) && r.ownership === 'PRIVATE'),
    records: facilityRecords({ kind: [...CARE_KINDS], ownership: 'PRIVATE' }),
  }),
  canteenCommunities: departmentMetric('civil-affairs', 'beds', {
    kind: 'STOCK',
    description: '有社区食堂的社区 communities in which a COMMUNITY_CANTEEN facility lies',
    countsPeople: false,
    fetch: beds,
    value: (rows) =>
      new Set(
        rows
          .filter((r) => r.subtype === 'COMMUNITY_CANTEEN' && r.facilities > 0 && !String(r.regionCode).endsWith('000'))
          .map((r) => r.regionCode),
      ).size,
  }),
  communities: { kind: 'REGION_TREE', description: '社区数 communities of the region tree', countsPeople: false },
  homeCareBeds: departmentMetric('civil-affairs', 'elderlyStatus', {
    kind: 'STOCK',
    description: "家庭养老床位 care arrangements of kind HOME_CARE_BED, by the elderly person's region",
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sumMeasure(rows, 'persons', (r) => r.careKind === 'HOME_CARE_BED'),
    records: elderlyRecords({ careKind: ['HOME_CARE_BED'] }),
  }),
  disabledHardshipInInstitution: departmentMetric('civil-affairs', 'elderlyStatus', {
    kind: 'STOCK',
    description: '集中供养的失能特困人员 特困 with capability level ≥ 2 living in an institution',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) =>
      sumMeasure(
        rows,
        'persons',
        (r) => r.specialHardship === true && Number(r.capabilityLevel ?? -1) >= 2 && r.careKind === 'INSTITUTION',
      ),
    records: elderlyRecords({ specialHardship: true, capabilityLevelAtLeast: 2, careKind: ['INSTITUTION'] }),
  }),
  disabledHardshipWilling: departmentMetric('civil-affairs', 'elderlyStatus', {
    kind: 'STOCK',
    description:
      '有意愿的失能特困人员 特困 with capability level ≥ 2 who have not declined central care (集中供养意愿; not recorded: counted)',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) =>
      sumMeasure(
        rows,
        'persons',
        (r) => r.specialHardship === true && Number(r.capabilityLevel ?? -1) >= 2 && r.declinesCentralCare !== true,
      ),
    records: elderlyRecords({ specialHardship: true, capabilityLevelAtLeast: 2, declinesCentralCare: false }),
  }),
  specialDifficultyElderly: departmentMetric('civil-affairs', 'elderlyStatus', {
    kind: 'STOCK',
    description: '特殊困难老年人 elderly with any of 特困, 低保, 经济困难, 计生特殊, 独居',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sumMeasure(rows, 'persons', (r) => r.specialDifficulty === true),
    records: elderlyRecords({ specialDifficulty: true }),
  }),
  specialDifficultyAtHome: departmentMetric('civil-affairs', 'elderlyStatus', {
    kind: 'STOCK',
    description: '居家特殊困难老年人 elderly in special difficulty without an INSTITUTION care arrangement',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sumMeasure(rows, 'persons', (r) => r.specialDifficulty === true && r.careKind !== 'INSTITUTION'),
  }),
  specialDifficultyServed: departmentMetric('civil-affairs', 'basicServices', {
    kind: 'FLOW',
    description:
      '获得基本养老服务的特殊困难老年人 receiving a subsidy, visit, home-care bed, institution place or meal assistance in the period',
    countsPeople: true,
    fetch: (ctx) => services(ctx),
    value: (rows) => sumMeasure(rows, 'recipients'),
  }),
  specialDifficultyVisited: departmentMetric('civil-affairs', 'basicServices', {
    kind: 'FLOW',
    description: '当月获探访的居家特殊困难老年人 visited during the month, living at home',
    countsPeople: true,
    fetch: (ctx) => services(ctx, { service: ['MONTHLY_VISIT'], atHome: true }),
    value: (rows) => sumMeasure(rows, 'recipients'),
  }),
  population: departmentMetric('public-security', 'population', {
    kind: 'STOCK',
    description: '人口 persons (basis RESIDENT 常住 or REGISTERED 户籍)',
    countsPeople: true,
    fetch: (ctx) => population(ctx, {}),
    value: (rows, ctx) => sumMeasure(rows, 'persons', inBasis(ctx.basis)),
    records: { entity: 'person', recordType: 'PERSON', filter: (ctx) => ({ residenceType: basisTypes(ctx.basis) }) },
  }),
  aged60Plus: departmentMetric('public-security', 'population', {
    kind: 'STOCK',
    description: '60岁及以上人口 persons aged 60+ on the day',
    countsPeople: true,
    fetch: (ctx) => population(ctx, { bornOnOrBefore: aged60Born(ctx.asOf) }),
    value: (rows, ctx) =>
      sumMeasure(
        rows,
        'persons',
        (r) => inBasis(ctx.basis)(r) && (r.birthYear === undefined || Number(r.birthYear) <= Number(ctx.asOf.slice(0, 4)) - 60),
      ),
    records: {
      entity: 'person',
      recordType: 'PERSON',
      filter: (ctx) => ({ bornOnOrBefore: aged60Born(ctx.asOf), residenceType: basisTypes(ctx.basis) }),
    },
  }),
  under3: departmentMetric('public-security', 'population', {
    kind: 'STOCK',
    description: '0-3岁婴幼儿 persons under 3 on the day',
    countsPeople: true,
    fetch: (ctx) => population(ctx, { bornOnOrAfter: under3Born(ctx.asOf) }),
    value: (rows, ctx) =>
      sumMeasure(
        rows,
        'persons',
        (r) => inBasis(ctx.basis)(r) && (r.birthYear === undefined || Number(r.birthYear) >= Number(ctx.asOf.slice(0, 4)) - 2),
      ),
    records: {
      entity: 'person',
      recordType: 'PERSON',
      filter: (ctx) => ({ bornOnOrAfter: under3Born(ctx.asOf), bornOnOrBefore: ctx.asOf, residenceType: basisTypes(ctx.basis) }),
    },
  }),
  managedInfants: departmentMetric('health', 'infantManagement', {
    kind: 'STOCK',
    description: '纳入健康管理的3岁以下儿童 children under 3 whose management status is MANAGED',
    countsPeople: true,
    fetch: (ctx) => ({
      groupBy: [],
      filter: { bornOnOrAfter: under3Born(ctx.asOf), bornOnOrBefore: ctx.asOf, managedOnOrAfter: ctx.asOf },
    }),
    value: (rows) => sumMeasure(rows, 'children'),
    records: {
      entity: 'infantManagement',
      recordType: 'PERSON',
      filter: (ctx) => ({ bornOnOrAfter: under3Born(ctx.asOf), bornOnOrBefore: ctx.asOf, managedOnOrAfter: ctx.asOf }),
    },
  }),
  filedChildcarePlaces: departmentMetric('health', 'childcarePlaces', {
    kind: 'STOCK',
    description: '备案托育机构托位 Σ places of FILED childcare institutions',
    countsPeople: false,
    fetch: childcare,
    value: (rows) => sumMeasure(rows, 'places', (r) => r.filingStatus === 'FILED'),
    records: {
      entity: 'childcareInstitution',
      recordType: 'CHILDCARE_INSTITUTION',
      filter: () => ({ filingStatus: ['FILED' as const] }),
      contribution: 'places',
    },
  }),
  publicFiledChildcarePlaces: departmentMetric('health', 'childcarePlaces', {
    kind: 'STOCK',
    description: '机关事业单位登记的备案托育机构托位 filed, registered with PUBLIC_SECTOR',
    countsPeople: false,
    fetch: childcare,
    value: (rows) => sumMeasure(rows, 'places', (r) => r.filingStatus === 'FILED' && r.registrationAuthority === 'PUBLIC_SECTOR'),
  }),
  nurseryClassPlaces: departmentMetric('education', 'nurseryPlaces', {
    kind: 'STOCK',
    description: '幼儿园托班托位 Σ nurseryClassPlaces of kindergartens',
    countsPeople: false,
    fetch: nursery,
    value: (rows) => sumMeasure(rows, 'places'),
    records: { entity: 'kindergarten', recordType: 'KINDERGARTEN', filter: () => ({}), contribution: 'nurseryClassPlaces' },
  }),
  publicNurseryClassPlaces: departmentMetric('education', 'nurseryPlaces', {
    kind: 'STOCK',
    description: '公办幼儿园托班托位 of PUBLIC kindergartens',
    countsPeople: false,
    fetch: nursery,
    value: (rows) => sumMeasure(rows, 'places', (r) => r.ownership === 'PUBLIC'),
    records: {
      entity: 'kindergarten',
      recordType: 'KINDERGARTEN',
      filter: () => ({ ownership: 'PUBLIC' as const }),
      contribution: 'nurseryClassPlaces',
    },
  }),
  childcarePlaces: {
    kind: 'COMPOSITE',
    description: '托位数 filed childcare places + kindergarten nursery-class places',
    countsPeople: false,
    parts: ['filedChildcarePlaces', 'nurseryClassPlaces'],
  },
  publicChildcarePlaces: {
    kind: 'COMPOSITE',
    description: '公办托位数 public filed childcare places + public nursery-class places',
    countsPeople: false,
    parts: ['publicFiledChildcarePlaces', 'publicNurseryClassPlaces'],
  },
  reported: { kind: 'REPORTED', description: '上报值 reported value (reportIndicatorValue)', countsPeople: false },
};

export const METRIC_NAMES = Object.keys(METRICS);
