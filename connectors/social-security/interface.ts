import { z } from 'zod';
import { citizenIdField, dateField, defineDepartment, sourceRecord } from '../department-interface';

export const cardApplicationRecord = sourceRecord({
  applicationId: z.string().min(1),
  citizenId: citizenIdField,
  status: z.enum(['ACCEPTED', 'ISSUED', 'REJECTED']),
  cardNumber: z.string().min(1).nullable(),
  rejectReason: z.string().nullable(),
  appliedOn: dateField,
});
export type CardApplicationRecord = z.infer<typeof cardApplicationRecord>;

export const socialSecurityInterface = defineDepartment({
  name: 'social-security',
  department: '人社',
  departmentEn: 'human resources and social security',
  entities: {
    cardApplication: {
      description: '社保卡申领 Social security card application',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'applicationId',
      record: cardApplicationRecord,
    },
  },
  aggregates: {},
  commands: {
    applyForCard: {
      description: '社保卡申领 Apply for a social security card (needs medical insurance enrolment)',
      input: z.object({
        citizenId: citizenIdField,
        medicalInsuranceEnrolmentId: z.string().min(1),
        /** The card's partner bank (金融社保卡), one of 人社's partner banks; absent: 人社 assigns one. */
        bank: z.string().min(1).max(40).nullish(),
      }),
      result: cardApplicationRecord,
    },
  },
});
