import type {
  CapabilityAssessmentRecord,
  CareArrangementRecord,
  ElderlyProfileRecord,
  SubsidyRecord,
} from '../connectors/civil-affairs/interface';
import { findElderlyCareInstitution } from '../resolvers/elderly-care-institution';
import { capabilityAssessments, careArrangement, subsidies } from '../resolvers/person';
import { builder } from './builder';
import { provenance } from './provenance';
import { ElderlyCareInstitutionRef } from './elderly-care-institution';

/** GB/T 42195-2022 老年人能力评估规范: levels 0-4. */
const CAPABILITY_LABELS = [
  '能力完好',
  '能力轻度受损（轻度失能）',
  '能力中度受损（中度失能）',
  '能力重度受损（重度失能）',
  '能力完全丧失（完全失能）',
];

const CapabilityAssessmentRef = builder.objectRef<CapabilityAssessmentRecord>('CapabilityAssessment').implement({
  description: '老年人能力评估 Capability assessment under GB/T 42195-2022 (民政 civil affairs)',
  catalogue: { item: 'CA_CAPABILITY_ASSESSMENT' },
  fields: (t) => ({
    provenance: t.field(provenance),
    level: t.exposeInt('level', { description: '能力等级 Level 0 (能力完好 intact) to 4 (完全失能 complete loss)' }),
    label: t.string({
      description: '等级名称 Chinese label of the level (GB/T 42195-2022)',
      resolve: (assessment) => CAPABILITY_LABELS[assessment.level] ?? String(assessment.level),
    }),
    assessedOn: t.field({ type: 'Date', description: '评估日期 Date of assessment', resolve: (a) => a.assessedOn }),
    assessorOrganisation: t.exposeString('assessorOrg', { description: '评估机构 Assessing organisation' }),
  }),
});

const SubsidyKindEnum = builder.enumType('SubsidyKind', {
  description: '补贴类型 Kind of elderly subsidy',
  values: {
    AGED_ALLOWANCE: { description: '高龄津贴 Allowance for the very old (80+)' },
    NURSING_SUBSIDY: { description: '护理补贴 Nursing subsidy for disabled elderly in economic difficulty' },
    SERVICE_SUBSIDY: { description: '服务补贴 Elderly-care service subsidy for economic difficulty' },
  },
});

const SubsidyRef = builder.objectRef<SubsidyRecord>('Subsidy').implement({
  description: '老年人补贴 A subsidy paid to an elderly person (民政 civil affairs)',
  catalogue: { item: 'CA_SOCIAL_ASSISTANCE' },
  fields: (t) => ({
    provenance: t.field(provenance),
    kind: t.field({ type: SubsidyKindEnum, description: '类型 Kind', resolve: (s) => s.kind }),
    amountYuan: t.exposeFloat('amountYuan', { description: '月金额（元） Monthly amount in yuan' }),
    periodStart: t.field({ type: 'Date', description: '起始日期 First day paid', resolve: (s) => s.periodStart }),
    periodEnd: t.field({
      type: 'Date',
      nullable: true,
      description: '截止日期 Last day paid; null while ongoing',
      resolve: (s) => s.periodEnd,
    }),
  }),
});

const CareArrangementKindEnum = builder.enumType('CareArrangementKind', {
  description: '照护安排 Kind of care arrangement',
  values: {
    INSTITUTION: { description: '机构养老 Living in an elderly-care institution or centre' },
    HOME_CARE_BED: { description: '家庭养老床位 Home-care bed served by an institution' },
  },
});

const CareArrangementRef = builder.objectRef<CareArrangementRecord>('CareArrangement').implement({
  description: '养老照护安排 Care arrangement of an elderly person (民政 civil affairs)',
  catalogue: { item: 'CA_ELDERLY_PROFILE' },
  fields: (t) => ({
    provenance: t.field(provenance),
    kind: t.field({ type: CareArrangementKindEnum, description: '类型 Kind', resolve: (c) => c.kind }),
    institutionId: t.exposeString('institutionId', {
      nullable: true,
      description: '服务机构编号 Id of the serving institution',
    }),
    institution: t.field({
      type: ElderlyCareInstitutionRef,
      cost: { department: 'batched' },
      nullable: true,
      description: '服务机构 The serving institution or centre (民政); null when none (or on error)',
      resolve: (c, _args, ctx) => (c.institutionId ? findElderlyCareInstitution(ctx, c.institutionId) : null),
    }),
    since: t.field({ type: 'Date', description: '开始日期 Since', resolve: (c) => c.since }),
  }),
});

export const ElderlyProfileRef = builder.objectRef<ElderlyProfileRecord>('ElderlyProfile').implement({
  description: '老年人档案 Elderly profile with special-difficulty flags (民政 civil affairs)',
  fields: (t) => ({
    provenance: t.field(provenance),
    specialHardship: t.exposeBoolean('specialHardship', {
      catalogue: { item: 'CA_SOCIAL_ASSISTANCE' },
      description: '特困 Person in extreme poverty (特困供养)',
    }),
    minimumLiving: t.exposeBoolean('minimumLiving', {
      catalogue: { item: 'CA_SOCIAL_ASSISTANCE' },
      description: '低保 Receives minimum living allowance',
    }),
    economicDifficulty: t.exposeBoolean('economicDifficulty', {
      catalogue: { item: 'CA_SOCIAL_ASSISTANCE' },
      description: '经济困难 In economic difficulty',
    }),
    livingAlone: t.exposeBoolean('livingAlone', { catalogue: { item: 'CA_ELDERLY_PROFILE' }, description: '独居 Lives alone' }),
    emptyNest: t.exposeBoolean('emptyNest', {
      catalogue: { item: 'CA_ELDERLY_PROFILE' },
      description: '空巢 Empty-nest household',
    }),
    familyPlanningSpecial: t.exposeBoolean('familyPlanningSpecial', {
      catalogue: { item: 'CA_SOCIAL_ASSISTANCE' },
      description: '计划生育特殊家庭 Family-planning special family',
    }),
    assessments: t.field({
      type: [CapabilityAssessmentRef],
      cost: { department: 'batched' },
      catalogue: { item: 'CA_CAPABILITY_ASSESSMENT' },
      nullable: true,
      description: '能力评估 Capability assessments, most recent first; null on error',
      resolve: (profile, _args, ctx) => capabilityAssessments(ctx, profile.citizenId),
    }),
    subsidies: t.field({
      type: [SubsidyRef],
      cost: { department: 'batched' },
      catalogue: { item: 'CA_SOCIAL_ASSISTANCE' },
      nullable: true,
      description: '补贴 Subsidies, most recent first; null on error',
      resolve: (profile, _args, ctx) => subsidies(ctx, profile.citizenId),
    }),
    careArrangement: t.field({
      type: CareArrangementRef,
      cost: { department: 'batched' },
      catalogue: { item: 'CA_ELDERLY_PROFILE' },
      nullable: true,
      description: '照护安排 Institution or home-care bed; null when none (or on error)',
      resolve: (profile, _args, ctx) => careArrangement(ctx, profile.citizenId),
    }),
  }),
});
