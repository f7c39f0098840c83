import type { ChildcareEnrolmentRecord, ChildcareInstitutionRecord } from '../connectors/health/interface';
import type { KindergartenRecord, NurseryEnrolmentRecord } from '../connectors/education/interface';
import type { PersonRecord } from '../connectors/public-security/interface';
import {
  childcareEnrolment,
  findChildcareInstitution,
  findKindergarten,
  listChildcareInstitutions,
  listKindergartens,
  nurseryEnrolment,
} from '../resolvers/childcare';
import { institutionRegion } from '../resolvers/elderly-care-institution';
import { withinRegionScope } from '../resolvers/department';
import { builder } from './builder';
import { RegionRef } from './region';
import { listSelection, readsRecord } from './projection';
import { provenance } from './provenance';
import { OwnershipEnum } from './elderly-care-institution';

const RegistrationAuthorityEnum = builder.enumType('ChildcareRegistrationAuthority', {
  description: '登记机关 Where a childcare institution is registered',
  values: {
    PUBLIC_SECTOR: { description: '编制部门 Public-sector unit registration (事业单位)' },
    CIVIL_AFFAIRS: { description: '民政部门 Civil affairs (民办非企业)' },
    MARKET_REGULATION: { description: '市场监管部门 Market regulation (企业)' },
  },
});

const FilingStatusEnum = builder.enumType('ChildcareFilingStatus', {
  description: '备案状态 Status of a childcare institution filing 托育机构备案',
  values: {
    FILED: { description: '已备案 Filed' },
    PENDING: { description: '备案中 Filing under review' },
    NOT_FILED: { description: '未备案 Not filed' },
    REVOKED: { description: '已撤销 Filing revoked' },
  },
});

const ServiceTypeEnum = builder.enumType('ChildcareServiceType', {
  description: '托育服务类型 Childcare service type',
  values: {
    FULL_DAY: { description: '全日托 Full-day care' },
    HALF_DAY: { description: '半日托 Half-day care' },
    HOURLY: { description: '计时托 Hourly care' },
    TEMPORARY: { description: '临时托 Temporary care' },
  },
});

const FilingRef = builder.objectRef<ChildcareInstitutionRecord>('ChildcareFiling').implement({
  description: '托育机构备案 The filing of a childcare institution with health (卫健)',
  catalogue: { item: 'HE_CHILDCARE_INSTITUTIONS' },
  fields: (t) => ({
    number: t.exposeString('filingNumber', { nullable: true, description: '备案号 Filing number; null if not filed' }),
    date: t.field({ type: 'Date', nullable: true, description: '备案日期 Filing date', resolve: (i) => i.filingDate }),
    status: t.field({ type: FilingStatusEnum, description: '备案状态 Status', resolve: (i) => i.filingStatus }),
    serviceTypes: t.field({ type: [ServiceTypeEnum], description: '服务类型 Service types', resolve: (i) => i.serviceTypes }),
    places: t.exposeInt('places', { description: '托位数 Childcare places' }),
    inclusive: t.exposeBoolean('inclusive', { description: '普惠 Inclusive (affordable) institution' }),
  }),
});

const StaffRef = builder.objectRef<ChildcareInstitutionRecord>('ChildcareStaff').implement({
  description: '从业人员 Staff of a childcare institution',
  catalogue: { item: 'HE_CHILDCARE_INSTITUTIONS' },
  fields: (t) => ({
    total: t.exposeInt('staffTotal', { description: '从业人员 Staff' }),
    certified: t.exposeInt('staffCertified', { description: '持证人员 Staff holding a certificate' }),
    certifiedShare: t.float({
      nullable: true,
      description: '持证率 Certified staff / staff (0-1); null without staff',
      resolve: (i) => (i.staffTotal > 0 ? Math.round((i.staffCertified / i.staffTotal) * 1000) / 1000 : null),
    }),
  }),
});

