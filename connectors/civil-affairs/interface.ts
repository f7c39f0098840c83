import { z } from 'zod';
import { citizenIdField, dateField, decimalField, defineDepartment, regionCodeField, sexField, sourceRecord } from '../department-interface';

export const institutionKinds = [
  'FULL_CARE_INSTITUTION',
  'STREET_CENTRE',
  'COMMUNITY_STATION',
  'SUPPORTING_FACILITY',
] as const;

export const elderlyProfileRecord = sourceRecord({
  citizenId: citizenIdField,
  specialHardship: z.boolean(),
  minimumLiving: z.boolean(),
  economicDifficulty: z.boolean(),
  livingAlone: z.boolean(),
  emptyNest: z.boolean(),
  familyPlanningSpecial: z.boolean(),
  /** Community of residence, birth date and sex as civil affairs' elderly information system keeps them. */
  regionCode: regionCodeField,
  birthDate: dateField,
  sex: sexField,
  /** Current capability level (GB/T 42195-2022), from the latest assessment; null if never assessed. */
  capabilityLevel: z.number().int().min(0).max(4).nullable(),
});

export type ElderlyProfileRecord = z.infer<typeof elderlyProfileRecord>;

export const capabilityAssessmentRecord = sourceRecord({
  assessmentId: z.string().min(1),
  citizenId: citizenIdField,
  level: z.number().int().min(0).max(4),
  assessedOn: dateField,
  assessorOrg: z.string().min(1),
});

export type CapabilityAssessmentRecord = z.infer<typeof capabilityAssessmentRecord>;

export const subsidyRecord = sourceRecord({
  subsidyId: z.string().min(1),
  citizenId: citizenIdField,
  kind: z.enum(['AGED_ALLOWANCE', 'NURSING_SUBSIDY', 'SERVICE_SUBSIDY']),
  amountYuan: decimalField.pipe(z.number().positive()),
  periodStart: dateField,
  periodEnd: dateField.nullable(),
});

export type SubsidyRecord = z.infer<typeof subsidyRecord>;

export const institutionRecord = sourceRecord({
  institutionId: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(institutionKinds),
  subtype: z.enum(['SENIOR_UNIVERSITY', 'TEACHING_POINT', 'COMMUNITY_CANTEEN']).nullable(),
  ownership: z.enum(['PUBLIC', 'PRIVATE']),
  operator: z.string().min(1),
  regionCode: regionCodeField,
  address: z.string().min(1),
  careModes: z.array(z.enum(['FULL_TIME', 'DAY_CARE'])),
  starLevel: z.number().int().min(1).max(5).nullable(),
  bedsTotal: z.number().int().min(0),
  bedsNursing: z.number().int().min(0),
  bedsSafetyNet: z.number().int().min(0),
  bedsInclusive: z.number().int().min(0),
  bedsOccupied: z.number().int().min(0),
  medicalContract: z.boolean(),
});

export type InstitutionRecord = z.infer<typeof institutionRecord>;

export const careArrangementRecord = sourceRecord({
  citizenId: citizenIdField,
  kind: z.enum(['INSTITUTION', 'HOME_CARE_BED']),
  institutionId: z.string().min(1).nullable(),
  since: dateField,
});

export type CareArrangementRecord = z.infer<typeof careArrangementRecord>;

export const monthlyVisitRecord = sourceRecord({
  visitId: z.string().min(1),
  citizenId: citizenIdField,
  month: dateField,
  visitedOn: dateField,
  visitorOrg: z.string().min(1),
});

export const mealAssistanceRecord = sourceRecord({
  citizenId: citizenIdField,
  institutionId: z.string().min(1),
  since: dateField,
});

export const civilAffairsInterface = defineDepartment({
  name: 'civil-affairs',
  department: '民政',
  departmentEn: 'civil affairs',
  entities: {
    elderlyProfile: {
      description: '老年人档案 Elderly profile with special-difficulty flags',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: elderlyProfileRecord,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        sex: { field: 'sex', kind: 'eq' },
        bornOnOrAfter: { field: 'birthDate', kind: 'gte' },
        bornOnOrBefore: { field: 'birthDate', kind: 'lte' },
        specialHardship: { field: 'specialHardship', kind: 'eq' },
        minimumLiving: { field: 'minimumLiving', kind: 'eq' },
        economicDifficulty: { field: 'economicDifficulty', kind: 'eq' },
        livingAlone: { field: 'livingAlone', kind: 'eq' },
        emptyNest: { field: 'emptyNest', kind: 'eq' },
        familyPlanningSpecial: { field: 'familyPlanningSpecial', kind: 'eq' },
        capabilityLevelAtLeast: { field: 'capabilityLevel', kind: 'gte' },
      },
    },
    capabilityAssessment: {
      description: '老年人能力评估 (GB/T 42195-2022) Capability assessment',
      key: 'citizenId',
      cardinality: 'many',
      recordId: 'assessmentId',
      record: capabilityAssessmentRecord,
    },
    subsidy: {
      description: '老年人补贴 Subsidy paid to an elderly person',
      key: 'citizenId',
      cardinality: 'many',
      recordId: 'subsidyId',
      record: subsidyRecord,
    },
    institution: {
      description: '养老服务设施 Elderly-care facility with its beds',
      key: 'institutionId',
      cardinality: 'one',
      recordId: 'institutionId',
      record: institutionRecord,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        kind: { field: 'kind', kind: 'in' },
        ownership: { field: 'ownership', kind: 'eq' },
      },
    },
    careArrangement: {
      description: '养老照护安排 Care arrangement: institution or home-care bed',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: careArrangementRecord,
    },
    monthlyVisit: {
      description: '特殊困难老年人月探访 Monthly visit to an elderly person in special difficulty',
      key: 'citizenId',
      cardinality: 'many',
      recordId: 'visitId',
      record: monthlyVisitRecord,
    },
    mealAssistance: {
      description: '老年助餐 Meal assistance',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: mealAssistanceRecord,
    },
  },
  aggregates: {
    beds: {
      description: '养老设施与床位 Elderly-care facilities and beds by region, kind and ownership',
      entity: 'institution',
      measures: {
        facilities: { op: 'count' },
        bedsTotal: { op: 'sum', field: 'bedsTotal' },
        bedsNursing: { op: 'sum', field: 'bedsNursing' },
        bedsSafetyNet: { op: 'sum', field: 'bedsSafetyNet' },
        bedsInclusive: { op: 'sum', field: 'bedsInclusive' },
        bedsOccupied: { op: 'sum', field: 'bedsOccupied' },
      },
      dimensions: ['kind', 'ownership'],
      regionField: 'regionCode',
    },
  },
  commands: {},
});
