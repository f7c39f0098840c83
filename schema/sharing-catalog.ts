import { SharingClass, MaskKind } from '../prisma/generated/enums';
import { refusalReason } from '../domain/access-policy';
import { builder } from './builder';
import { CATALOGUE_ITEMS, PURPOSES } from './catalogue-items';
import { listCatalogueItems, setCatalogueItemClass } from '../resolvers/catalogue';

export const SharingClassEnum = builder.enumType(SharingClass, {
  name: 'SharingClass',
  description: '共享类型 Sharing class of a catalogue item',
  values: {
    UNCONDITIONAL: { description: '无条件共享 Shared with every consumer that holds the item' },
    CONDITIONAL: { description: '有条件共享 Shared only under a purpose the consumer’s agreement approved' },
    NOT_SHARED: { description: '不予共享 Not shared with any consumer' },
  },
});

const MaskKindEnum = builder.enumType(MaskKind, {
  name: 'MaskKind',
  description: '脱敏方式 How a personal identifier is masked for consumers without its item',
  values: {
    CITIZEN_ID: { description: '身份号码 First 6 and last 4 characters: 500103********1234' },
    NAME: { description: '姓名 Surname only: 张*' },
    PHONE: { description: '电话 First 3 and last 4 digits: 138****5678' },
    ADDRESS: { description: '地址 Up to the district: 重庆市渝中区****' },
  },
});

const RefusalReasonEnum = builder.enumType('RefusalReason', {
  description: '拒绝原因 Why a consumer may not read a catalogue item',
  values: {
    NOT_SHARED: { description: '不予共享 The item is not shared' },
    NOT_GRANTED: { description: '未授权 The consumer holds no grant for the item' },
    PURPOSE_NOT_APPROVED: { description: '用途未获批准 The grant does not approve the declared purpose' },
  },
});

builder.prismaObject('CatalogueField', {
  description: '目录字段 A schema field belonging to a catalogue item',
  fields: (t) => ({
    coordinate: t.exposeString('coordinate', { description: '字段 Schema coordinate, e.g. Person.name' }),
    mask: t.expose('mask', {
      type: MaskKindEnum,
      nullable: true,
      description: '脱敏方式 Mask for consumers without the item (null: refused instead)',
    }),
  }),
});

const CatalogueItemRef = builder.prismaObject('CatalogueItem', {
  description: '共享目录项 An item of the sharing catalogue 共享目录: fields owned by one department, shared under one class',
  fields: (t) => ({
    code: t.exposeString('code', { description: '编码 Item code, e.g. PS_IDENTITY' }),
    name: t.exposeString('name', { description: '名称 Chinese name' }),
    nameEn: t.exposeString('nameEn', { description: '英文名称 English name' }),
    ownerDepartment: t.exposeString('ownerDepartment', {
      description: '责任部门 Owning department’s connector, e.g. public-security',
    }),
    class: t.expose('class', { type: SharingClassEnum, description: '共享类型 Sharing class' }),
    personal: t.exposeBoolean('personal', { description: '个人信息 Whether the item holds personal data (reads are audited)' }),
    fields: t.relation('fields', {
      description: '字段 The schema fields of the item',
      query: { orderBy: { coordinate: 'asc' } },
    }),
    refusal: t.field({
      type: RefusalReasonEnum,
      nullable: true,
      description: '本接入方 Why the calling consumer may not read the item under its declared purpose (null: it may)',
      resolve: (item, _args, ctx) => refusalReason(item, ctx.access.consumer, ctx.access.purpose),
    }),
  }),
});

builder.prismaObject('Purpose', {
  description: '用途 A purpose a request may declare in X-Purpose',
  fields: (t) => ({
    code: t.exposeString('code', { description: '代码 Purpose code' }),
    name: t.exposeString('name', { description: '名称 Name' }),
    description: t.exposeString('description', { description: '说明 What it covers' }),
  }),
});

builder.queryFields((t) => ({
  sharingCatalog: t.prismaField({
    type: [CatalogueItemRef],
    cost: { maxLength: CATALOGUE_ITEMS.length },
    description: '共享目录 The sharing catalogue: every shared field’s item, owner, class and personal-data flag',
    args: {
      ownerDepartment: t.arg.string({ description: '责任部门 Only items of this connector, e.g. health' }),
      class: t.arg({ type: SharingClassEnum, description: '共享类型 Only items of this class' }),
    },
    resolve: (query, _root, args, ctx) => listCatalogueItems(ctx, query, args),
  }),
  purposes: t.prismaField({
    type: ['Purpose'],
    cost: { maxLength: PURPOSES.length },
    description: '用途目录 Purposes a request may declare',
    resolve: (query, _root, _args, ctx) => ctx.prisma.purpose.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
}));

builder.mutationField('setCatalogueItemClass', (t) =>
  t.prismaField({
    type: CatalogueItemRef,
    authScopes: { admin: true },
    audit: 'administration',
    auditTarget: (args) => `catalogue-item:${args.code}`,
    description: '调整共享类型 Reclassifies a catalogue item (ADMIN role; audited; effective within seconds on every hub)',
    args: {
      code: t.arg.string({ required: true, description: '编码 Item code' }),
      class: t.arg({ type: SharingClassEnum, required: true, description: '共享类型 New class' }),
    },
    resolve: (query, _root, args, ctx) => setCatalogueItemClass(ctx, query, args.code, args.class),
  }),
);
