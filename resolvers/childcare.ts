/**
 * Childcare: institutions and their filings (卫健 health), kindergartens' childcare classes 托班 (教育 education),
 * and a child's enrolment in either.
 */
import type { ListFilter } from '../connectors/departments';
import type { ChildcareInstitutionRecord } from '../connectors/health/interface';
import type { KindergartenRecord } from '../connectors/education/interface';
import type { HubContext } from './context';
import type { PageArgs } from '../domain/paging';
import { departmentConnection, type ListSelection } from './connection';
import { loadOne, parseRecordId, parseValueList } from './department';
import { parseRegionCode } from './region';

export interface ChildcareInstitutionFilter {
  regionCode?: string | null;
  filingStatuses?: ChildcareInstitutionRecord['filingStatus'][] | null;
  inclusive?: boolean | null;
}

export const findChildcareInstitution = (ctx: HubContext, id: string) =>
  loadOne(ctx, 'health', 'childcareInstitution', parseRecordId(id));

export function listChildcareInstitutions(
  ctx: HubContext,
  filter: ChildcareInstitutionFilter | null | undefined,
  args: PageArgs,
  selection?: ListSelection,
) {
  const departmentFilter: ListFilter<'health', 'childcareInstitution'> = {};
  if (filter?.regionCode != null) departmentFilter.regionCode = parseRegionCode(filter.regionCode, 'filter.regionCode');
  if (filter?.filingStatuses?.length)
    departmentFilter.filingStatus = parseValueList(filter.filingStatuses, 'filter.filingStatuses');
  if (filter?.inclusive != null) departmentFilter.inclusive = filter.inclusive;
  return departmentConnection(ctx, 'health', 'childcareInstitution', departmentFilter, args, (r) => r.data, selection);
}

export const findKindergarten = (ctx: HubContext, id: string) => loadOne(ctx, 'education', 'kindergarten', parseRecordId(id));

export const childcareEnrolment = (ctx: HubContext, citizenId: string) => loadOne(ctx, 'health', 'childcareEnrolment', citizenId);

export const nurseryEnrolment = (ctx: HubContext, citizenId: string) => loadOne(ctx, 'education', 'nurseryEnrolment', citizenId);

export interface KindergartenFilter {
  regionCode?: string | null;
  ownership?: KindergartenRecord['ownership'] | null;
}

export function listKindergartens(
  ctx: HubContext,
  filter: KindergartenFilter | null | undefined,
  args: PageArgs,
  selection?: ListSelection,
) {
  const departmentFilter: ListFilter<'education', 'kindergarten'> = {};
  if (filter?.regionCode != null) departmentFilter.regionCode = parseRegionCode(filter.regionCode, 'filter.regionCode');
  if (filter?.ownership) departmentFilter.ownership = filter.ownership;
  return departmentConnection(ctx, 'education', 'kindergarten', departmentFilter, args, (r) => r.data, selection);
}
