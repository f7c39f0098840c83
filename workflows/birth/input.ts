/**
 * The shape of a newborn joint application (BirthApplicationInput), as zod: the first half of pre-review.
 * Every problem is collected (zod reports all issues of a parse), each with its input path and a reason code.
 */
import { z } from 'zod';

export const BIRTH_APPLICATION_ITEMS = ['VACCINATION_ARCHIVE', 'MEDICAL_INSURANCE', 'SOCIAL_SECURITY_CARD'] as const;
export type BirthApplicationItem = (typeof BIRTH_APPLICATION_ITEMS)[number];

const phone = z.string().regex(/^1\d{10}$/, 'PHONE_FORMAT');
const citizenId = z.string().min(1, 'REQUIRED');

export const birthApplicationInputSchema = z.object({
  child: z.object({
    name: z.string(),
    sex: z.enum(['M', 'F']),
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'DATE_FORMAT'),
    /** Time of birth, HH:MM (24 h). */
    birthTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'TIME_FORMAT')
      .nullish(),
    birthPlace: z.string().trim().min(1, 'REQUIRED').max(100, 'TOO_LONG'),
    birthOrder: z.number().int().min(1, 'BIRTH_ORDER_RANGE').max(20, 'BIRTH_ORDER_RANGE'),
    birthWeightG: z.number().int().min(300, 'BIRTH_WEIGHT_RANGE').max(7000, 'BIRTH_WEIGHT_RANGE'),
    /** The child's surname is not a parent's (e.g. a grandparent's or a compound surname); documented on paper. */
    surnameException: z.boolean().nullish(),
  }),
  mother: z.object({ citizenId, phone }),
  father: z.object({ citizenId, phone }),
  marriageCertificateNumber: z.string().trim().min(1, 'REQUIRED').max(40, 'TOO_LONG'),
  householdHeadCitizenId: citizenId,
  householdConsent: z.boolean(),
  enrolmentRegionCode: z.string(),
  items: z.array(z.enum(BIRTH_APPLICATION_ITEMS)),
  /** The 社保卡 partner bank the parents choose (人社 keeps the list; absent: 人社 assigns one). */
  cardBank: z.string().trim().min(1, 'REQUIRED').max(40, 'TOO_LONG').nullish(),
});

export type BirthApplicationInput = z.infer<typeof birthApplicationInputSchema>;

/** A problem found by pre-review: the input path (e.g. `mother.citizenId`) and a stable reason code. */
export interface PreReviewProblem {
  field: string;
  reason: string;
  message: string;
}
