import type { ElderlyHealthCheckRecord, FamilyDoctorContractRecord, VaccinationRecord } from '../connectors/health/interface';
import type { EnrolmentRecord } from '../connectors/medical-insurance/interface';
import type { PersonRecord } from '../connectors/public-security/interface';
import type { CardApplicationRecord } from '../connectors/social-security/interface';
import { CHECK_AGES_MONTHS, infantHealth, type InfantHealth, type ScheduledCheck } from '../resolvers/infant-health';
import { annualHealthChecks, familyDoctorContract, vaccinations } from '../resolvers/person';
import { builder } from './builder';
import { readsRecord } from './projection';
import { provenance } from './provenance';

const FamilyDoctorContractRef = builder.objectRef<FamilyDoctorContractRecord>('FamilyDoctorContract').implement({
  description: '家庭医生签约 Family-doctor contract (卫健 health)',
  catalogue: { item: 'HE_ELDERLY_HEALTH' },
  fields: (t) => ({
    provenance: t.field(provenance),
    team: t.exposeString('team', { description: '签约团队 Family-doctor team' }),
    organisation: t.exposeString('organisation', { description: '签约机构 Health organisation' }),
    signedOn: t.field({ type: 'Date', description: '签约日期 Signed on', resolve: (c) => c.signedOn }),
    validUntil: t.field({ type: 'Date', description: '有效期至 Valid until', resolve: (c) => c.validUntil }),
  }),
});

const AnnualHealthCheckRef = builder.objectRef<ElderlyHealthCheckRecord>('AnnualHealthCheck').implement({
  description: '老年人年度健康体检 Annual health check of a person aged 65+ (卫健 health)',
  catalogue: { item: 'HE_ELDERLY_HEALTH' },
  fields: (t) => ({
    provenance: t.field(provenance),
    year: t.exposeInt('year', { description: '年度 Year' }),
    checkedOn: t.field({ type: 'Date', description: '体检日期 Date of the check', resolve: (c) => c.checkedOn }),
    organisation: t.exposeString('organisation', { description: '体检机构 Organisation' }),
  }),
});

const VaccinationRef = builder.objectRef<VaccinationRecord>('Vaccination').implement({
  description: '预防接种 A vaccination (卫健 health)',
  catalogue: { item: 'HE_VACCINATION' },
  fields: (t) => ({
    provenance: t.field(provenance),
    vaccineCode: t.exposeString('vaccineCode', { description: '疫苗代码 Vaccine code, e.g. HepB' }),
    vaccineName: t.exposeString('vaccineName', { description: '疫苗名称 Vaccine name, e.g. 乙肝疫苗' }),
    dose: t.exposeInt('dose', { description: '剂次 Dose number' }),
    vaccinatedOn: t.field({ type: 'Date', description: '接种日期 Date given', resolve: (v) => v.vaccinatedOn }),
    organisation: t.exposeString('organisation', { description: '接种单位 Vaccinating organisation' }),
  }),
});

const CheckStatusEnum = builder.enumType('InfantCheckStatus', {
  description: '检查状态 Status of a scheduled infant health check as of a date',
  values: {
    DONE: { description: '已完成 Recorded by health' },
    DUE: { description: '应检 The age was reached less than a month ago and the check is not recorded yet' },
    MISSED: { description: '未检 More than a month past the age and not recorded' },
    UPCOMING: { description: '未到期 The age has not been reached yet' },
  },
});

const ManagementStatusEnum = builder.enumType('InfantManagementStatus', {
  description:
    '健康管理状态 Whether a child under 3 counts as managed (纳入健康管理) under the National Basic Public Health ' +
    'Service rules as implemented here: newborn home visit done and no scheduled check MISSED',
  values: {
    MANAGED: { description: '纳入管理 Newborn visit done and every check due more than a month ago done' },
    NOT_MANAGED: { description: '未规范管理 Newborn visit missing or a scheduled check missed' },
    NOT_APPLICABLE: { description: '不适用 The child is 3 or older on the date' },
  },
});

