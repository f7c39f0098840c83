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

export const residenceTypes = ['REGISTERED_RESIDENT', 'RESIDENT_ONLY', 'REGISTERED_ONLY'] as const;

export const personRecord = sourceRecord({
  citizenId: citizenIdField,
  name: z.string().min(1).max(50),
  sex: sexField,
  birthDate: dateField,
  ethnicity: z.string().min(1),
  phone: z
    .string()
    .regex(/^1\d{10}$/)
    .nullable(),
  regionCode: regionCodeField,
  address: z.string().min(1),
  householdId: z.string().min(1),
  householdHeadId: citizenIdField,
  relationToHead: z.string().min(1),
  residenceType: z.enum(residenceTypes),
  registeredOn: dateField,
});
export type PersonRecord = z.infer<typeof personRecord>;

export const publicSecurityInterface = defineDepartment({
  name: 'public-security',
  department: '公安',
  departmentEn: 'public security',
  entities: {
    person: {
      description: '户籍与居住登记人员 Person in household or residence registration',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: personRecord,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        sex: { field: 'sex', kind: 'eq' },
        residenceType: { field: 'residenceType', kind: 'in' },
        bornOnOrAfter: { field: 'birthDate', kind: 'gte' },
        bornOnOrBefore: { field: 'birthDate', kind: 'lte' },
      },
    },
  },
  aggregates: {
    population: {
      description: '人口数 Population by region, birth year and residence type (denominators of indicators)',
      entity: 'person',
      measures: { persons: { op: 'count' } },
      dimensions: ['birthYear', 'sex', 'residenceType'],
      regionField: 'regionCode',
    },
  },
  commands: {
    registerBirth: {
      description: '出生登记 Register a newborn in the household of a parent and assign a citizen ID',
      input: z.object({
        certificateNumber: z.string().min(1),
        childName: z.string().min(1).max(50),
        sex: sexField,
        birthDate: dateField,
        guardianCitizenId: citizenIdField,
      }),
      result: z.object({
        registrationId: z.string().min(1),
        citizenId: citizenIdField,
        status: z.enum(['REGISTERED', 'REJECTED']),
        rejectReason: z.string().nullable(),
        registeredAt: timestampField,
      }),
    },
  },
});
