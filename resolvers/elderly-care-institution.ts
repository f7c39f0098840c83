/**
 * Elderly-care facilities (民政 civil affairs): one by id, or a filtered, paginated list.
 * A facility's region code is a community (12 digits) or a street (its 9-digit code + '000').
 */
import type { InstitutionRecord } from '../connectors/civil-affairs/interface';
import type { HubContext } from './context';
import type { PageArgs } from '../domain/paging';
import { departmentConnection } from './connection';
import { loadOne, parseRecordId } from './department';
import { parseRegionCode } from './region';

export interface ElderlyCareInstitutionFilter {
  regionCode?: string | null;
  kinds?: string[] | null;
  ownership?: string | null;
}

export function findElderlyCareInstitution(ctx: HubContext, id: string) {
  return loadOne<InstitutionRecord>(ctx, 'civil-affairs', 'institution', parseRecordId(id));
}

export function listElderlyCareInstitutions(ctx: HubContext, filter: ElderlyCareInstitutionFilter | null | undefined, args: PageArgs) {
  const departmentFilter: Record<string, unknown> = {};
  if (filter?.regionCode != null) departmentFilter.regionCode = parseRegionCode(filter.regionCode, 'filter.regionCode');
  if (filter?.kinds?.length) departmentFilter.kind = filter.kinds;
  if (filter?.ownership) departmentFilter.ownership = filter.ownership;
  return departmentConnection(ctx, 'civil-affairs', 'institution', departmentFilter, args, (r) => r.data as InstitutionRecord);
}

/** The facility's place in the region tree: its community, or its street for street-level codes. */
export async function institutionRegion(ctx: HubContext, regionCode: string) {
  return (await ctx.loaders.regions.load(regionCode)) ?? ctx.loaders.regions.load(regionCode.slice(0, 9));
}
