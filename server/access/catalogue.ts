/**
 * The sharing catalogue in the hub database: writing the published definition into it at start, and reading it
 * back as the snapshot every request is checked against.
 *
 * Contract: `syncCatalogue` is idempotent and runs in one transaction: items are created or updated (an existing
 * item keeps its class: administrators own classification), each schema field is assigned to the one item it
 * declares (`catalogueFields`, schema/plugins/catalogue.ts), fields no longer declared are removed, and purposes
 * are created or renamed. `CatalogueStore.current()` returns a snapshot at most `ttlMs` old; `invalidate()` makes
 * the next call re-read (after an administrator's change through this hub; other hub instances see it within
 * `ttlMs`).
 */
import type { GraphQLSchema } from 'graphql';
import type { Catalogue, CatalogueSource } from '../../domain/catalogue';
import type { PrismaClient } from '../../prisma/client';
import { CATALOGUE_ITEMS, PURPOSES } from '../../schema/catalogue-items';
import { catalogueFields } from '../../schema/plugins/catalogue';

export async function syncCatalogue(prisma: PrismaClient, schema: GraphQLSchema): Promise<void> {
  // The fields each item holds, as the schema declares them (one declaration per field).
  const fields = new Map(catalogueFields(schema).map((field) => [field.coordinate, field]));
  // Only differences are written, so an unchanged catalogue costs three reads at start.
  await prisma.$transaction(
    async (tx) => {
      // Several hubs may start on one database at once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('hub:catalogue-sync'))`;
      const known = await tx.purpose.findMany();
      for (const purpose of PURPOSES) {
        const current = known.find((p) => p.code === purpose.code);
        if (!current || current.name !== purpose.name || current.description !== purpose.description) {
          await tx.purpose.upsert({ where: { code: purpose.code }, create: purpose, update: purpose });
        }
      }
      const items = new Map((await tx.catalogueItem.findMany()).map((item) => [item.code, item]));
      for (const { owner, ...item } of CATALOGUE_ITEMS) {
        const described = { name: item.name, nameEn: item.nameEn, ownerDepartment: owner, personal: item.personal };
        const current = items.get(item.code);
        if (!current) await tx.catalogueItem.create({ data: { ...described, code: item.code, class: item.class } });
        else if (Object.entries(described).some(([key, value]) => current[key as keyof typeof described] !== value)) {
          await tx.catalogueItem.update({ where: { code: item.code }, data: described });
        }
      }
      const stored = new Map((await tx.catalogueField.findMany()).map((field) => [field.coordinate, field]));
      const gone = [...stored.keys()].filter((coordinate) => !fields.has(coordinate));
      if (gone.length > 0) await tx.catalogueField.deleteMany({ where: { coordinate: { in: gone } } });
      for (const field of fields.values()) {
        const current = stored.get(field.coordinate);
        if (!current) await tx.catalogueField.create({ data: field });
        else if (current.itemCode !== field.itemCode || current.mask !== field.mask) {
          await tx.catalogueField.update({ where: { coordinate: field.coordinate }, data: field });
        }
      }
    },
    { timeout: 60000 },
  );
}

export async function readCatalogue(prisma: PrismaClient): Promise<Catalogue> {
  const [items, fields, purposes] = await Promise.all([
    prisma.catalogueItem.findMany(),
    prisma.catalogueField.findMany(),
    prisma.purpose.findMany({ select: { code: true } }),
  ]);
  return {
    items: new Map(items.map((item) => [item.code, item])),
    fields: new Map(fields.map((field) => [field.coordinate, field])),
    purposes: new Set(purposes.map((purpose) => purpose.code)),
  };
}

export class CatalogueStore implements CatalogueSource {
  private snapshot: { catalogue: Promise<Catalogue>; readAt: number } | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = 5000,
  ) {}

  current(): Promise<Catalogue> {
    const now = Date.now();
    if (!this.snapshot || now - this.snapshot.readAt > this.ttlMs) {
      const catalogue = readCatalogue(this.prisma);
      // A failed read is not cached: the next request tries again.
      catalogue.catch(() => {
        if (this.snapshot?.catalogue === catalogue) this.snapshot = null;
      });
      this.snapshot = { catalogue, readAt: now };
    }
    return this.snapshot.catalogue;
  }

  invalidate(): void {
    this.snapshot = null;
  }
}
