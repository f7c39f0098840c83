/**
 * The 出生一件事 step graph (DESIGN §5), as data: which department command each step sends, what it needs
 * first, which optional item turns it on, and which rejection reasons the applicant can fix. A region changes
 * the graph here (order, optional items, deadlines, fixable reasons) without touching the runner; the input
 * builders map the case onto each department's published command input.
 */
import type { ConnectorName } from '../../connectors/department-interface';
import { scalarText } from '../../domain/text';
import type { BirthApplicationInput, BirthApplicationItem } from './input';

export type StepCode =
  'BIRTH_CERTIFICATE' | 'BIRTH_REGISTRATION' | 'VACCINATION_ARCHIVE' | 'MEDICAL_INSURANCE' | 'SOCIAL_SECURITY_CARD';

/** What a step's input may draw on: the case's input, the registering parent, and earlier steps' results. */
export interface StepInputs {
  input: BirthApplicationInput;
  registeringParentCitizenId: string;
  /** Identifiers produced by succeeded steps, by step code. */
  produced: Partial<Record<StepCode, string>>;
}

export interface StepDefinition {
  code: StepCode;
  name: string;
  connector: ConnectorName;
  command: string;
  needs: StepCode[];
  /** The optional item that turns the step on (always on when null). */
  item: BirthApplicationItem | null;
  /** The result field holding the identifier the step produces. */
  produces: (result: Record<string, unknown>) => string | null;
  /** The department's command input. */
  buildInput: (from: StepInputs) => Record<string, unknown>;
  /**
   * Rejection reasons the applicant can fix (NEEDS_CORRECTION), with the input path to correct (or how to find
   * it from the case, when it depends on which parent registers the child). Others reject the case.
   */
  fixable: Record<string, string | ((from: StepInputs) => string)>;
  /**
   * How to read the step's outcome from the department's published record, for steps whose record the hub
   * can address (asynchronous replies, and overdue steps: asked by key instead of commanding again).
   */
  record?: {
    entity: string;
    key: (from: StepInputs) => string | null;
    /** SUCCEEDED with the identifier, REJECTED with a reason, or null while the department is still at it. */
    outcome: (record: Record<string, unknown>) => { succeeded: string } | { rejected: string } | null;
  };
}

/** The registering parent (in whose household the child is registered): the family's contact for the departments. */
const registeringParent = (from: StepInputs): 'mother' | 'father' =>
  from.registeringParentCitizenId === from.input.father.citizenId ? 'father' : 'mother';

/** The input path a fixable rejection points the applicant at. */
export function correctionField(step: StepDefinition, reason: string, from: StepInputs): string | null {
  const field = step.fixable[reason];
  if (field === undefined) return null;
  return typeof field === 'string' ? field : field(from);
}

const need = (from: StepInputs, step: StepCode): string => {
  const value = from.produced[step];
  if (!value) throw new Error(`step ${step} has produced nothing yet`);
  return value;
};

