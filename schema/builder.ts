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
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type PrismaTypes from '../prisma/generated/pothos/types';
import { getDatamodel } from '../prisma/generated/pothos/types';
import type { HubContext } from '../resolvers/context';
// Declares the `cost` field option (what a field costs in the query-cost limit, measured by server/limits.ts).
import './field-cost';
import CataloguePlugin, { RoleRequiredError } from './plugins/catalogue';

export const builder = new SchemaBuilder<{
  Context: HubContext;
  PrismaTypes: PrismaTypes;
  /** Every connection's resolver returns its `totalCount` beside the edges (schema/connection.ts). */
  Connection: { totalCount: number };
  DefaultFieldNullability: false;
  /** Roles of the calling consumer (server/access): administrators, auditors, front-end developers. */
  AuthScopes: { admin: boolean; auditor: boolean; developer: boolean; reporter: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    Date: { Input: string; Output: string };
  };
}>({
  // The catalogue guard outermost (it decides first, masks the final value and audits as fields declare: see
  // schema/plugins/catalogue.ts); then scope auth, so its checks run before any other plugin's resolver wrapping.
  plugins: [CataloguePlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      admin: ctx.access.hasRole('ADMIN'),
      auditor: ctx.access.hasRole('AUDITOR'),
      developer: ctx.access.hasRole('DEVELOPER'),
      reporter: ctx.access.hasRole('REPORTER'),
    }),
    // A refused attempt at a guarded field is audited by the catalogue plugin (every guarded field declares `audit`).
    unauthorizedError: (_parent, _ctx, info) => new RoleRequiredError(`${info.parentType.name}.${info.fieldName}`),
  },
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
    // No global object identification yet: records are addressed by their own keys (citizen ID, institution id).
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: { description: '节点 An object with a global id' },
    pageInfoTypeOptions: { description: '分页信息 Where a page of a list stands' },
    pageInfoFieldOptions: { description: '分页信息 Paging information' },
    hasNextPageFieldOptions: { description: '是否有下一页 Whether more items follow this page' },
    hasPreviousPageFieldOptions: {
      description: '是否有上一页 Whether items precede this page (always false: forward paging only)',
    },
    startCursorFieldOptions: { description: '首项游标 Cursor of the first item of the page' },
    endCursorFieldOptions: { description: '末项游标 Cursor of the last item; pass it as `after` for the next page' },
    edgesFieldOptions: { description: '条目 The items of this page with their cursors' },
    nodeFieldOptions: { description: '记录 The item' },
    cursorFieldOptions: { description: '游标 Opaque cursor of this item; pass it as `after` to continue after it' },
    firstArgOptions: { description: '每页条数 How many items to return (1-200, default 20)' },
    afterArgOptions: { description: '起始游标 Return items after this cursor' },
    lastArgOptions: { description: '不支持 Not supported: page forward with first/after' },
    beforeArgOptions: { description: '不支持 Not supported: page forward with first/after' },
  },
});

builder.queryType({
  description: '查询入口 Root of all read operations',
});

builder.mutationType({
  description: '变更入口 Root of all changes (administration)',
});