export const ChildcareInstitutionRef = builder.objectRef<ChildcareInstitutionRecord>('ChildcareInstitution').implement({
  description: '托育机构 A childcare institution with its registration and filing (卫健 health)',
  catalogue: { item: 'HE_CHILDCARE_INSTITUTIONS' },
  fields: (t) => ({
    provenance: t.field(provenance),
    id: t.exposeString('institutionId', { description: '机构编号 Institution id at health' }),
    name: t.exposeString('name', { description: '名称 Name' }),
    operator: t.exposeString('operator', { description: '举办者 Operator' }),
    address: t.exposeString('address', { description: '地址 Address' }),
    region: t.field({
      type: RegionRef,
      nullable: true,
      description: '所在区划 Community or street',
      resolve: (i, _args, ctx) => institutionRegion(ctx, i.regionCode),
    }),
    registrationAuthority: t.field({
      type: RegistrationAuthorityEnum,
      description: '登记机关 Registering authority (编制/民政/市场监管)',
      resolve: (i) => i.registrationAuthority,
    }),
    filing: t.field({ type: FilingRef, description: '备案 Filing', resolve: (i) => i }),
    enrolled: t.exposeInt('enrolled', { description: '在托人数 Children enrolled' }),
    staff: t.field({ type: StaffRef, description: '从业人员 Staff', resolve: (i) => i }),
    medicalContract: t.exposeBoolean('medicalContract', { description: '医育签约 Has a contract with a health institution' }),
  }),
});

export const KindergartenRef = builder.objectRef<KindergartenRecord>('Kindergarten').implement({
  description: '幼儿园 A kindergarten and its childcare class 托班 places (教育 education)',
  catalogue: { item: 'ED_KINDERGARTENS' },
  fields: (t) => ({
    provenance: t.field(provenance),
    id: t.exposeString('kindergartenId', { description: '幼儿园编号 Kindergarten id at education' }),
    name: t.exposeString('name', { description: '名称 Name' }),
    ownership: t.field({ type: OwnershipEnum, description: '举办性质 Ownership', resolve: (k) => k.ownership }),
    inclusive: t.exposeBoolean('inclusive', { description: '普惠性幼儿园 Inclusive kindergarten' }),
    nurseryClassPlaces: t.exposeInt('nurseryClassPlaces', { description: '托班托位 Childcare-class places for 2-3-year-olds' }),
    nurseryClassEnrolled: t.exposeInt('nurseryClassEnrolled', {
      description: '托班在托人数 Children enrolled in the childcare class',
    }),
    region: t.field({
      type: RegionRef,
      nullable: true,
      description: '所在区划 Community or street',
      resolve: (k, _args, ctx) => institutionRegion(ctx, k.regionCode),
    }),
  }),
});

const InstitutionEnrolmentRef = builder.objectRef<ChildcareEnrolmentRecord>('ChildcareInstitutionEnrolment').implement({
  description: '托育机构入托 Enrolment in a childcare institution (卫健 health)',
  catalogue: { item: 'HE_CHILDCARE_ENROLMENT' },
  fields: (t) => ({
    provenance: t.field(provenance),
    institution: t.field({
      type: ChildcareInstitutionRef,
      cost: { department: 'batched' },
      nullable: true,
      description: '托育机构 The institution',
      resolve: (e, _args, ctx) => findChildcareInstitution(ctx, e.institutionId),
    }),
    serviceType: t.field({ type: ServiceTypeEnum, description: '服务类型 Service type', resolve: (e) => e.serviceType }),
    enrolledOn: t.field({ type: 'Date', description: '入托日期 Enrolled on', resolve: (e) => e.enrolledOn }),
  }),
});

const NurseryEnrolmentRef = builder.objectRef<NurseryEnrolmentRecord>('NurseryClassEnrolment').implement({
  description: '托班入托 Enrolment in a kindergarten childcare class 托班 (教育 education)',
  catalogue: { item: 'ED_NURSERY_ENROLMENT' },
  fields: (t) => ({
    provenance: t.field(provenance),
    kindergarten: t.field({
      type: KindergartenRef,
      cost: { department: 'batched' },
      nullable: true,
      description: '幼儿园 The kindergarten',
      resolve: (e, _args, ctx) => findKindergarten(ctx, e.kindergartenId),
    }),
    enrolledOn: t.field({ type: 'Date', description: '入托日期 Enrolled on', resolve: (e) => e.enrolledOn }),
  }),
});

