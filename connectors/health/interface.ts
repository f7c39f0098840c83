import { z } from 'zod';
import {
  citizenIdField,
  dateField,
  defineDepartment,
  regionCodeField,
  sexField,
  sourceRecord,
  timestampField,
} from '../department-interface';

export const childcareServiceTypes = ['FULL_DAY', 'HALF_DAY', 'HOURLY', 'TEMPORARY'] as const;
/** 0 = newborn home visit; the rest are the scheduled checks (months of age) of 婴幼儿健康管理. */
export const INFANT_CHECK_AGES: readonly number[] = [0, 1, 3, 6, 8, 12, 18, 24, 30, 36];

export const birthCertificateRecord = sourceRecord({
  certificateNumber: z.string().min(1),
  childName: z.string().min(1).max(50),
  sex: sexField,
  birthDate: dateField,
  birthWeightG: z.number().int().min(300).max(7000),
  hospital: z.string().min(1),
  motherCitizenId: citizenIdField,
  fatherCitizenId: citizenIdField.nullable(),
  regionCode: regionCodeField,
  childCitizenId: citizenIdField.nullable(),
  issuedAt: timestampField,
});

export const infantVisitRecord = sourceRecord({
  visitId: z.string().min(1),
  citizenId: citizenIdField,
  kind: z.enum(['NEWBORN_HOME_VISIT', 'CHECK']),
  ageMonths: z
    .number()
    .int()
    .refine((m) => INFANT_CHECK_AGES.includes(m), 'must be 0 (newborn visit) or a scheduled check age'),
  doneOn: dateField.nullable(),
  organisation: z.string().min(1),
});
export type InfantVisitRecord = z.infer<typeof infantVisitRecord>;

export const vaccinationRecord = sourceRecord({
  vaccinationId: z.string().min(1),
  citizenId: citizenIdField,
  vaccineCode: z.string().min(1),
  vaccineName: z.string().min(1),
  dose: z.number().int().min(1).max(5),
  vaccinatedOn: dateField,
  organisation: z.string().min(1),
});
export type VaccinationRecord = z.infer<typeof vaccinationRecord>;

export const childcareInstitutionRecord = sourceRecord({
  institutionId: z.string().min(1),
  name: z.string().min(1),
  regionCode: regionCodeField,
  address: z.string().min(1),
  operator: z.string().min(1),
  registrationAuthority: z.enum(['PUBLIC_SECTOR', 'CIVIL_AFFAIRS', 'MARKET_REGULATION']),
  filingNumber: z.string().min(1).nullable(),
  filingDate: dateField.nullable(),
  filingStatus: z.enum(['FILED', 'PENDING', 'NOT_FILED', 'REVOKED']),
  serviceTypes: z.array(z.enum(childcareServiceTypes)),
  places: z.number().int().min(0),
  inclusive: z.boolean(),
  enrolled: z.number().int().min(0),
  staffTotal: z.number().int().min(0),
  staffCertified: z.number().int().min(0),
  medicalContract: z.boolean(),
});
export type ChildcareInstitutionRecord = z.infer<typeof childcareInstitutionRecord>;

export const childcareEnrolmentRecord = sourceRecord({
  citizenId: citizenIdField,
  institutionId: z.string().min(1),
  serviceType: z.enum(childcareServiceTypes),
  enrolledOn: dateField,
});
export type ChildcareEnrolmentRecord = z.infer<typeof childcareEnrolmentRecord>;

export const elderlyHealthCheckRecord = sourceRecord({
  checkId: z.string().min(1),
  citizenId: citizenIdField,
  year: z.number().int().min(2000).max(2100),
  checkedOn: dateField,
  organisation: z.string().min(1),
});
export type ElderlyHealthCheckRecord = z.infer<typeof elderlyHealthCheckRecord>;

export const familyDoctorContractRecord = sourceRecord({
  contractId: z.string().min(1),
  citizenId: citizenIdField,
  team: z.string().min(1),
  organisation: z.string().min(1),
  signedOn: dateField,
  validUntil: dateField,
});
export type FamilyDoctorContractRecord = z.infer<typeof familyDoctorContractRecord>;

