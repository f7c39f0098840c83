import { RegionLevel } from '../prisma/generated/enums';
import { findRegion, listRegions } from '../resolvers/region';
import { builder } from './builder';

export const RegionLevelEnum = builder.enumType(RegionLevel, {
  name: 'RegionLevel',
  description: '行政区划层级 Level of an administrative division',
  values: {
    CITY: { description: '市 City (6-digit GB/T 2260 code, e.g. 500000 重庆市)' },
    DISTRICT: { description: '区县 District or county (6-digit GB/T 2260 code, e.g. 500103 渝中区)' },
    STREET: { description: '街道/乡镇 Street or township (9-digit statistical code)' },
    COMMUNITY: { description: '社区/村 Community or village (12-digit statistical code)' },
  },
});

/**
 * The region tree's division. Records of the departments point into it with plain fields (`t.field({ type: RegionRef })`
 * resolved through the request's region loader), not `prismaField`: a prisma field maps its selection into a Prisma
 * query on every row, which cost two thirds of the hub's CPU on 100 institutions (issue 13); relations a query
 * selects below a region are still loaded by the Prisma plugin (batched by Prisma).
 */
export const RegionRef = builder.prismaObject('Region', {
  description: '行政区划 Administrative division of the region tree: city → district → street → community',
  fields: (t) => ({
    code: t.exposeString('code', {
      description: '区划代码 Division code: 6 digits (city, district), 9 (street) or 12 (community)',
    }),
    name: t.exposeString('name', { description: '名称 Official name, e.g. 解放碑街道' }),
    level: t.expose('level', { type: RegionLevelEnum, description: '层级 Level in the tree' }),
    parent: t.relation('parent', {
      nullable: true,
      description: '上级区划 The division this one belongs to; null at the top of the tree',
    }),
    children: t.relation('children', {
      cost: { maxLength: (_args, bounds) => bounds.regions.maxChildren },
      description: '下级区划 Divisions directly below this one, ordered by code',
      query: { orderBy: { code: 'asc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  region: t.prismaField({
    type: 'Region',
    nullable: true,
    description: '按代码查询行政区划 One division by its code; null when no division has that code',
    args: {
      code: t.arg.string({ required: true, description: '区划代码 Division code (6, 9 or 12 digits)' }),
    },
    resolve: (query, _root, args, ctx) => findRegion(ctx, query, args.code),
  }),
  regions: t.prismaField({
    type: ['Region'],
    // As many as the tree holds: of the level asked, or children of one division (at most the largest family).
    cost: {
      maxLength: (args, { regions }) =>
        Math.min(
          args.level ? (regions.byLevel[args.level] ?? 0) : regions.total,
          args.parentCode != null ? regions.maxChildren : regions.total,
        ),
    },
    description: '行政区划列表 Divisions, optionally of one level and/or under one parent, ordered by code',
    args: {
      level: t.arg({ type: RegionLevelEnum, description: '只返回该层级 Only divisions of this level' }),
      parentCode: t.arg.string({
        description: '只返回该上级的直接下级 Only the direct children of this division code',
      }),
    },
    resolve: (query, _root, args, ctx) => listRegions(ctx, query, args),
  }),
}));
