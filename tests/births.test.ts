/**
 * 出生一件事 through the HTTP endpoint, with the running sandbox departments and their databases as the oracle:
 * happy path, pre-review, duplicates, callbacks, rejection and correction, cancellation, an outage.
 */
import { createHash, createHmac } from 'node:crypto';
import type { TestDepartments } from './helpers/departments';
import { OPS_HEADERS, TEST_AUDIT_HMAC_KEY, type TestHub } from './helpers/hub';
import {
  applicationInput,
  CANCEL,
  CORRECT,
  departmentRows,
  READ,
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
  ({ departments, hub, parents } = await startBirthTest('births', { count: 10, offset: 0 }));
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

const submit = async (input: unknown, key: string) => {
  const response = await hub.graphql(SUBMIT, { input, key } as never);
  return response.body as {
    data?: { submitBirthApplication: CaseView | null };
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
};
const completed = (c: CaseView) => c.status === 'COMPLETED';

it('runs a case to COMPLETED with all five identifiers, exactly one of each at the departments', async () => {
  const p = parents[0]!;
  const answer = await submit(applicationInput(p), 'happy-path-0001');
  expect(answer.errors).toBeUndefined();
  const submitted = answer.data!.submitBirthApplication!;
  expect(['SUBMITTED', 'IN_PROGRESS']).toContain(submitted.status);

  const done = await waitForCase(gql, submitted.id, completed);
  const byCode = Object.fromEntries(done.steps.map((s) => [s.code, s]));
  expect(Object.keys(byCode).sort()).toEqual([
    'BIRTH_CERTIFICATE',
    'BIRTH_REGISTRATION',
    'MEDICAL_INSURANCE',
    'SOCIAL_SECURITY_CARD',
    'VACCINATION_ARCHIVE',
  ]);
  for (const step of done.steps) expect(step.state).toBe('SUCCEEDED');
  expect(byCode.BIRTH_CERTIFICATE!.identifier).toMatch(/^Q500103\d{6}$/);
  expect(byCode.BIRTH_REGISTRATION!.identifier).toMatch(/^500103\d{11}[\dX]$/);
  expect(byCode.VACCINATION_ARCHIVE!.identifier).toMatch(/^VA\d{10}$/);
  expect(byCode.MEDICAL_INSURANCE!.identifier).toMatch(/^MI\d{12}$/);
  expect(byCode.SOCIAL_SECURITY_CARD!.identifier).toMatch(/^CQ\d{9}$/);
  expect(byCode.BIRTH_REGISTRATION!.lineage).toEqual({
    department: 'public-security',
    sourceRecordId: byCode.BIRTH_REGISTRATION!.identifier,
  });
  expect(done.child.citizenId).toBe(byCode.BIRTH_REGISTRATION!.identifier);
  expect(done.history.map((e) => e.type)).toEqual(
    expect.arrayContaining(['SUBMITTED', 'PRE_REVIEW_PASSED', 'STEP_DISPATCHED', 'STEP_ACCEPTED', 'STEP_SUCCEEDED', 'COMPLETED']),
  );

  const rows = await departmentRows(departments, p.motherId);
  expect(rows).toEqual({
    certificates: 1,
    registrations: 1,
    people: 1,
    archives: 1,
    enrolments: 1,
    cards: 1,
    child: byCode.BIRTH_REGISTRATION!.identifier,
  });

  // The same key and input return the same case; another input under that key is a typed conflict.
  const again = await submit(applicationInput(p), 'happy-path-0001');
  expect(again.data!.submitBirthApplication!.id).toBe(submitted.id);
  const other = await submit(applicationInput(p, { marriageCertificateNumber: 'J-OTHER-1' }), 'happy-path-0001');
  expect(other.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'idempotencyKey',
    reason: 'IDEMPOTENCY_KEY_REUSED',
  });
  // The same child under another key: the duplicate guard.
  const duplicate = await submit(applicationInput(p), 'happy-path-0002');
  expect(duplicate.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'DUPLICATE_APPLICATION',
    applicationId: submitted.id,
  });
  expect(await departmentRows(departments, p.motherId)).toMatchObject({ certificates: 1, cards: 1 });

  // The due date is an estimate exactly when it reaches past 2026, the last year whose notice the calendar holds.
  expect(done.dueAtEstimated).toBe(Number(new Date(new Date(done.dueAt).getTime() + 8 * 3600_000).getUTCFullYear()) > 2026);

  const metrics = await (await hub.get('/metrics', OPS_HEADERS)).text();
  expect(metrics).toMatch(/hub_birth_applications\{status="COMPLETED"\} [1-9]/);
  expect(metrics).toMatch(/hub_birth_step_attempts_total\{step="SOCIAL_SECURITY_CARD",department="social-security"\} [1-9]/);
});

