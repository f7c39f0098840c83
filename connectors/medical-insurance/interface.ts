import { z } from 'zod';
import { citizenIdField, dateField, defineDepartment, sourceRecord } from '../department-interface';

export const enrolmentRecord = sourceRecord({
  enrolmentId: z.string().min(1),
  citizenId: citizenIdField,
  scheme: z.enum(['RESIDENT', 'EMPLOYEE']),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'ENDED']),
  enrolledOn: dateField,
});
export type EnrolmentRecord = z.infer<typeof enrolmentRecord>;

export const medicalInsuranceInterface = defineDepartment({
  name: 'medical-insurance',
  department: '医保',
  departmentEn: 'medical insurance',
  entities: {
    enrolment: {
      description: '医保参保 Medical insurance enrolment',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'enrolmentId',
      record: enrolmentRecord,
    },
  },
  aggregates: {},
  commands: {
    enrol: {
      description: '城乡居民医保参保登记 Enrol a person in resident medical insurance',
      input: z.object({
        citizenId: citizenIdField,
        scheme: z.literal('RESIDENT'),
        /** The phone 医保 texts the enrolment to (a newborn's: the registering parent's); optional. */
        contactPhone: z.string().min(1).max(20).nullish(),
      }),
      result: enrolmentRecord,
    },
  },
});
