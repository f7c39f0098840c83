/**
 * Administrative regions: the hub's own region tree (city → district → street → community).
 *
 * Codes: 6 digits for a city or district (GB/T 2260), 9 for a street, 12 for a community (statistical division
 * codes); a child's code starts with its parent's. A malformed code is BAD_USER_INPUT (field and reason named);
 * a well-formed code that is not in the tree is simply absent (null / empty list).
 */
import { regionCodeSchema } from '../domain/regions';
import type { Prisma, RegionLevel } from '../prisma/generated/client';
import { BadUserInputError } from '../domain/errors';
import type { PrismaClient } from '../prisma/client';
import type { HubContext } from './context';

/** Parses a region code argument or throws BAD_USER_INPUT naming the argument. */
export function parseRegionCode(value: string, field: string): string {
  const parsed = regionCodeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new BadUserInputError(`Invalid region code 区划代码格式错误: ${parsed.error.issues[0]!.message}`, {
    field,
    reason: 'MALFORMED_REGION_CODE',
  });
}

type RegionQuery = { include?: Prisma.RegionInclude; select?: Prisma.RegionSelect };

export function findRegion(ctx: HubContext, query: RegionQuery, code: string) {
  return ctx.prisma.region.findUnique({ ...query, where: { code: parseRegionCode(code, 'code') } });
}

export function listRegions(
  ctx: HubContext,
  query: RegionQuery,
  filter: { level?: RegionLevel | null; parentCode?: string | null },
) {
  const where: Prisma.RegionWhereInput = {};
  if (filter.level) where.level = filter.level;
  if (filter.parentCode != null) where.parentCode = parseRegionCode(filter.parentCode, 'parentCode');
  return ctx.prisma.region.findMany({ ...query, where, orderBy: { code: 'asc' } });
}

/** How large the region tree is: all divisions, those of each level, and the most children any division has. */
export interface RegionTreeSize {
  total: number;
  byLevel: Partial<Record<RegionLevel, number>>;
  maxChildren: number;
}

/** Counts the hub's region tree (the real maximum lengths of `regions` and `Region.children`, for the query cost). */
export async function regionTreeSize(prisma: PrismaClient): Promise<RegionTreeSize> {
  const [levels, parents] = await Promise.all([
    prisma.region.groupBy({ by: ['level'], _count: { _all: true } }),
    prisma.region.groupBy({ by: ['parentCode'], _count: { _all: true }, where: { parentCode: { not: null } } }),
  ]);
  const byLevel: Partial<Record<RegionLevel, number>> = {};
  for (const row of levels) byLevel[row.level] = row._count._all;
  return {
    total: levels.reduce((sum, row) => sum + row._count._all, 0),
    byLevel,
    maxChildren: parents.reduce((most, row) => Math.max(most, row._count._all), 0),
  };
}
