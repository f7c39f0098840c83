/**
 * Elderly-care facilities (民政 civil affairs): one by id, or a filtered, paginated list.
 * A facility's region code is a community (12 digits) or a street (its 9-digit code + '000').
 */
import type { InstitutionRecord } from '../connectors/civil-affairs/interface';
import type { ListFilter } from '../connectors/departments';
import type { HubContext } from './context';
import type { PageArgs } from '../domain/paging';
import { departmentConnection, type ListSelection } from './connection';
import { loadOne, parseRecordId, parseValueList } from './department';
import { parseRegionCode } from './region';

export interface ElderlyCareInstitutionFilter {
  regionCode?: string | null;
  kinds?: InstitutionRecord['kind'][] | null;
  ownership?: InstitutionRecord['ownership'] | null;
}

export function findElderlyCareInstitution(ctx: HubContext, id: string) {
  return loadOne(ctx, 'civil-affairs', 'institution', parseRecordId(id));
}

export function listElderlyCareInstitutions(
  ctx: HubContext,
  filter: ElderlyCareInstitutionFilter | null | undefined,
  args: PageArgs,
  selection?: ListSelection,
) {
  const departmentFilter: ListFilter<'civil-affairs', 'institution'> = {};
  if (filter?.regionCode != null) departmentFilter.regionCode = parseRegionCode(filter.regionCode, 'filter.regionCode');
  if (filter?.kinds?.length) departmentFilter.kind = parseValueList(filter.kinds, 'filter.kinds');
  if (filter?.ownership) departmentFilter.ownership = filter.ownership;
  return departmentConnection(ctx, 'civil-affairs', 'institution', departmentFilter, args, (r) => r.data, selection);
}

/**
 * The facility's place in the region tree: its community, or its street for street-level codes. Called for every
 * row of a list: no named closure is made (the hub runs through tsx, whose transform gives every named closure its
 * name with a property definition: 1–2 % of a list request's CPU here).
 */
export function institutionRegion(ctx: HubContext, regionCode: string) {
  const { regions } = ctx.loaders;
  const community = regions.find(regionCode);
  if (community instanceof Promise) return community.then((found) => found ?? regions.find(regionCode.slice(0, 9)));
  return community ?? regions.find(regionCode.slice(0, 9));
}
