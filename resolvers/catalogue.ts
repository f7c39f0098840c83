/**
 * The sharing catalogue's use cases: listing items (anyone may see what is shared and how), and an
 * administrator's reclassification, which every hub instance enforces within the catalogue's snapshot TTL (this
 * one at once: its snapshot is invalidated).
 *
 * Contract: `query` is Pothos' Prisma selection, passed through so a request reads only what it selects. An
 * unknown item code is NOT_FOUND naming `code` and changes nothing.
 */
import type { SharingClass } from '../domain/catalogue';
import { NotFoundError } from '../domain/errors';
import type { Prisma } from '../prisma/generated/client';
import type { HubContext } from './context';

type ItemQuery = { include?: Prisma.CatalogueItemInclude; select?: Prisma.CatalogueItemSelect };

export function listCatalogueItems(
  ctx: HubContext,
  query: ItemQuery,
  filter: { ownerDepartment?: string | null; class?: SharingClass | null },
) {
  return ctx.prisma.catalogueItem.findMany({
    ...query,
    where: {
      ...(filter.ownerDepartment ? { ownerDepartment: filter.ownerDepartment } : {}),
      ...(filter.class ? { class: filter.class } : {}),
    },
    orderBy: { code: 'asc' },
  });
}

export async function setCatalogueItemClass(ctx: HubContext, query: ItemQuery, code: string, sharingClass: SharingClass) {
  const found = await ctx.prisma.catalogueItem.findUnique({ where: { code } });
  if (!found)
    throw new NotFoundError(`No catalogue item ${code} 目录项不存在`, { field: 'code', reason: 'UNKNOWN_CATALOGUE_ITEM' });
  const item = await ctx.prisma.catalogueItem.update({ ...query, where: { code }, data: { class: sharingClass } });
  ctx.catalogue.invalidate();
  return item;
}