it('pre-review lists every problem at once and writes nothing', async () => {
  const p = parents[1]!;
  const before = await hub.prisma.birthApplication.count();
  const answer = await submit(
    applicationInput(p, {
      mother: { citizenId: '500103199001011234', phone: '12345' },
      householdHeadCitizenId: '11010519491231002X',
      enrolmentRegionCode: '500103',
      child: { ...applicationInput(p).child, name: 'Alice', birthDate: '2099-01-01' },
      items: ['SOCIAL_SECURITY_CARD'],
    }),
    'pre-review-0001',
  );
  expect(answer.data?.submitBirthApplication).toBeNull();
  const error = answer.errors![0]!;
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PRE_REVIEW_FAILED' });
  const problems = (error.extensions!.problems as Array<{ field: string; reason: string }>).map((x) => `${x.field}:${x.reason}`);
  // The phone's shape fails first (zod); fix it and the facts show, all at once.
  expect(problems).toEqual(['mother.phone:PHONE_FORMAT']);
  const second = await submit(
    applicationInput(p, {
      mother: { citizenId: '500103199001011234', phone: '13900000000' },
      householdHeadCitizenId: '11010519491231002X',
      enrolmentRegionCode: '500103',
      child: { ...applicationInput(p).child, name: 'Alice', birthDate: '2099-01-01' },
      items: ['SOCIAL_SECURITY_CARD'],
    }),
    'pre-review-0002',
  );
  const facts = (second.errors![0]!.extensions!.problems as Array<{ field: string; reason: string }>).map(
    (x) => `${x.field}:${x.reason}`,
  );
  expect(facts).toEqual(
    expect.arrayContaining([
      'mother.citizenId:CITIZEN_ID_CHECK_DIGIT',
      'child.birthDate:BIRTH_DATE_IN_FUTURE',
      'child.name:NAME_FORMAT',
      'items:SOCIAL_SECURITY_CARD_NEEDS_MEDICAL_INSURANCE',
      'enrolmentRegionCode:REGION_NOT_COMMUNITY',
      'householdHeadCitizenId:NOT_IN_REGISTER',
    ]),
  );
  expect(await hub.prisma.birthApplication.count()).toBe(before);
  expect(await departmentRows(departments, p.motherId)).toMatchObject({ certificates: 0 });
});

it('concurrent duplicate submissions produce exactly one case', async () => {
  const p = parents[2]!;
  const input = applicationInput(p, { items: [] });
  const answers = await Promise.all([
    submit(input, 'concurrent-0001'),
    submit(input, 'concurrent-0001'),
    submit(input, 'concurrent-0002'),
    submit(input, 'concurrent-0003'),
  ]);
  const ids = new Set(answers.map((a) => a.data?.submitBirthApplication?.id).filter(Boolean));
  expect(ids.size).toBe(1);
  const [id] = [...ids] as string[];
  // Whichever key won, every other answer is that case (same key) or a duplicate naming it.
  const outcomes = answers.map(
    (a) =>
      a.data?.submitBirthApplication?.id ??
      `${a.errors?.[0]?.extensions?.reason as string | undefined}:${a.errors?.[0]?.extensions?.applicationId as string | undefined}`,
  );
  for (const outcome of outcomes) expect([id, `DUPLICATE_APPLICATION:${id}`]).toContain(outcome);
  expect(outcomes.filter((o) => o.startsWith('DUPLICATE_APPLICATION')).length).toBeGreaterThanOrEqual(2);
  const done = await waitForCase(gql, id!, completed);
  expect(
    done.steps
      .filter((s) => s.state === 'SKIPPED')
      .map((s) => s.code)
      .sort(),
  ).toEqual(['MEDICAL_INSURANCE', 'SOCIAL_SECURITY_CARD', 'VACCINATION_ARCHIVE']);
  expect(await departmentRows(departments, p.motherId)).toMatchObject({
    certificates: 1,
    registrations: 1,
    people: 1,
    archives: 0,
    enrolments: 0,
    cards: 0,
  });
});