export const BIRTH_STEPS: readonly StepDefinition[] = [
  {
    code: 'BIRTH_CERTIFICATE',
    name: '出生医学证明 Birth medical certificate',
    connector: 'health',
    command: 'issueBirthCertificate',
    needs: [],
    item: null,
    produces: (result) => scalarText(result.certificateNumber) || null,
    buildInput: ({ input }) => ({
      childName: input.child.name,
      sex: input.child.sex,
      birthDate: input.child.birthDate,
      birthWeightG: input.child.birthWeightG,
      hospital: input.child.birthPlace,
      motherCitizenId: input.mother.citizenId,
      fatherCitizenId: input.father.citizenId,
      regionCode: input.enrolmentRegionCode,
    }),
    fixable: {
      BIRTH_DATE_IN_FUTURE: 'child.birthDate',
      INVALID_CITIZEN_ID: 'mother.citizenId',
      UNKNOWN_MIDWIFERY_INSTITUTION: 'child.birthPlace',
    },
  },
  {
    code: 'BIRTH_REGISTRATION',
    name: '出生登记 Birth registration (户口)',
    connector: 'public-security',
    command: 'registerBirth',
    needs: ['BIRTH_CERTIFICATE'],
    item: null,
    produces: (result) => scalarText(result.citizenId) || null,
    buildInput: (from) => ({
      certificateNumber: need(from, 'BIRTH_CERTIFICATE'),
      childName: from.input.child.name,
      sex: from.input.child.sex,
      birthDate: from.input.child.birthDate,
      guardianCitizenId: from.registeringParentCitizenId,
    }),
    fixable: {
      GUARDIAN_NOT_FOUND: 'householdHeadCitizenId',
      GUARDIAN_NOT_A_PARENT: 'householdHeadCitizenId',
      DOES_NOT_MATCH_CERTIFICATE: 'child',
    },
  },
  {
    code: 'VACCINATION_ARCHIVE',
    name: '预防接种档案 Vaccination archive',
    connector: 'health',
    command: 'createVaccinationArchive',
    needs: ['BIRTH_REGISTRATION'],
    item: 'VACCINATION_ARCHIVE',
    produces: (result) => scalarText(result.archiveId) || null,
    buildInput: (from) => ({ citizenId: need(from, 'BIRTH_REGISTRATION') }),
    fixable: {},
  },
  {
    code: 'MEDICAL_INSURANCE',
    name: '医保参保 Resident medical insurance enrolment',
    connector: 'medical-insurance',
    command: 'enrol',
    needs: ['BIRTH_REGISTRATION'],
    item: 'MEDICAL_INSURANCE',
    produces: (result) => scalarText(result.enrolmentId) || null,
    buildInput: (from) => ({
      citizenId: need(from, 'BIRTH_REGISTRATION'),
      scheme: 'RESIDENT',
      contactPhone: from.input[registeringParent(from)].phone,
    }),
    fixable: { CONTACT_PHONE_NOT_MOBILE: (from) => `${registeringParent(from)}.phone` },
    record: {
      entity: 'enrolment',
      key: (from) => from.produced.BIRTH_REGISTRATION ?? null,
      outcome: (record) => (record.status === 'ACTIVE' ? { succeeded: String(record.enrolmentId) } : null),
    },
  },
  {
    code: 'SOCIAL_SECURITY_CARD',
    name: '社保卡申领 Social security card application',
    connector: 'social-security',
    command: 'applyForCard',
    needs: ['BIRTH_REGISTRATION', 'MEDICAL_INSURANCE'],
    item: 'SOCIAL_SECURITY_CARD',
    produces: (result) => (result.cardNumber ? scalarText(result.cardNumber) : null),
    buildInput: (from) => ({
      citizenId: need(from, 'BIRTH_REGISTRATION'),
      medicalInsuranceEnrolmentId: need(from, 'MEDICAL_INSURANCE'),
      bank: from.input.cardBank ?? null,
    }),
    fixable: { BANK_NOT_PARTNER: 'cardBank' },
    record: {
      entity: 'cardApplication',
      key: (from) => from.produced.BIRTH_REGISTRATION ?? null,
      outcome: (record) => {
        if (record.status === 'ISSUED' && record.cardNumber) return { succeeded: scalarText(record.cardNumber) };
        if (record.status === 'REJECTED') return { rejected: scalarText(record.rejectReason, 'REJECTED') };
        return null;
      },
    },
  },
];

export function stepDefinition(code: string): StepDefinition {
  const step = BIRTH_STEPS.find((candidate) => candidate.code === code);
  if (!step) throw new Error(`no birth application step ${code}`);
  return step;
}

/** Whether the parents' choice of items turns the step on. */
export function isChosen(step: StepDefinition, items: readonly BirthApplicationItem[]): boolean {
  return step.item === null || items.includes(step.item);
}

/** The idempotency key a step sends with every attempt of one key revision. */
export function stepIdempotencyKey(applicationId: string, code: StepCode, keyRevision: number): string {
  return `birth:${applicationId}:${code}:${keyRevision}`;
}
