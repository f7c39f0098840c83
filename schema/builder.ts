/**
 * The Pothos schema builder and its plugins. Defines no types: each domain type lives in its own file under
 * schema/ and registers itself on this builder; schema/index.ts imports them all and builds the schema.
 *
 * Convention: every type, field, argument and enum value carries a description in Chinese and English,
 * "中文说明 English description", because the schema is the documentation front-end developers read.
 */
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type PrismaTypes from '../prisma/generated/pothos/types';
import { getDatamodel } from '../prisma/generated/pothos/types';
import type { HubContext } from '../server/context';

export const builder = new SchemaBuilder<{
  Context: HubContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    Date: { Input: string; Output: string };
  };
}>({
  plugins: [PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    // Descriptions are written bilingually on the Pothos fields, not taken from Prisma's comments.
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
});

builder.queryType({
  description: '查询入口 Root of all read operations',
});