export const PersonChildcareRef = builder.objectRef<PersonRecord>('PersonChildcare').implement({
  description: '托育 A child’s childcare: institution (卫健) and kindergarten class (教育), each read separately',
  fields: (t) => ({
    institution: t.field({
      type: InstitutionEnrolmentRef,
      cost: { department: 'batched' },
      catalogue: { item: 'HE_CHILDCARE_ENROLMENT' },
      nullable: true,
      description: '托育机构入托 Enrolment in a childcare institution; null when none (or on error)',
      extensions: readsRecord('citizenId'),
      resolve: (p, _args, ctx) => childcareEnrolment(ctx, p.citizenId),
    }),
    nurseryClass: t.field({
      type: NurseryEnrolmentRef,
      cost: { department: 'batched' },
      catalogue: { item: 'ED_NURSERY_ENROLMENT' },
      nullable: true,
      description: '幼儿园托班 Enrolment in a kindergarten 托班; null when none (or on error)',
      extensions: readsRecord('citizenId'),
      resolve: (p, _args, ctx) => nurseryEnrolment(ctx, p.citizenId),
    }),
  }),
});

const FilterInput = builder.inputType('ChildcareInstitutionFilter', {
  description: '托育机构筛选 Filter for childcare institutions',
  fields: (t) => ({
    regionCode: t.string({ description: '区划代码 Institutions in this region (6, 9 or 12 digits)' }),
    filingStatuses: t.field({ type: [FilingStatusEnum], description: '备案状态 Only these filing statuses' }),
    inclusive: t.boolean({ description: '普惠 Only inclusive (true) or only non-inclusive (false) institutions' }),
  }),
});

const KindergartenFilterInput = builder.inputType('KindergartenFilter', {
  description: '幼儿园筛选 Filter for kindergartens',
  fields: (t) => ({
    regionCode: t.string({ description: '区划代码 Kindergartens in this region (6, 9 or 12 digits)' }),
    ownership: t.field({ type: OwnershipEnum, description: '举办性质 Only this ownership' }),
  }),
});

builder.queryFields((t) => ({
  childcareInstitution: t.field({
    type: ChildcareInstitutionRef,
    cost: { department: 'each' },
    nullable: true,
    description: '托育机构 One childcare institution by id; null when health has none inside the consumer’s region scope',
    args: { id: t.arg.string({ required: true, description: '机构编号 Institution id' }) },
    resolve: (_root, args, ctx) => withinRegionScope(ctx, findChildcareInstitution(ctx, args.id)),
  }),
  childcareInstitutions: t.connection(
    {
      type: ChildcareInstitutionRef,
      cost: { department: 'each' },
      // Nullable: a refusal or a department failure nulls only this list, not the whole response.
      nullable: true,
      description: '托育机构列表 Childcare institutions with filings, filtered, in id order, paged forward (first ≤ 200)',
      args: { filter: t.arg({ type: FilterInput, description: '筛选条件 Filter' }) },
      resolve: (_root, args, ctx, info) => listChildcareInstitutions(ctx, args.filter, args, listSelection(info)),
    },
    {
      name: 'ChildcareInstitutionConnection',
      description: '托育机构分页 A page of childcare institutions',
    },
    { name: 'ChildcareInstitutionEdge', description: '托育机构条目 An institution with its cursor' },
  ),
  kindergartens: t.connection(
    {
      type: KindergartenRef,
      cost: { department: 'each' },
      // Nullable: a refusal or a department failure nulls only this list, not the whole response.
      nullable: true,
      description: '幼儿园列表 Kindergartens with their childcare classes 托班 (教育), in id order, paged forward (first ≤ 200)',
      args: { filter: t.arg({ type: KindergartenFilterInput, description: '筛选条件 Filter' }) },
      resolve: (_root, args, ctx, info) => listKindergartens(ctx, args.filter, args, listSelection(info)),
    },
    {
      name: 'KindergartenConnection',
      description: '幼儿园分页 A page of kindergartens',
    },
    { name: 'KindergartenEdge', description: '幼儿园条目 A kindergarten with its cursor' },
  ),
  kindergarten: t.field({
    type: KindergartenRef,
    cost: { department: 'each' },
    nullable: true,
    description: '幼儿园 One kindergarten by id; null when education has none inside the consumer’s region scope',
    args: { id: t.arg.string({ required: true, description: '幼儿园编号 Kindergarten id' }) },
    resolve: (_root, args, ctx) => withinRegionScope(ctx, findKindergarten(ctx, args.id)),
  }),
}));
