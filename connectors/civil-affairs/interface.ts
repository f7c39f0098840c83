import { z } from 'zod';
import {
  citizenIdField,
  dateField,
  decimalField,
  defineDepartment,
  regionCodeField,
  sexField,
  sourceRecord,
} from '../department-interface';

export const institutionKinds = ['FULL_CARE_INSTITUTION', 'STREET_CENTRE', 'COMMUNITY_STATION', 'SUPPORTING_FACILITY'] as const;

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

/** 老年人状况: one row per elderly profile with the special-difficulty flags and the care arrangement (indicators). */
export const elderlyStatusRecord = sourceRecord({
  citizenId: citizenIdField,
  regionCode: regionCodeField,
  birthDate: dateField,
  specialHardship: z.boolean(),
  /** 特殊困难: any of 特困, 低保, 经济困难, 计划生育特殊家庭, 独居. */
  specialDifficulty: z.boolean(),
  capabilityLevel: z.number().int().min(0).max(4).nullable(),
  careKind: z.enum(['INSTITUTION', 'HOME_CARE_BED']).nullable(),
  /** 特困 who declined central care in an institution (集中供养意愿: no). Not recorded: false (counted as willing). */
  declinesCentralCare: z.boolean(),
});
export type ElderlyStatusRecord = z.infer<typeof elderlyStatusRecord>;

export const basicServiceKinds = ['SUBSIDY', 'MONTHLY_VISIT', 'HOME_CARE_BED', 'INSTITUTION', 'MEAL_ASSISTANCE'] as const;

/** 基本养老服务: one basic service received by an elderly person in special difficulty, with the days it covers. */
export const serviceReceiptRecord = sourceRecord({
  receiptId: z.string().min(1),
  citizenId: citizenIdField,
  regionCode: regionCodeField,
  service: z.enum(basicServiceKinds),
  /** Without an INSTITUTION care arrangement. */
  atHome: z.boolean(),
  startsOn: dateField,
  /** 9999-12-31 for an open-ended service. */
  endsOn: dateField,
});
export type ServiceReceiptRecord = z.infer<typeof serviceReceiptRecord>;

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
    elderlyStatus: {
      description: '老年人状况 Elderly person: special difficulty, capability level and care arrangement',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: elderlyStatusRecord,
      personal: true,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        specialHardship: { field: 'specialHardship', kind: 'eq' },
        specialDifficulty: { field: 'specialDifficulty', kind: 'eq' },
        careKind: { field: 'careKind', kind: 'in' },
        capabilityLevelAtLeast: { field: 'capabilityLevel', kind: 'gte' },
        declinesCentralCare: { field: 'declinesCentralCare', kind: 'eq' },
      },
    },
    serviceReceipt: {
      description: '基本养老服务 Basic elderly service received by a person in special difficulty',
      key: 'citizenId',
      cardinality: 'many',
      recordId: 'receiptId',
      record: serviceReceiptRecord,
      personal: true,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        service: { field: 'service', kind: 'in' },
        atHome: { field: 'atHome', kind: 'eq' },
        startsOnOrBefore: { field: 'startsOn', kind: 'lte' },
        endsOnOrAfter: { field: 'endsOn', kind: 'gte' },
      },
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
      dimensions: ['kind', 'ownership', 'subtype'],
      regionField: 'regionCode',
    },
    elderlyStatus: {
      description: '老年人状况 Elderly people by special difficulty, capability level and care arrangement',
      entity: 'elderlyStatus',
      measures: { persons: { op: 'count' } },
      dimensions: ['specialHardship', 'specialDifficulty', 'capabilityLevel', 'careKind', 'declinesCentralCare'],
      regionField: 'regionCode',
    },
    basicServices: {
      description: '基本养老服务覆盖 People in special difficulty receiving at least one basic service (filter by days)',
      entity: 'serviceReceipt',
      measures: { receipts: { op: 'count' }, recipients: { op: 'countDistinct', field: 'citizenId' } },
      dimensions: ['atHome'],
      regionField: 'regionCode',
    },
  },
  commands: {},
});