it('a rejection the applicant can fix needs a correction; the corrected case resumes without repeating done steps', async () => {
  const p = parents[3]!;
  // Public security is down while the certificate is issued; then the certificate names someone else as
  // the mother's partner and the registering parent: registerBirth answers GUARDIAN_NOT_A_PARENT.
  await departments.setFaults('public-security', { outage: true });
  let id: string;
  try {
    // Pre-review needs 公安: read it before the outage (submit first, then switch the outage on).
    await departments.clearFaults('public-security');
    const answer = await submit(applicationInput(p, { items: ['MEDICAL_INSURANCE'] }), 'correction-0001');
    id = answer.data!.submitBirthApplication!.id;
    await departments.setFaults('public-security', { outage: true });
    await waitForCase(gql, id, (c) => c.steps.find((s) => s.code === 'BIRTH_CERTIFICATE')!.state === 'SUCCEEDED');
    await departments.query(
      `UPDATE health.birth_certificate SET mother_citizen_id = $2 WHERE mother_citizen_id = $1 AND idempotency_key LIKE 'birth:%'`,
      [p.motherId, parents[9]!.motherId],
    );
  } finally {
    await departments.clearFaults('public-security');
  }
  const rejected = await waitForCase(gql, id, (c) => c.status === 'NEEDS_CORRECTION');
  expect(rejected.correction).toMatchObject({
    step: 'BIRTH_REGISTRATION',
    reason: 'GUARDIAN_NOT_A_PARENT',
    field: 'householdHeadCitizenId',
  });
  const rejectedKey = rejected.steps.find((s) => s.code === 'BIRTH_REGISTRATION')!.idempotencyKey;
  // The department's record is put right (the applicant had the certificate amended), then the case is corrected.
  await departments.query(
    `UPDATE health.birth_certificate SET mother_citizen_id = $1 WHERE mother_citizen_id = $2 AND idempotency_key LIKE 'birth:%'`,
    [p.motherId, parents[9]!.motherId],
  );
  const corrected = await hub.graphql(CORRECT, {
    id,
    patch: { mother: { phone: '13900000009' } },
    key: 'correction-0002',
  } as never);
  expect(corrected.body.errors).toBeUndefined();
  const done = await waitForCase(gql, id, completed);
  expect(done.revision).toBe(2);
  const registration = done.steps.find((s) => s.code === 'BIRTH_REGISTRATION')!;
  expect(registration.idempotencyKey).not.toBe(rejectedKey);
  expect(done.steps.find((s) => s.code === 'BIRTH_CERTIFICATE')!.attempts).toBeGreaterThanOrEqual(1);
  expect(done.history.filter((e) => e.type === 'STEP_SUCCEEDED' && e.step === 'BIRTH_CERTIFICATE')).toHaveLength(1);
  expect(await departmentRows(departments, p.motherId)).toMatchObject({
    certificates: 1,
    registrations: 1,
    people: 1,
    enrolments: 1,
    cards: 0,
  });
});

it('a department down for a while delays the case, never duplicates it', async () => {
  const p = parents[4]!;
  await departments.setFaults('medical-insurance', { outage: true });
  const answer = await submit(applicationInput(p), 'outage-0001');
  const id = answer.data!.submitBirthApplication!.id;
  const waiting = await waitForCase(gql, id, (c) => (c.steps.find((s) => s.code === 'MEDICAL_INSURANCE')?.attempts ?? 0) >= 3);
  expect(waiting.status).toBe('IN_PROGRESS');
  expect(waiting.history.some((e) => e.type === 'STEP_RETRY' && e.step === 'MEDICAL_INSURANCE')).toBe(true);
  await departments.clearFaults('medical-insurance');
  await waitForCase(gql, id, completed);
  expect(await departmentRows(departments, p.motherId)).toMatchObject({
    certificates: 1,
    registrations: 1,
    archives: 1,
    enrolments: 1,
    cards: 1,
  });
});

