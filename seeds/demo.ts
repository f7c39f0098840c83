/**
 * Loads the hub's own demo data into the hub database.
 *
 * Contract: idempotent and safe to run concurrently (several hub processes or test workers starting at once):
 * one upsert statement per table, parents before children. Running it again changes nothing.
 */
import type { PrismaClient } from '../prisma/client';
import { yuzhongRegionTree, type RegionSeed } from './regions';

export async function upsertRegions(prisma: PrismaClient, regions: RegionSeed[]): Promise<void> {
  // One statement: foreign keys are checked at its end, so a parent earlier in the list satisfies its children.
  await prisma.$executeRaw`
    INSERT INTO region (code, name, level, parent_code)
    SELECT code, name, level::"RegionLevel", parent_code
    FROM unnest(${regions.map((r) => r.code)}::text[], ${regions.map((r) => r.name)}::text[],
                ${regions.map((r) => r.level)}::text[], ${regions.map((r) => r.parentCode)}::text[])
         AS input(code, name, level, parent_code)
    ON CONFLICT (code) DO UPDATE
      SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code
      WHERE (region.name, region.level, region.parent_code) IS DISTINCT FROM
            (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code)`;
}

export async function loadDemoData(prisma: PrismaClient): Promise<void> {
  await upsertRegions(prisma, yuzhongRegionTree());
}