const NewbornVisitRef = builder.objectRef<InfantHealth['newbornVisit']>('NewbornVisit').implement({
  description: '新生儿家庭访视 Newborn home visit',
  catalogue: { item: 'HE_INFANT_HEALTH' },
  fields: (t) => ({
    doneOn: t.field({
      type: 'Date',
      nullable: true,
      description: '访视日期 Date of the visit; null if not recorded',
      resolve: (v) => v.doneOn,
    }),
    organisation: t.exposeString('organisation', { nullable: true, description: '访视机构 Visiting organisation' }),
  }),
});

const InfantCheckRef = builder.objectRef<ScheduledCheck>('InfantCheck').implement({
  description: '婴幼儿健康检查 A scheduled infant health check (1, 3, 6, 8, 12, 18, 24, 30, 36 months)',
  catalogue: { item: 'HE_INFANT_HEALTH' },
  fields: (t) => ({
    ageMonths: t.exposeInt('ageMonths', { description: '月龄 Age in months the check is scheduled at' }),
    dueOn: t.field({ type: 'Date', description: '应检日期 The day the child reaches that age', resolve: (c) => c.dueOn }),
    doneOn: t.field({
      type: 'Date',
      nullable: true,
      description: '检查日期 Date recorded; null if not done',
      resolve: (c) => c.doneOn,
    }),
    organisation: t.exposeString('organisation', { nullable: true, description: '检查机构 Organisation' }),
    status: t.field({ type: CheckStatusEnum, description: '状态 Status as of the date asked', resolve: (c) => c.status }),
  }),
});

const InfantHealthRef = builder.objectRef<InfantHealth>('InfantHealth').implement({
  description:
    '婴幼儿健康管理 Infant health management of a child under 3 (卫健 health): newborn visit, scheduled checks, ' +
    'vaccinations and whether the child counts as managed',
  fields: (t) => ({
    asOf: t.field({
      type: 'Date',
      catalogue: { item: 'HE_INFANT_HEALTH' },
      description: '统计日期 The date statuses are computed for',
      resolve: (h) => h.asOf,
    }),
    newbornVisit: t.field({
      type: NewbornVisitRef,
      catalogue: { item: 'HE_INFANT_HEALTH' },
      description: '新生儿家庭访视 Newborn home visit',
      resolve: (h) => h.newbornVisit,
    }),
    checks: t.field({
      type: [InfantCheckRef],
      cost: { maxLength: CHECK_AGES_MONTHS.length },
      catalogue: { item: 'HE_INFANT_HEALTH' },
      description: '健康检查 The nine scheduled checks in age order',
      resolve: (h) => h.checks,
    }),
    vaccinations: t.field({
      type: [VaccinationRef],
      catalogue: { item: 'HE_VACCINATION' },
      nullable: true,
      description: '预防接种 Vaccinations in date order; null on error',
      cost: { department: 'batched' },
      resolve: (h, _args, ctx) => vaccinations(ctx, h.citizenId),
    }),
    managementStatus: t.field({
      type: ManagementStatusEnum,
      catalogue: { item: 'HE_INFANT_HEALTH' },
      description:
        '健康管理状态 MANAGED when the newborn home visit is done and no scheduled check is more than a month overdue ' +
        '(国家基本公共卫生服务规范 0-6岁儿童健康管理)',
      resolve: (h) => h.managementStatus,
    }),
  }),
});