it('cancellation before registration cancels every remaining step; after it, only the steps not yet done', async () => {
  const early = parents[5]!;
  await departments.setFaults('health', { outage: true });
  let id: string;
  try {
    id = (await submit(applicationInput(early), 'cancel-0001')).data!.submitBirthApplication!.id;
    const cancelled = (
      (await hub.graphql(CANCEL, { id, reason: '家长撤回 parents withdrew' } as never)).body.data as {
        cancelBirthApplication: CaseView;
      }
    ).cancelBirthApplication;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.registered).toBe(false);
    expect(cancelled.steps.every((s) => s.state === 'CANCELLED')).toBe(true);
  } finally {
    await departments.clearFaults('health');
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(((await hub.graphql(READ, { id } as never)).body.data as { birthApplication: CaseView }).birthApplication).toMatchObject(
    { status: 'CANCELLED' },
  );
  expect(await departmentRows(departments, early.motherId)).toMatchObject({ certificates: 0 });

  const late = parents[6]!;
  await departments.setFaults('medical-insurance', { outage: true });
  let lateId: string;
  try {
    lateId = (await submit(applicationInput(late), 'cancel-0002')).data!.submitBirthApplication!.id;
    await waitForCase(
      gql,
      lateId,
      (c) => c.registered && c.steps.find((s) => s.code === 'VACCINATION_ARCHIVE')!.state === 'SUCCEEDED',
    );
    const cancelled = (
      (await hub.graphql(CANCEL, { id: lateId, reason: '家长撤回 parents withdrew' } as never)).body.data as {
        cancelBirthApplication: CaseView;
      }
    ).cancelBirthApplication;
    expect(cancelled.registered).toBe(true);
    const states = Object.fromEntries(cancelled.steps.map((s) => [s.code, s.state]));
    expect(states).toEqual({
      BIRTH_CERTIFICATE: 'SUCCEEDED',
      BIRTH_REGISTRATION: 'SUCCEEDED',
      VACCINATION_ARCHIVE: 'SUCCEEDED',
      MEDICAL_INSURANCE: 'CANCELLED',
      SOCIAL_SECURITY_CARD: 'CANCELLED',
    });
  } finally {
    await departments.clearFaults('medical-insurance');
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await departmentRows(departments, late.motherId)).toMatchObject({
    certificates: 1,
    registrations: 1,
    people: 1,
    archives: 1,
    enrolments: 0,
    cards: 0,
  });
});

