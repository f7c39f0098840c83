/** Region scope of a consumer over cases (a case lies where its enrolment community is). */
import type { HubContext } from '../../resolvers/context';

export function inRegionScopeOf(ctx: HubContext, regionCode: string): boolean {
  return ctx.access.listRegion(regionCode) !== null;
}
