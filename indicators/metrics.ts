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
 */
import type { ConnectorName } from '../connectors/department-interface';
import type { AggregateRow } from '../connectors/contract';
import { addYears, nextDay } from '../domain/periods';

export type PopulationBasis = 'RESIDENT' | 'REGISTERED';
export type MetricKind = 'STOCK' | 'FLOW' | 'REGION_TREE' | 'REPORTED' | 'COMPOSITE';

export interface Fetch {
  connector: ConnectorName;
  aggregate: string;
  groupBy: string[];
  filter: Record<string, unknown>;
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

export interface DepartmentMetric {
  kind: 'STOCK' | 'FLOW';
  description: string;
  /** Counts people (small counts of it are suppressed for aggregate-only consumers). */
  countsPeople: boolean;
  fetch(ctx: FetchContext): Fetch;
  /** The value from the rows of one region (already restricted to it). */
  value(rows: AggregateRow[], ctx: FetchContext): number;
  /** The records behind the metric, for drill-down: entity and list filter. */
  records?: { entity: 'institution' | 'childcareInstitution' | 'kindergarten' | 'elderlyStatus' | 'person'; filter: (ctx: FetchContext) => Record<string, unknown> };
}

export type Metric =
  | DepartmentMetric
  | { kind: 'REGION_TREE'; description: string; countsPeople: false }
  | { kind: 'REPORTED'; description: string; countsPeople: false }
  | { kind: 'COMPOSITE'; description: string; countsPeople: boolean; parts: string[] };

export const sum = (rows: AggregateRow[], measure: string, where: (row: AggregateRow) => boolean = () => true) =>
  rows.filter(where).reduce((total, row) => total + Number(row[measure] ?? 0), 0);

const CARE_KINDS = ['FULL_CARE_INSTITUTION', 'STREET_CENTRE', 'COMMUNITY_STATION'];

const beds = (): Fetch => ({ connector: 'civil-affairs', aggregate: 'beds', groupBy: ['kind', 'ownership', 'subtype'], filter: {}, communityRows: true });
const elderlyStatus = (): Fetch => ({
  connector: 'civil-affairs',
  aggregate: 'elderlyStatus',
  groupBy: ['specialHardship', 'specialDifficulty', 'capabilityLevel', 'careKind'],
  filter: {},
});
const childcare = (): Fetch => ({ connector: 'health', aggregate: 'childcarePlaces', groupBy: ['filingStatus', 'registrationAuthority'], filter: {} });
const nursery = (): Fetch => ({ connector: 'education', aggregate: 'nurseryPlaces', groupBy: ['ownership'], filter: {} });

/** People by residence type and birth year (exact for ages on 31 December), else by birth-date filters. */
const inBasis = (basis: PopulationBasis) => (row: AggregateRow) =>
  basis === 'RESIDENT' ? row.residenceType !== 'REGISTERED_ONLY' : row.residenceType !== 'RESIDENT_ONLY';
const yearEnd = (asOf: string) => asOf.endsWith('-12-31');
const population = (ctx: FetchContext, filter: Record<string, unknown>): Fetch =>
  yearEnd(ctx.asOf)
    ? { connector: 'public-security', aggregate: 'population', groupBy: ['birthYear', 'residenceType'], filter: {} }
    : { connector: 'public-security', aggregate: 'population', groupBy: ['residenceType'], filter };
const aged60Born = (asOf: string) => addYears(asOf, -60);
const under3Born = (asOf: string) => nextDay(addYears(asOf, -3));

/** Basic services received during [from, to]. */
const services = (ctx: FetchContext, extra: Record<string, unknown> = {}): Fetch => ({
  connector: 'civil-affairs',
  aggregate: 'basicServices',
  groupBy: [],
  filter: { startsOnOrBefore: ctx.to, endsOnOrAfter: ctx.from, ...extra },
});

export const METRICS: Record<string, Metric> = {
  facilityBeds: {
    kind: 'STOCK',
    description: '养老床位 Σ bedsTotal of civil affairs\' facilities',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'bedsTotal'),
    records: { entity: 'institution', filter: () => ({}) },
  },
  nursingBeds: {
    kind: 'STOCK',
    description: '护理型床位 Σ bedsNursing',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'bedsNursing'),
    records: { entity: 'institution', filter: () => ({}) },
  },
  safetyNetBeds: {
    kind: 'STOCK',
    description: '兜底性床位 Σ bedsSafetyNet',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'bedsSafetyNet'),
    records: { entity: 'institution', filter: () => ({}) },
  },
  publicBeds: {
    kind: 'STOCK',
    description: '公办床位 Σ bedsTotal of PUBLIC facilities',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'bedsTotal', (r) => r.ownership === 'PUBLIC'),
    records: { entity: 'institution', filter: () => ({ ownership: 'PUBLIC' }) },
  },
  streetCentres: {
    kind: 'STOCK',
    description: '街道养老服务中心 facilities of kind STREET_CENTRE',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'facilities', (r) => r.kind === 'STREET_CENTRE'),
    records: { entity: 'institution', filter: () => ({ kind: ['STREET_CENTRE'] }) },
  },
  communityStations: {
    kind: 'STOCK',
    description: '社区养老服务站 facilities of kind COMMUNITY_STATION',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'facilities', (r) => r.kind === 'COMMUNITY_STATION'),
    records: { entity: 'institution', filter: () => ({ kind: ['COMMUNITY_STATION'] }) },
  },
  careFacilities: {
    kind: 'STOCK',
    description: '养老服务设施 facilities of kinds FULL_CARE_INSTITUTION, STREET_CENTRE, COMMUNITY_STATION',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'facilities', (r) => CARE_KINDS.includes(String(r.kind))),
    records: { entity: 'institution', filter: () => ({ kind: CARE_KINDS }) },
  },
  sociallyOperatedCareFacilities: {
    kind: 'STOCK',
    description: '社会化运营设施 PRIVATE-run facilities of those kinds',
    countsPeople: false,
    fetch: beds,
    value: (rows) => sum(rows, 'facilities', (r) => CARE_KINDS.includes(String(r.kind)) && r.ownership === 'PRIVATE'),
    records: { entity: 'institution', filter: () => ({ kind: CARE_KINDS, ownership: 'PRIVATE' }) },
  },
  canteenCommunities: {
    kind: 'STOCK',
    description: '有社区食堂的社区 communities in which a COMMUNITY_CANTEEN facility lies',
    countsPeople: false,
    fetch: beds,
    value: (rows) =>
      new Set(
        rows
          .filter((r) => r.subtype === 'COMMUNITY_CANTEEN' && Number(r.facilities) > 0 && !String(r.regionCode).endsWith('000'))
          .map((r) => r.regionCode),
      ).size,
    records: { entity: 'institution', filter: () => ({ kind: ['SUPPORTING_FACILITY'] }) },
  },
  communities: { kind: 'REGION_TREE', description: '社区数 communities of the region tree', countsPeople: false },
  homeCareBeds: {
    kind: 'STOCK',
    description: '家庭养老床位 care arrangements of kind HOME_CARE_BED, by the elderly person\'s region',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sum(rows, 'persons', (r) => r.careKind === 'HOME_CARE_BED'),
    records: { entity: 'elderlyStatus', filter: () => ({ careKind: ['HOME_CARE_BED'] }) },
  },
  disabledHardshipInInstitution: {
    kind: 'STOCK',
    description: '集中供养的失能特困人员 特困 with capability level ≥ 2 living in an institution',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sum(rows, 'persons', (r) => r.specialHardship === true && Number(r.capabilityLevel ?? -1) >= 2 && r.careKind === 'INSTITUTION'),
    records: { entity: 'elderlyStatus', filter: () => ({ specialHardship: true, capabilityLevelAtLeast: 2, careKind: ['INSTITUTION'] }) },
  },
  disabledHardshipWilling: {
    kind: 'STOCK',
    description: '有意愿的失能特困人员 特困 with capability level ≥ 2 (civil affairs publishes no willingness flag: all of them)',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sum(rows, 'persons', (r) => r.specialHardship === true && Number(r.capabilityLevel ?? -1) >= 2),
    records: { entity: 'elderlyStatus', filter: () => ({ specialHardship: true, capabilityLevelAtLeast: 2 }) },
  },
  specialDifficultyElderly: {
    kind: 'STOCK',
    description: '特殊困难老年人 elderly with any of 特困, 低保, 经济困难, 计生特殊, 独居',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sum(rows, 'persons', (r) => r.specialDifficulty === true),
    records: { entity: 'elderlyStatus', filter: () => ({ specialDifficulty: true }) },
  },
  specialDifficultyAtHome: {
    kind: 'STOCK',
    description: '居家特殊困难老年人 elderly in special difficulty without an INSTITUTION care arrangement',
    countsPeople: true,
    fetch: elderlyStatus,
    value: (rows) => sum(rows, 'persons', (r) => r.specialDifficulty === true && r.careKind !== 'INSTITUTION'),
  },
  specialDifficultyServed: {
    kind: 'FLOW',
    description: '获得基本养老服务的特殊困难老年人 receiving a subsidy, visit, home-care bed, institution place or meal assistance in the period',
    countsPeople: true,
    fetch: (ctx) => services(ctx),
    value: (rows) => sum(rows, 'recipients'),
  },
  specialDifficultyVisited: {
    kind: 'FLOW',
    description: '当月获探访的居家特殊困难老年人 visited during the month, living at home',
    countsPeople: true,
    fetch: (ctx) => services(ctx, { service: ['MONTHLY_VISIT'], atHome: true }),
    value: (rows) => sum(rows, 'recipients'),
  },
  population: {
    kind: 'STOCK',
    description: '人口 persons (basis RESIDENT 常住 or REGISTERED 户籍)',
    countsPeople: true,
    fetch: (ctx) => population(ctx, {}),
    value: (rows, ctx) => sum(rows, 'persons', inBasis(ctx.basis)),
    records: { entity: 'person', filter: () => ({}) },
  },
  aged60Plus: {
    kind: 'STOCK',
    description: '60岁及以上人口 persons aged 60+ on the day',
    countsPeople: true,
    fetch: (ctx) => population(ctx, { bornOnOrBefore: aged60Born(ctx.asOf) }),
    value: (rows, ctx) =>
      sum(rows, 'persons', (r) => inBasis(ctx.basis)(r) && (r.birthYear === undefined || Number(r.birthYear) <= Number(ctx.asOf.slice(0, 4)) - 60)),
    records: { entity: 'person', filter: (ctx) => ({ bornOnOrBefore: aged60Born(ctx.asOf) }) },
  },
  under3: {
    kind: 'STOCK',
    description: '0-3岁婴幼儿 persons under 3 on the day',
    countsPeople: true,
    fetch: (ctx) => population(ctx, { bornOnOrAfter: under3Born(ctx.asOf) }),
    value: (rows, ctx) =>
      sum(rows, 'persons', (r) => inBasis(ctx.basis)(r) && (r.birthYear === undefined || Number(r.birthYear) >= Number(ctx.asOf.slice(0, 4)) - 2)),
    records: { entity: 'person', filter: (ctx) => ({ bornOnOrAfter: under3Born(ctx.asOf) }) },
  },
  managedInfants: {
    kind: 'STOCK',
    description: '纳入健康管理的3岁以下儿童 children under 3 whose management status is MANAGED',
    countsPeople: true,
    fetch: (ctx) => ({
      connector: 'health',
      aggregate: 'infantManagement',
      groupBy: [],
      filter: { bornOnOrAfter: under3Born(ctx.asOf), bornOnOrBefore: ctx.asOf, managedOnOrAfter: ctx.asOf },
    }),
    value: (rows) => sum(rows, 'children'),
  },
  filedChildcarePlaces: {
    kind: 'STOCK',
    description: '备案托育机构托位 Σ places of FILED childcare institutions',
    countsPeople: false,
    fetch: childcare,
    value: (rows) => sum(rows, 'places', (r) => r.filingStatus === 'FILED'),
    records: { entity: 'childcareInstitution', filter: () => ({ filingStatus: ['FILED'] }) },
  },
  publicFiledChildcarePlaces: {
    kind: 'STOCK',
    description: '机关事业单位登记的备案托育机构托位 filed, registered with PUBLIC_SECTOR',
    countsPeople: false,
    fetch: childcare,
    value: (rows) => sum(rows, 'places', (r) => r.filingStatus === 'FILED' && r.registrationAuthority === 'PUBLIC_SECTOR'),
  },
  nurseryClassPlaces: {
    kind: 'STOCK',
    description: '幼儿园托班托位 Σ nurseryClassPlaces of kindergartens',
    countsPeople: false,
    fetch: nursery,
    value: (rows) => sum(rows, 'places'),
    records: { entity: 'kindergarten', filter: () => ({}) },
  },
  publicNurseryClassPlaces: {
    kind: 'STOCK',
    description: '公办幼儿园托班托位 of PUBLIC kindergartens',
    countsPeople: false,
    fetch: nursery,
    value: (rows) => sum(rows, 'places', (r) => r.ownership === 'PUBLIC'),
    records: { entity: 'kindergarten', filter: () => ({ ownership: 'PUBLIC' }) },
  },
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