export const PersonHealthRef = builder.objectRef<PersonRecord>('PersonHealth').implement({
  description: '健康服务 What health (卫健) holds about a person; each field is read and fails separately',
  fields: (t) => ({
    familyDoctorContract: t.field({
      type: FamilyDoctorContractRef,
      cost: { department: 'batched' },
      catalogue: { item: 'HE_ELDERLY_HEALTH' },
      nullable: true,
      description: '家庭医生签约 Family-doctor contract; null when none (or on error)',
      extensions: readsRecord('citizenId'),
      resolve: (person, _args, ctx) => familyDoctorContract(ctx, person.citizenId),
    }),
    annualChecks: t.field({
      type: [AnnualHealthCheckRef],
      cost: { department: 'batched' },
      catalogue: { item: 'HE_ELDERLY_HEALTH' },
      nullable: true,
      description: '年度健康体检 (65岁及以上) Annual health checks, most recent first; null on error',
      extensions: readsRecord('citizenId'),
      resolve: (person, _args, ctx) => annualHealthChecks(ctx, person.citizenId),
    }),
    vaccinations: t.field({
      type: [VaccinationRef],
      catalogue: { item: 'HE_VACCINATION' },
      nullable: true,
      description: '预防接种记录 Vaccinations in date order; null on error',
      extensions: readsRecord('citizenId'),
      cost: { department: 'batched' },
      resolve: (person, _args, ctx) => vaccinations(ctx, person.citizenId),
    }),
    infantHealth: t.field({
      type: InfantHealthRef,
      cost: { department: 'batched' },
      catalogue: { item: 'HE_INFANT_HEALTH' },
      nullable: true,
      description:
        '婴幼儿健康管理 For a child under 3 on `asOf`: visits, checks, vaccinations, management status; null otherwise',
      extensions: readsRecord('citizenId', 'birthDate'),
      args: {
        asOf: t.arg({ type: 'Date', description: '统计日期 Compute statuses as of this date (default: today)' }),
      },
      resolve: (person, args, ctx) =>
        infantHealth(ctx, person.citizenId, person.birthDate, args.asOf ?? new Date().toISOString().slice(0, 10)),
    }),
  }),
});

const InsuranceSchemeEnum = builder.enumType('InsuranceScheme', {
  description: '医保险种 Medical insurance scheme',
  values: {
    RESIDENT: { description: '城乡居民基本医疗保险 Resident scheme' },
    EMPLOYEE: { description: '职工基本医疗保险 Employee scheme' },
  },
});

const EnrolmentStatusEnum = builder.enumType('InsuranceEnrolmentStatus', {
  description: '参保状态 Status of a medical insurance enrolment',
  values: {
    ACTIVE: { description: '参保缴费 Active' },
    SUSPENDED: { description: '暂停 Suspended' },
    ENDED: { description: '终止 Ended' },
  },
});

export const MedicalInsuranceRef = builder.objectRef<EnrolmentRecord>('MedicalInsuranceEnrolment').implement({
  description: '医保参保 Medical insurance enrolment (医保 medical insurance)',
  catalogue: { item: 'MI_ENROLMENT' },
  fields: (t) => ({
    provenance: t.field(provenance),
    enrolmentId: t.exposeString('enrolmentId', { description: '参保编号 Enrolment id' }),
    scheme: t.field({ type: InsuranceSchemeEnum, description: '险种 Scheme', resolve: (e) => e.scheme }),
    status: t.field({ type: EnrolmentStatusEnum, description: '状态 Status', resolve: (e) => e.status }),
    enrolledOn: t.field({ type: 'Date', description: '参保日期 Enrolled on', resolve: (e) => e.enrolledOn }),
  }),
});

const CardStatusEnum = builder.enumType('SocialSecurityCardStatus', {
  description: '社保卡申领状态 Status of a social security card application',
  values: {
    ACCEPTED: { description: '已受理 Accepted, card not yet issued' },
    ISSUED: { description: '已制卡 Card issued' },
    REJECTED: { description: '不予受理 Rejected' },
  },
});

export const SocialSecurityCardRef = builder.objectRef<CardApplicationRecord>('SocialSecurityCard').implement({
  description: '社保卡申领 Social security card application (人社 HR and social security)',
  catalogue: { item: 'SS_CARD' },
  fields: (t) => ({
    provenance: t.field(provenance),
    applicationId: t.exposeString('applicationId', { description: '申领编号 Application id' }),
    status: t.field({ type: CardStatusEnum, description: '状态 Status', resolve: (c) => c.status }),
    cardNumber: t.exposeString('cardNumber', { nullable: true, description: '卡号 Card number once issued' }),
    appliedOn: t.field({ type: 'Date', description: '申领日期 Applied on', resolve: (c) => c.appliedOn }),
  }),
});
