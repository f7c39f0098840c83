import { ConsumerRole, ConsumerStatus } from '../prisma/generated/enums';
import {
  createConsumer,
  listConsumers,
  rotateKey,
  setConsumerStatus,
  updateConsumer,
  type ConsumerSummary,
} from '../resolvers/consumers';
import type { HubContext } from '../resolvers/context';
import { builder } from './builder';
import { CATALOGUE_ITEMS } from './catalogue-items';

const ConsumerRoleEnum = builder.enumType(ConsumerRole, {
  name: 'ConsumerRole',
  description: '接入方角色 Roles beyond reading shared data',
  values: {
    ADMIN: { description: '管理员 Manages consumers and the catalogue' },
    AUDITOR: { description: '审计员 Reads and verifies the audit trail' },
    DEVELOPER: { description: '开发者 May introspect the schema (front-end tools)' },
    REPORTER: {
      description: '指标填报 Reports the indicator figures no department holds (rows 15-17), inside its region scope',
    },
  },
});

const ConsumerStatusEnum = builder.enumType(ConsumerStatus, {
  name: 'ConsumerStatus',
  description: '接入方状态 Whether a consumer may call the hub',
  values: {
    ACTIVE: { description: '正常 May call the hub' },
    SUSPENDED: { description: '暂停 Refused until reactivated' },
    REVOKED: { description: '注销 Refused for good; its keys are revoked' },
  },
});

const GrantRef = builder.objectRef<ConsumerSummary['grants'][number]>('ConsumerGrant').implement({
  description: '授权 A consumer’s right to read one catalogue item',
  fields: (t) => ({
    item: t.exposeString('itemCode', { description: '目录项 Catalogue item code' }),
    purposes: t.exposeStringList('purposes', {
      description: '批准用途 Purposes approved for a 有条件共享 item (empty: unconditional)',
    }),
  }),
});

const ApiKeyRef = builder.objectRef<ConsumerSummary['keys'][number]>('ApiKeyInfo').implement({
  description: '密钥 An API key of a consumer (only its prefix is ever shown again)',
  fields: (t) => ({
    prefix: t.exposeString('keyPrefix', { description: '前缀 The key’s first characters' }),
    createdAt: t.field({ type: 'DateTime', description: '创建时间 Issued at', resolve: (k) => k.createdAt }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: '吊销时间 Revoked at (null: valid)',
      resolve: (k) => k.revokedAt,
    }),
  }),
});

const ConsumerRef = builder.objectRef<ConsumerSummary>('Consumer').implement({
  description: '接入方 A departmental system registered to call the hub',
  fields: (t) => ({
    code: t.exposeString('code', { description: '编码 Consumer code' }),
    name: t.exposeString('name', { description: '名称 Name of the system' }),
    department: t.exposeString('department', { description: '部门 Operating department' }),
    status: t.field({ type: ConsumerStatusEnum, description: '状态 Status', resolve: (c) => c.status }),
    roles: t.field({ type: [ConsumerRoleEnum], description: '角色 Roles', resolve: (c) => c.roles }),
    purposes: t.exposeStringList('purposes', { description: '可声明用途 Purposes it may declare' }),
    regionCode: t.exposeString('regionCode', { nullable: true, description: '区域范围 Region scope (null: whole hub)' }),
    rateLimitPerMinute: t.exposeInt('rateLimitPerMinute', {
      nullable: true,
      description: '限流 Requests per minute (null: hub default)',
    }),
    grants: t.field({
      type: [GrantRef],
      cost: { maxLength: CATALOGUE_ITEMS.length },
      description: '授权 Catalogue items it may read',
      resolve: (c) => c.grants,
    }),
    keys: t.field({ type: [ApiKeyRef], description: '密钥 Its API keys, oldest first', resolve: (c) => c.keys }),
    createdAt: t.field({ type: 'DateTime', description: '注册时间 Registered at', resolve: (c) => c.createdAt }),
  }),
});

const IssuedKeyRef = builder.objectRef<{ consumer: ConsumerSummary; apiKey: string }>('IssuedApiKey').implement({
  description: '新密钥 A consumer with a newly issued key: the key is shown this once and never again',
  fields: (t) => ({
    consumer: t.field({ type: ConsumerRef, description: '接入方 The consumer', resolve: (r) => r.consumer }),
    apiKey: t.exposeString('apiKey', { description: '密钥 The new API key (store it now; the hub keeps only its hash)' }),
  }),
});