export const vaccinationArchiveRecord = z.object({
  archiveId: z.string().min(1),
  citizenId: citizenIdField,
  createdAt: timestampField,
});

/** 婴幼儿健康管理状态: MANAGED on every day up to `managedUntil` (null: newborn visit not done). */
export const infantManagementRecord = sourceRecord({
  citizenId: citizenIdField,
  regionCode: regionCodeField,
  birthDate: dateField,
  newbornVisitDone: z.boolean(),
  managedUntil: dateField.nullable(),
});
export type InfantManagementRecord = z.infer<typeof infantManagementRecord>;

export const healthInterface = defineDepartment({
  name: 'health',
  department: '卫健',
  departmentEn: 'health',
  entities: {
    birthCertificate: {
      description: '出生医学证明 Birth medical certificate',
      key: 'certificateNumber',
      cardinality: 'one',
      recordId: 'certificateNumber',
      record: birthCertificateRecord,
    },
    infantVisit: {
      description: '新生儿访视与婴幼儿健康检查 Newborn home visit or scheduled infant health check',
      key: 'citizenId',
      cardinality: 'many',
      recordId: 'visitId',
      record: infantVisitRecord,
    },
    vaccination: {
      description: '预防接种记录 Vaccination',
      key: 'citizenId',
      cardinality: 'many',
      recordId: 'vaccinationId',
      record: vaccinationRecord,
    },
    childcareInstitution: {
      description: '托育机构及备案 Childcare institution and its filing',
      key: 'institutionId',
      cardinality: 'one',
      recordId: 'institutionId',
      record: childcareInstitutionRecord,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        filingStatus: { field: 'filingStatus', kind: 'in' },
        inclusive: { field: 'inclusive', kind: 'eq' },
      },
    },
    childcareEnrolment: {
      description: '托育机构入托 Enrolment of a child in a childcare institution',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: childcareEnrolmentRecord,
    },
    elderlyHealthCheck: {
      description: '65岁及以上老年人健康体检 Annual health check of a person aged 65+',
      key: 'citizenId',
      cardinality: 'many',
      recordId: 'checkId',
      record: elderlyHealthCheckRecord,
    },
    familyDoctorContract: {
      description: '家庭医生签约 Family-doctor contract',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'contractId',
      record: familyDoctorContractRecord,
    },
    infantManagement: {
      description: '婴幼儿健康管理状态 Infant health management status of a child (the infantHealth rule)',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: infantManagementRecord,
      personal: true,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        bornOnOrAfter: { field: 'birthDate', kind: 'gte' },
        bornOnOrBefore: { field: 'birthDate', kind: 'lte' },
        managedOnOrAfter: { field: 'managedUntil', kind: 'gte' },
      },
    },
  },
  aggregates: {
    childcarePlaces: {
      description: '托育机构托位 Childcare places by region, filing status and 普惠 flag',
      entity: 'childcareInstitution',
      measures: {
        institutions: { op: 'count' },
        places: { op: 'sum', field: 'places' },
        enrolled: { op: 'sum', field: 'enrolled' },
      },
      dimensions: ['filingStatus', 'inclusive', 'registrationAuthority'],
      regionField: 'regionCode',
    },
    infantManagement: {
      description: '婴幼儿健康管理 Children by management status (filter by birth date and managedOnOrAfter)',
      entity: 'infantManagement',
      measures: { children: { op: 'count' } },
      dimensions: [],
      regionField: 'regionCode',
    },
  },
  commands: {
    issueBirthCertificate: {
      description: '签发出生医学证明 Issue a birth medical certificate',
      input: z.object({
        childName: z.string().min(1).max(50),
        sex: sexField,
        birthDate: dateField,
        birthWeightG: z.number().int().min(300).max(7000),
        hospital: z.string().min(1),
        motherCitizenId: citizenIdField,
        fatherCitizenId: citizenIdField.nullable(),
        regionCode: regionCodeField,
      }),
      result: birthCertificateRecord,
    },
    createVaccinationArchive: {
      description: '建立预防接种档案 Create the vaccination archive of a registered child',
      input: z.object({ citizenId: citizenIdField }),
      result: vaccinationArchiveRecord,
    },
  },
});
