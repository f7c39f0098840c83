/**
 * Figures about a region that come from the departments' aggregates: population (公安), elderly-care
 * facilities and beds (民政), childcare institutions (卫健) and kindergarten childcare classes (教育).
 * Each figure is read through the request's loaders; a department failure becomes an error at that field
 * only (`toHubError`), so the rest of the response still arrives.
 *
 * Rows are typed by the aggregate's published measures and dimensions: `aggregateRows(ctx, 'civil-affairs',
 * 'beds', query)` gives `AggregateRowOf<'civil-affairs', 'beds'>[]`, and `sumMeasure(rows, 'bedsTotal')` accepts
 * only a measure of those rows.
 */
import type { ConnectorName } from '../connectors/department-interface';
import type { AggregateQueryOf } from '../connectors/contract';
import type { AggregateName, AggregateRowOf, MeasureOf } from '../connectors/departments';
import type { HubContext } from './context';
import { fromDepartment } from './department';

/**
 * The rows of one aggregate of one department, through the request's loaders. A region's figures are answered
 * only inside the consumer's region scope (FORBIDDEN otherwise).
 */
export function aggregateRows<C extends ConnectorName, A extends AggregateName<C>>(
  ctx: HubContext,
  connector: C,
  name: A,
  query: AggregateQueryOf<C, A>,
): Promise<Array<AggregateRowOf<C, A>>> {
  ctx.access.assertInRegionScope(query.regionCode, `Statistics of region ${query.regionCode}`);
  return ctx.loaders.aggregate(connector, name, query);
}

/** Total of one measure over the aggregate rows that pass `where` (every row has every measure). */
export const sumMeasure = <TRow extends object>(
  rows: readonly TRow[],
  measure: MeasureOf<TRow>,
  where: (row: TRow) => boolean = () => true,
) => rows.filter(where).reduce((total, row) => total + Number(row[measure]), 0);

export interface RegionPopulation {
  resident: number;
  registered: number;
  registeredResident: number;
  residentOnly: number;
  registeredOnly: number;
}

export function regionPopulation(ctx: HubContext, regionCode: string): Promise<RegionPopulation> {
  return fromDepartment(async () => {
    const rows = await aggregateRows(ctx, 'public-security', 'population', { regionCode, groupBy: ['residenceType'] });
    const of = (type: string) => sumMeasure(rows, 'persons', (r) => r.residenceType === type);
    const registeredResident = of('REGISTERED_RESIDENT');
    const residentOnly = of('RESIDENT_ONLY');
    const registeredOnly = of('REGISTERED_ONLY');
    return {
      resident: registeredResident + residentOnly,
      registered: registeredResident + registeredOnly,
      registeredResident,
      residentOnly,
      registeredOnly,
    };
  });
}

export interface ElderlyCareCapacity {
  facilities: number;
  fullCareInstitutions: number;
  publicFullCareInstitutions: number;
  streetCentres: number;
  communityStations: number;
  supportingFacilities: number;
  beds: number;
  publicBeds: number;
  nursingBeds: number;
  safetyNetBeds: number;
  inclusiveBeds: number;
  occupiedBeds: number;
}

export function elderlyCareCapacity(ctx: HubContext, regionCode: string): Promise<ElderlyCareCapacity> {
  return fromDepartment(async () => {
    const rows = await aggregateRows(ctx, 'civil-affairs', 'beds', { regionCode, groupBy: ['kind', 'ownership'] });
    const ofKind = (kind: string) => (r: AggregateRowOf<'civil-affairs', 'beds'>) => r.kind === kind;
    return {
      facilities: sumMeasure(rows, 'facilities'),
      fullCareInstitutions: sumMeasure(rows, 'facilities', ofKind('FULL_CARE_INSTITUTION')),
      publicFullCareInstitutions: sumMeasure(
        rows,
        'facilities',
        (r) => r.kind === 'FULL_CARE_INSTITUTION' && r.ownership === 'PUBLIC',
      ),
      streetCentres: sumMeasure(rows, 'facilities', ofKind('STREET_CENTRE')),
      communityStations: sumMeasure(rows, 'facilities', ofKind('COMMUNITY_STATION')),
      supportingFacilities: sumMeasure(rows, 'facilities', ofKind('SUPPORTING_FACILITY')),
      beds: sumMeasure(rows, 'bedsTotal'),
      publicBeds: sumMeasure(rows, 'bedsTotal', (r) => r.ownership === 'PUBLIC'),
      nursingBeds: sumMeasure(rows, 'bedsNursing'),
      safetyNetBeds: sumMeasure(rows, 'bedsSafetyNet'),
      inclusiveBeds: sumMeasure(rows, 'bedsInclusive'),
      occupiedBeds: sumMeasure(rows, 'bedsOccupied'),
    };
  });
}

export interface ChildcareInstitutionCapacity {
  institutions: number;
  filedInstitutions: number;
  places: number;
  inclusivePlaces: number;
  enrolled: number;
}

export function childcareInstitutionCapacity(ctx: HubContext, regionCode: string): Promise<ChildcareInstitutionCapacity> {
  return fromDepartment(async () => {
    const rows = await aggregateRows(ctx, 'health', 'childcarePlaces', { regionCode, groupBy: ['filingStatus', 'inclusive'] });
    return {
      institutions: sumMeasure(rows, 'institutions'),
      filedInstitutions: sumMeasure(rows, 'institutions', (r) => r.filingStatus === 'FILED'),
      places: sumMeasure(rows, 'places'),
      inclusivePlaces: sumMeasure(rows, 'places', (r) => r.inclusive === true),
      enrolled: sumMeasure(rows, 'enrolled'),
    };
  });
}

export interface NurseryClassCapacity {
  kindergartens: number;
  places: number;
  publicPlaces: number;
}

export function nurseryClassCapacity(ctx: HubContext, regionCode: string): Promise<NurseryClassCapacity> {
  return fromDepartment(async () => {
    const rows = await aggregateRows(ctx, 'education', 'nurseryPlaces', { regionCode, groupBy: ['ownership'] });
    return {
      kindergartens: sumMeasure(rows, 'kindergartens'),
      places: sumMeasure(rows, 'places'),
      publicPlaces: sumMeasure(rows, 'places', (r) => r.ownership === 'PUBLIC'),
    };
  });
}
