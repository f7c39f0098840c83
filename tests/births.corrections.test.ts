/**
 * 出生一件事: each department after 公安 rejecting a step for a reason the applicant can fix (卫健's certificate,
 * 医保's enrolment, 人社's card application), through the HTTP endpoint and the running sandbox departments: the
 * department answers 422 with reason and field (its idempotency ledger is the oracle), the case waits in
 * NEEDS_CORRECTION naming the input to fix, `correctBirthApplication` makes revision 2, the succeeded steps are
 * not sent again, the rejected one is sent with a new key, and the departments hold exactly one of everything;
 * the service clock paused while the case waited on the applicant.
 */
import { isWorkday } from 'chinese-days';
import type { TestDepartments } from './helpers/departments';
import type { TestHub } from './helpers/hub';
import {
  applicationInput,
  CORRECT,
  departmentRows,
  startBirthTest,
  SUBMIT,
  waitForCase,
  type CaseView,
  type Parents,
} from './helpers/births';

jest.setTimeout(120_000);

let departments: TestDepartments;
let hub: TestHub;
let parents: Parents[];
const gql = (query: string, variables?: Record<string, unknown>) => hub.graphql(query, variables as never) as never;

beforeAll(async () => {
  ({ departments, hub, parents } = await startBirthTest('birthsfix', { count: 3, offset: 40 }));
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

const submit = async (input: unknown, key: string): Promise<CaseView> => {
  const response = await hub.graphql(SUBMIT, { input, key } as never);
  expect(response.body.errors).toBeUndefined();
  return (response.body.data as { submitBirthApplication: CaseView }).submitBirthApplication;
};

/** What the department's idempotency ledger answered for a key. */
const ledger = async (department: string, key: string) => {
  const rows = await departments.query<{ http_status: number; answer: { reason?: string; field?: string; message?: string } }>(
    'SELECT http_status, answer FROM sandbox.command_answer WHERE department = $1 AND idempotency_key = $2',
    [department, key],
  );
  return rows;
};

const step = (c: CaseView, code: string) => c.steps.find((s) => s.code === code)!;
const succeeded = (c: CaseView, code: string) => c.history.filter((e) => e.type === 'STEP_SUCCEEDED' && e.step === code);

/**
 * Runs one case to NEEDS_CORRECTION at `rejectedStep`, checks the department's 422 and the case's correction,
 * corrects it with `patch`, and checks the resumption: the steps done before are not sent again.
 */
async function rejectCorrectResume(options: {
  parents: Parents;
  input: Record<string, unknown>;
  rejectedStep: string;
  department: string;
  reason: string;
  departmentField: string;
  caseField: string;
  doneBefore: string[];
  rowsWhileWaiting: Record<string, number>;
  patch: Record<string, unknown>;
  key: string;
}) {
  const submitted = await submit(options.input, `${options.key}-submit`);
  const waiting = await waitForCase(gql, submitted.id, (c) => c.status === 'NEEDS_CORRECTION');
  const rejected = step(waiting, options.rejectedStep);
  expect(rejected.state).toBe('REJECTED');
  expect(rejected.replyReason).toBe(options.reason);
  const [answer] = await ledger(options.department, rejected.idempotencyKey);
  expect(answer).toMatchObject({ http_status: 422, answer: { reason: options.reason, field: options.departmentField } });
  expect(waiting.correction).toEqual({
    step: options.rejectedStep,
    reason: options.reason,
    field: options.caseField,
    message: answer!.answer.message,
  });
  expect(waiting.history.map((e) => e.type)).toEqual(expect.arrayContaining(['STEP_REJECTED', 'NEEDS_CORRECTION']));
  expect(
    waiting.steps
      .filter((s) => s.state === 'SUCCEEDED')
      .map((s) => s.code)
      .sort(),
  ).toEqual([...options.doneBefore].sort());
  expect(await departmentRows(departments, options.parents.motherId)).toMatchObject(options.rowsWhileWaiting);

  const corrected = await hub.graphql(CORRECT, {
    id: submitted.id,
    patch: options.patch,
    key: `${options.key}-correct`,
  } as never);
  expect(corrected.body.errors).toBeUndefined();
  const done = await waitForCase(gql, submitted.id, (c) => c.status === 'COMPLETED');
  expect(done.revision).toBe(2);
  // The clock paused while the case waited on the applicant: the due date moved by the working time of the
  // pause (from NEEDS_CORRECTION to CORRECTED; all of it on a working day, none on a day off).
  const at = (type: string) => new Date(done.history.find((e) => e.type === type)!.at);
  const pausedMs = at('CORRECTED').getTime() - at('NEEDS_CORRECTION').getTime();
  const chinaDay = new Date(at('CORRECTED').getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  expect(new Date(at('NEEDS_CORRECTION').getTime() + 8 * 3600_000).toISOString().slice(0, 10)).toBe(chinaDay);
  const moved = new Date(done.dueAt).getTime() - new Date(waiting.dueAt).getTime();
  expect(Math.abs(moved - (isWorkday(chinaDay) ? pausedMs : 0))).toBeLessThan(1000);
  expect(done.correction).toBeNull();
  for (const s of done.steps) expect(s.state).toBe('SUCCEEDED');
  // The rejected step went out again under a new key, which the department answered with success.
  const rerun = step(done, options.rejectedStep);
  expect(rerun.idempotencyKey).not.toBe(rejected.idempotencyKey);
  const [second] = await ledger(options.department, rerun.idempotencyKey);
  expect(second!.http_status).toBeGreaterThanOrEqual(200);
  expect(second!.http_status).toBeLessThan(300);
  // The steps done before the rejection were not sent again: same key, same attempts, one success each.
  for (const code of options.doneBefore) {
    expect(step(done, code).idempotencyKey).toBe(step(waiting, code).idempotencyKey);
    expect(step(done, code).attempts).toBe(step(waiting, code).attempts);
    expect(succeeded(done, code)).toHaveLength(1);
  }
  const rows = await departmentRows(departments, options.parents.motherId);
  expect(rows).toEqual({
    certificates: 1,
    registrations: 1,
    people: 1,
    archives: 1,
    enrolments: 1,
    cards: 1,
    child: step(done, 'BIRTH_REGISTRATION').identifier,
  });
  return done;
}

it('卫健 refuses a birth place that is not a registered 助产机构; the corrected certificate goes out with a new key', async () => {
  const p = parents[0]!;
  // A 助产机构 as health registers it: one that has issued certificates (read from its own records).
  const [registered] = await departments.query<{ hospital: string }>(
    `SELECT hospital FROM health.birth_certificate WHERE idempotency_key IS NULL ORDER BY hospital LIMIT 1`,
  );
  const input = applicationInput(p);
  await rejectCorrectResume({
    parents: p,
    input: { ...input, child: { ...input.child, birthPlace: '渝中区某某私人诊所' } },
    rejectedStep: 'BIRTH_CERTIFICATE',
    department: 'health',
    reason: 'UNKNOWN_MIDWIFERY_INSTITUTION',
    departmentField: 'hospital',
    caseField: 'child.birthPlace',
    doneBefore: [],
    rowsWhileWaiting: { certificates: 0, registrations: 0, people: 0, archives: 0, enrolments: 0, cards: 0 },
    patch: { child: { birthPlace: registered!.hospital } },
    key: 'fix-health',
  });
  const [certificate] = await departments.query<{ hospital: string }>(
    `SELECT hospital FROM health.birth_certificate WHERE mother_citizen_id = $1 AND idempotency_key LIKE 'birth:%'`,
    [p.motherId],
  );
  expect(certificate!.hospital).toBe(registered!.hospital);
});

it('医保 refuses a contact phone outside the mobile ranges; certificate, registration and archive are not repeated', async () => {
  const p = parents[1]!;
  // 11 digits starting with 1 passes pre-review; 120… is not an allocated mobile range, which 医保 checks.
  const done = await rejectCorrectResume({
    parents: p,
    input: applicationInput(p, { mother: { citizenId: p.motherId, phone: '12000000001' } }),
    rejectedStep: 'MEDICAL_INSURANCE',
    department: 'medical-insurance',
    reason: 'CONTACT_PHONE_NOT_MOBILE',
    departmentField: 'contactPhone',
    // The mother is the registering parent (the household is hers): her phone is the contact.
    caseField: 'mother.phone',
    doneBefore: ['BIRTH_CERTIFICATE', 'BIRTH_REGISTRATION', 'VACCINATION_ARCHIVE'],
    rowsWhileWaiting: { certificates: 1, registrations: 1, people: 1, archives: 1, enrolments: 0, cards: 0 },
    patch: { mother: { phone: '13900000001' } },
    key: 'fix-insurance',
  });
  // The card waited for the enrolment: it went out once, after the correction.
  expect(done.steps.find((s) => s.code === 'SOCIAL_SECURITY_CARD')!.idempotencyKey).toMatch(/:1$/);
});

it('人社 refuses a bank that does not issue social security cards; only the card application goes out again', async () => {
  const p = parents[2]!;
  await rejectCorrectResume({
    parents: p,
    input: applicationInput(p, { cardBank: '花旗银行' }),
    rejectedStep: 'SOCIAL_SECURITY_CARD',
    department: 'social-security',
    reason: 'BANK_NOT_PARTNER',
    departmentField: 'bank',
    caseField: 'cardBank',
    doneBefore: ['BIRTH_CERTIFICATE', 'BIRTH_REGISTRATION', 'VACCINATION_ARCHIVE', 'MEDICAL_INSURANCE'],
    rowsWhileWaiting: { certificates: 1, registrations: 1, people: 1, archives: 1, enrolments: 1, cards: 0 },
    patch: { cardBank: '重庆农村商业银行' },
    key: 'fix-card',
  });
});