it('forged, replayed, malformed and late callbacks change nothing', async () => {
  const p = parents[7]!;
  const id = (await submit(applicationInput(p), 'callbacks-0001')).data!.submitBirthApplication!.id;
  const done = await waitForCase(gql, id, completed);
  const cardKey = done.steps.find((s) => s.code === 'SOCIAL_SECURITY_CARD')!.idempotencyKey;
  const post = (token: string, body: string, key = cardKey) =>
    fetch(`${hub.url}/callbacks/birth-steps/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body,
    });
  const forgedToken = `${Buffer.from(cardKey).toString('base64url')}.${Buffer.alloc(32, 7).toString('base64url')}`;
  expect((await post(forgedToken, JSON.stringify({ status: 'ISSUED', cardNumber: 'CQ999999999' }))).status).toBe(401);
  expect((await post('not-a-token', '{}')).status).toBe(401);

  // The hub's own token for the card step, as the department received it: read back from the department's ledger.
  const [ledger] = await departments.query<{ callback_url: string }>(
    `SELECT callback_url FROM sandbox.command_answer WHERE department = 'social-security' AND idempotency_key = $1`,
    [cardKey],
  );
  const token = ledger!.callback_url.split('/').pop()!;
  expect((await post(token, 'this is not json')).status).toBe(400);
  // The real callback was delivered already (or the poll found the record): a replay or a late one is a no-op.
  const card = done.steps.find((s) => s.code === 'SOCIAL_SECURITY_CARD')!.identifier;
  const replay = await post(
    token,
    JSON.stringify({ status: 'ISSUED', cardNumber: 'CQ000000001', citizenId: done.child.citizenId }),
  );
  expect(replay.status).toBe(200);
  const replayAgain = await post(
    token,
    JSON.stringify({ status: 'ISSUED', cardNumber: 'CQ000000001', citizenId: done.child.citizenId }),
  );
  expect(await replayAgain.json()).toEqual({ outcome: 'REPLAYED' });
  const after = ((await hub.graphql(READ, { id } as never)).body.data as { birthApplication: CaseView }).birthApplication;
  expect(after.status).toBe('COMPLETED');
  expect(after.steps.find((s) => s.code === 'SOCIAL_SECURITY_CARD')!.identifier).toBe(card);
  expect(await departmentRows(departments, p.motherId)).toMatchObject({ cards: 1 });
});

const WATCH = `subscription WatchBirthApplication($id: ID!) {
  birthApplicationUpdated(id: $id) { event { type step } application { status } } }`;

it('the subscription receives each step over graphql-ws, authenticated with key and purpose, each result audited', async () => {
  const { createClient } = await import('graphql-ws');
  const WebSocket = (await import('ws')).default;
  const p = parents[8]!;
  await departments.setFaults('health', { outage: true });
  let id: string;
  try {
    id = (await submit(applicationInput(p), 'subscription-0001')).data!.submitBirthApplication!.id;
  } finally {
    // The outage holds the first step until the subscription is open.
  }
  const client = createClient({
    url: hub.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: 'Bearer test-demo-key-0123456789abcdef', 'x-purpose': 'DEMO' },
  });
  const seen: Array<{ type: string; step: string | null; status: string }> = [];
  const finished = new Promise<void>((resolve, reject) => {
    client.subscribe<{
      birthApplicationUpdated: { event: { type: string; step: string | null }; application: { status: string } };
    }>(
      {
        query: WATCH,
        variables: { id },
      },
      {
        next: (message) => {
          const update = message.data!.birthApplicationUpdated;
          seen.push({ ...update.event, status: update.application.status });
          if (update.event.type === 'COMPLETED') resolve();
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await departments.clearFaults('health');
  await Promise.race([
    finished,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no COMPLETED event; saw ${JSON.stringify(seen)}`)), 45_000)),
  ]);
  await client.dispose();
  const succeeded = seen
    .filter((e) => e.type === 'STEP_SUCCEEDED')
    .map((e) => e.step)
    .sort();
  expect(succeeded).toEqual([
    'BIRTH_CERTIFICATE',
    'BIRTH_REGISTRATION',
    'MEDICAL_INSURANCE',
    'SOCIAL_SECURITY_CARD',
    'VACCINATION_ARCHIVE',
  ]);
  expect(seen.at(-1)).toMatchObject({ type: 'COMPLETED', status: 'COMPLETED' });

  // Every delivered result was audited as a personal read before it was sent: parents and household head from
  // the first event on, the child too once registered; the document is the subscription's.
  const child = ((await hub.graphql(READ, { id } as never)).body.data as { birthApplication: CaseView }).birthApplication.child;
  const audits = await hub.prisma.auditEvent.findMany({
    where: { operationName: 'WatchBirthApplication' },
    orderBy: { seq: 'asc' },
  });
  expect(audits.length).toBeGreaterThanOrEqual(seen.length);
  const hashOf = (citizenId: string) => createHmac('sha256', TEST_AUDIT_HMAC_KEY).update(citizenId, 'utf8').digest('hex');
  for (const audit of audits) {
    expect(audit).toMatchObject({
      purpose: 'DEMO',
      outcome: 'OK',
      documentHash: createHash('sha256').update(WATCH, 'utf8').digest('hex'),
    });
    expect(audit.requestId).toMatch(/^ws-/);
    expect(audit.subjects).toEqual(expect.arrayContaining([hashOf(p.motherId), hashOf(p.fatherId), hashOf(p.headId)]));
  }
  expect(audits.at(-1)!.subjects).toContain(hashOf(child.citizenId!));

  // A connection without a valid key is refused.
  const refused = createClient({
    url: hub.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: 'Bearer wrong', 'x-purpose': 'DEMO' },
    retryAttempts: 0,
  });
  const outcome = await new Promise<string>((resolve) => {
    refused.subscribe(
      { query: `subscription S($id: ID!) { birthApplicationUpdated(id: $id) { event { type } } }`, variables: { id } },
      { next: () => resolve('next'), error: () => resolve('error'), complete: () => resolve('complete') },
    );
  });
  await refused.dispose();
  expect(outcome).toBe('error');
});

it('readiness and metrics name the years ahead whose holidays the service clock does not know', async () => {
  // The years from today to 31 days ahead (China time) after 2026, the last year chinese-days 1.5.7 holds.
  const year = (ms: number) => new Date(ms + 8 * 3600_000).getUTCFullYear();
  const expected: number[] = [];
  for (let y = Math.max(year(Date.now()), 2027); y <= year(Date.now() + 31 * 86_400_000); y++) expected.push(y);
  const ready = (await (await hub.get('/readyz', OPS_HEADERS)).json()) as {
    serviceClock: { calendar: string; uncoveredYearsAhead: number[]; note?: string };
  };
  expect(ready.serviceClock.uncoveredYearsAhead).toEqual(expected);
  const metrics = await (await hub.get('/metrics', OPS_HEADERS)).text();
  for (const y of expected) {
    expect(ready.serviceClock.note).toContain(String(y));
    expect(metrics).toContain(`hub_service_clock_uncovered_year{year="${y}"} 1`);
  }
  if (expected.length === 0) expect(ready.serviceClock.note).toBeUndefined();
});