const ViewerRef = builder.objectRef<HubContext['access']>('Viewer').implement({
  description: '当前接入方 The calling consumer as this request is authorised',
  fields: (t) => ({
    code: t.string({ description: '编码 Consumer code', resolve: (a) => a.consumer.code }),
    name: t.string({ description: '名称 Name', resolve: (a) => a.consumer.name }),
    department: t.string({ description: '部门 Department', resolve: (a) => a.consumer.department }),
    roles: t.field({ type: [ConsumerRoleEnum], description: '角色 Roles', resolve: (a) => [...a.consumer.roles] }),
    purpose: t.string({ description: '本次用途 Purpose this request declared', resolve: (a) => a.purpose }),
    purposes: t.stringList({ description: '可声明用途 Purposes it may declare', resolve: (a) => [...a.consumer.purposes] }),
    regionCode: t.string({
      nullable: true,
      description: '区域范围 Region scope (null: whole hub)',
      resolve: (a) => a.consumer.regionCode,
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    description: '当前接入方 Who is calling, with its roles, purposes and region scope',
    resolve: (_root, _args, ctx) => ctx.access,
  }),
  consumers: t.field({
    type: [ConsumerRef],
    cost: { maxLength: (_args, bounds) => bounds.consumers },
    authScopes: { admin: true },
    // Listing is not audited; a refused attempt is.
    audit: 'privileged',
    description: '接入方列表 Every registered consumer (ADMIN role)',
    resolve: (_root, _args, ctx) => listConsumers(ctx.prisma),
  }),
}));

const GrantInput = builder.inputType('ConsumerGrantInput', {
  description: '授权 A catalogue item to grant',
  fields: (t) => ({
    item: t.string({ required: true, description: '目录项 Catalogue item code' }),
    purposes: t.stringList({ description: '批准用途 Purposes approved (required for 有条件共享 items)' }),
  }),
});

const ConsumerInput = builder.inputType('ConsumerInput', {
  description: '接入方定义 What a consumer is and may do',
  fields: (t) => ({
    code: t.string({ required: true, description: '编码 Consumer code (lower-case letters, digits, hyphens)' }),
    name: t.string({ required: true, description: '名称 Name of the system' }),
    department: t.string({ required: true, description: '部门 Operating department' }),
    roles: t.field({ type: [ConsumerRoleEnum], description: '角色 Roles (default none)' }),
    purposes: t.stringList({ required: true, description: '可声明用途 Purposes it may declare' }),
    regionCode: t.string({ description: '区域范围 Region scope (omit for the whole hub)' }),
    rateLimitPerMinute: t.int({ description: '限流 Requests per minute (omit for the hub default)' }),
    grants: t.field({ type: [GrantInput], description: '授权 Catalogue items it may read' }),
  }),
});

// Administration changes who may see what: every attempt is audited like a read of personal data.
builder.mutationFields((t) => ({
  createConsumer: t.field({
    type: IssuedKeyRef,
    authScopes: { admin: true },
    audit: 'administration',
    auditTarget: (args) => `consumer:${args.input.code}`,
    description: '注册接入方 Registers a consumer and issues its first key (ADMIN role)',
    args: { input: t.arg({ type: ConsumerInput, required: true, description: '定义 Definition' }) },
    resolve: (_root, args, ctx) => createConsumer(ctx.prisma, args.input),
  }),
  updateConsumer: t.field({
    type: ConsumerRef,
    authScopes: { admin: true },
    audit: 'administration',
    auditTarget: (args) => `consumer:${args.input.code}`,
    description: '修改接入方 Replaces a consumer’s roles, purposes, region scope, limit and grants (ADMIN role)',
    args: { input: t.arg({ type: ConsumerInput, required: true, description: '定义 Definition (found by code)' }) },
    resolve: (_root, args, ctx) => updateConsumer(ctx.prisma, args.input),
  }),
  rotateConsumerKey: t.field({
    type: IssuedKeyRef,
    authScopes: { admin: true },
    audit: 'administration',
    auditTarget: (args) => `consumer:${args.code}`,
    description: '轮换密钥 Issues a new key and revokes the consumer’s earlier keys (ADMIN role)',
    args: { code: t.arg.string({ required: true, description: '编码 Consumer code' }) },
    resolve: (_root, args, ctx) => rotateKey(ctx.prisma, args.code),
  }),
  setConsumerStatus: t.field({
    type: ConsumerRef,
    authScopes: { admin: true },
    audit: 'administration',
    auditTarget: (args) => `consumer:${args.code}`,
    description: '暂停/恢复/注销 Suspends, reactivates or revokes (final) a consumer (ADMIN role)',
    args: {
      code: t.arg.string({ required: true, description: '编码 Consumer code' }),
      status: t.arg({ type: ConsumerStatusEnum, required: true, description: '状态 New status' }),
    },
    resolve: (_root, args, ctx) => setConsumerStatus(ctx.prisma, args.code, args.status),
  }),
}));
