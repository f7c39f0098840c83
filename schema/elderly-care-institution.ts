import type { InstitutionRecord } from '../connectors/civil-affairs/interface';
import {
  findElderlyCareInstitution,
  institutionRegion,
  listElderlyCareInstitutions,
} from '../resolvers/elderly-care-institution';
import { withinRegionScope } from '../resolvers/department';
import { builder } from './builder';
import { RegionRef } from './region';
import { provenance } from './provenance';
import { listSelection, readsRecord, SAME_RECORD } from './projection';

const FacilityKindEnum = builder.enumType('ElderlyCareFacilityKind', {
  description: '养老服务设施类型 Kind of elderly-care facility',
  values: {
    FULL_CARE_INSTITUTION: { description: '全托养老机构 Full-care institution' },
    STREET_CENTRE: { description: '街道养老服务中心 Street centre (full-time and day care)' },
    COMMUNITY_STATION: { description: '社区养老服务站 Community day-care station' },
    SUPPORTING_FACILITY: { description: '配套服务设施 Supporting facility (senior university, teaching point, canteen)' },
  },
});

export const OwnershipEnum = builder.enumType('Ownership', {
  description: '举办性质 Who runs a facility',
  values: { PUBLIC: { description: '公办 Publicly run' }, PRIVATE: { description: '社会办 Run by society (private)' } },
});

const CareModeEnum = builder.enumType('CareMode', {
  description: '服务方式 Care mode',
  values: { FULL_TIME: { description: '全托 Full-time residential care' }, DAY_CARE: { description: '日托 Day care' } },
});

/**
 * The beds of a facility as the schema groups them, made from the record's five counts: its fields are then plain
 * leaves (schema/plugins/catalogue-leaves.ts), read without a resolver call per row.
 */
interface Beds {
  total: number;
  nursing: number;
  safetyNet: number;
  inclusive: number;
  occupied: number;
}

const bedsOf = (i: InstitutionRecord): Beds => ({
  total: i.bedsTotal,
  nursing: i.bedsNursing,
  safetyNet: i.bedsSafetyNet,
  inclusive: i.bedsInclusive,
  occupied: i.bedsOccupied,
});

const BedsRef = builder.objectRef<Beds>('ElderlyCareBeds').implement({
  description: '床位 Beds of an elderly-care facility',
  catalogue: { item: 'CA_CARE_INSTITUTIONS' },
  fields: (t) => ({
    total: t.exposeInt('total', { description: '床位总数 All beds', extensions: readsRecord('bedsTotal') }),
    nursing: t.exposeInt('nursing', { description: '护理型床位 Nursing-type beds', extensions: readsRecord('bedsNursing') }),
    safetyNet: t.exposeInt('safetyNet', {
      description: '兜底性床位 Safety-net beds',
      extensions: readsRecord('bedsSafetyNet'),
    }),
    inclusive: t.exposeInt('inclusive', {
      description: '普惠型床位 Inclusive (affordable) beds',
      extensions: readsRecord('bedsInclusive'),
    }),
    occupied: t.exposeInt('occupied', { description: '在住床位 Occupied beds', extensions: readsRecord('bedsOccupied') }),
    occupancyRate: t.float({
      nullable: true,
      description: '入住率 Occupied beds / all beds (0-1); null without beds',
      extensions: readsRecord('bedsTotal', 'bedsOccupied'),
      resolve: (b) => (b.total > 0 ? Math.round((b.occupied / b.total) * 1000) / 1000 : null),
    }),
  }),
});

export const ElderlyCareInstitutionRef = builder.objectRef<InstitutionRecord>('ElderlyCareInstitution').implement({
  description: '养老服务设施 An elderly-care facility with its beds (民政 civil affairs)',
  catalogue: { item: 'CA_CARE_INSTITUTIONS' },
  fields: (t) => ({
    provenance: t.field(provenance),
    id: t.exposeString('institutionId', { description: '机构编号 Facility id at civil affairs' }),
    name: t.exposeString('name', { description: '名称 Name' }),
    kind: t.expose('kind', { type: FacilityKindEnum, description: '类型 Kind' }),
    subtype: t.exposeString('subtype', {
      nullable: true,
      description: '配套设施子类 For supporting facilities: SENIOR_UNIVERSITY, TEACHING_POINT or COMMUNITY_CANTEEN',
    }),
    ownership: t.expose('ownership', { type: OwnershipEnum, description: '举办性质 Ownership' }),
    operator: t.exposeString('operator', { description: '运营方 Operator' }),
    region: t.field({
      type: RegionRef,
      nullable: true,
      description: '所在区划 Community or street of the facility',
      extensions: readsRecord('regionCode'),
      resolve: (i, _args, ctx) => institutionRegion(ctx, i.regionCode),
    }),
    address: t.exposeString('address', { description: '地址 Address' }),
    careModes: t.expose('careModes', { type: [CareModeEnum], description: '服务方式 Care modes' }),
    starLevel: t.exposeInt('starLevel', { nullable: true, description: '星级 Star rating (1-5); null if unrated' }),
    beds: t.field({ type: BedsRef, description: '床位 Beds', extensions: readsRecord(SAME_RECORD), resolve: bedsOf }),
    medicalContract: t.exposeBoolean('medicalContract', {
      description: '医养签约 Has a contract with a health service centre (医养结合签约)',
    }),
  }),
});

const FilterInput = builder.inputType('ElderlyCareInstitutionFilter', {
  description: '养老服务设施筛选 Filter for elderly-care facilities',
  fields: (t) => ({
    regionCode: t.string({ description: '区划代码 Facilities in this region (any level: 6, 9 or 12 digits)' }),
    kinds: t.field({ type: [FacilityKindEnum], description: '类型 Only these kinds' }),
    ownership: t.field({ type: OwnershipEnum, description: '举办性质 Only this ownership' }),
  }),
});

builder.queryFields((t) => ({
  elderlyCareInstitution: t.field({
    type: ElderlyCareInstitutionRef,
    cost: { department: 'each' },
    nullable: true,
    description:
      '养老服务设施 One elderly-care facility by id; null when civil affairs has none inside the consumer’s region scope',
    args: { id: t.arg.string({ required: true, description: '机构编号 Facility id' }) },
    resolve: (_root, args, ctx) => withinRegionScope(ctx, findElderlyCareInstitution(ctx, args.id)),
  }),
  elderlyCareInstitutions: t.connection(
    {
      type: ElderlyCareInstitutionRef,
      cost: { department: 'each' },
      // Nullable: a refusal or a department failure nulls only this list, not the whole response.
      nullable: true,
      description: '养老服务设施列表 Elderly-care facilities, filtered, in id order, paged forward (first ≤ 200)',
      args: { filter: t.arg({ type: FilterInput, description: '筛选条件 Filter' }) },
      resolve: (_root, args, ctx, info) => listElderlyCareInstitutions(ctx, args.filter, args, listSelection(info)),
    },
    {
      name: 'ElderlyCareInstitutionConnection',
      description: '养老服务设施分页 A page of elderly-care facilities',
    },
    { name: 'ElderlyCareInstitutionEdge', description: '养老服务设施条目 A facility with its cursor' },
  ),
}));
