/**
 * 出生一件事 past the step deadline, through the HTTP endpoint and the running sandbox departments: every
 * department executes the command but its answer is lost (injected `lostAnswerRate`), so each step retries
 * under its key until its deadline passes; then the hub reads the command's answer back by key instead of
 * commanding again. Oracles: the departments' tables (one record of each), their command ledger (how many
 * commands and reads by key each key received) and the case's history.
 */
import type { TestDepartments } from './helpers/departments';
import type { TestHub } from './helpers/hub';
import {
  applicationInput,
  departmentRows,
  startBirthTest,
  SUBMIT,
  waitForCase,
  type CaseView,
  type Parents,
} from './helpers/births';

jest.setTimeout(180_000);

let departments: TestDepartments;
let hub: TestHub;
let parents: Parents[];
const gql = (query: string, variables?: Record<string, unknown>) => hub.graphql(query, variables as never) as never;
const LOSSY = ['health', 'public-security', 'medical-insurance', 'social-security'] as const;

const READ_LINEAGE = `query ReadLineage($id: ID!) { birthApplication(id: $id) {
  status overdue
  steps { code state idempotencyKey department lineage { via } }
  history { type step detail } } }`;
const OVERDUE_LIST = `query Overdue { birthApplications(filter: { overdue: true }, first: 200) { edges { node { id } } } }`;
interface LineageView {
  status: string;
  overdue: boolean;
  steps: Array<{ code: string; state: string; idempotencyKey: string; department: string; lineage: { via: string } | null }>;
  history: Array<{ type: string; step: string | null; detail: string | null }>;
}

beforeAll(async () => {
  // Offset 60: births.test.ts takes 0-9, births.crash 20-25, births.corrections 40-42, web/births 50-53.
  ({ departments, hub, parents } = await startBirthTest(
    'birthsoverdue',
    { count: 2, offset: 60 },
    { HUB_BIRTH_STEP_DEADLINE_MS: '2500' },
  ));
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

it('past the deadline every step is read back by key, not commanded again: one record of each', async () => {
  const p = parents[0]!;
  for (const department of LOSSY) await departments.setFaults(department, { lostAnswerRate: 1 });
  let id: string;
  let sawOnOverdueList = false;
  let stopWatching = false;
  let watching: Promise<void> = Promise.resolve();
  try {
    const answer = await hub.graphql(SUBMIT, { input: applicationInput(p), key: 'overdue-read-back-0001' } as never);
    expect(answer.body.errors).toBeUndefined();
    id = (answer.body.data as { submitBirthApplication: CaseView }).submitBirthApplication.id;
    // The overdue list is watched (every 20 ms: the late window can be short on a fast machine) while the case runs: a late step puts the case on it (the card's step stays
    // late while the card is issued, after its acceptance was read back).
    watching = (async () => {
      while (!stopWatching) {
        const list = await hub.graphql(OVERDUE_LIST, {} as never);
        const edges = (list.body.data as { birthApplications: { edges: Array<{ node: { id: string } }> } }).birthApplications
          .edges;
        if (edges.some((edge) => edge.node.id === id)) sawOnOverdueList = true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await waitForCase(gql, id, (c) => c.status === 'COMPLETED', 150_000);
  } finally {
    stopWatching = true;
    await watching;
    for (const department of LOSSY) await departments.clearFaults(department);
  }
  // Done, the case has left the overdue list.
  const after = await hub.graphql(OVERDUE_LIST, {} as never);
  const listed = (after.body.data as { birthApplications: { edges: Array<{ node: { id: string } }> } }).birthApplications.edges;
  expect(listed.map((edge) => edge.node.id)).not.toContain(id);

  const read = await hub.graphql(READ_LINEAGE, { id } as never);
  const done = (read.body.data as { birthApplication: LineageView }).birthApplication;
  expect(done.steps.map((s) => `${s.code}:${s.state}`).sort()).toEqual([
    'BIRTH_CERTIFICATE:SUCCEEDED',
    'BIRTH_REGISTRATION:SUCCEEDED',
    'MEDICAL_INSURANCE:SUCCEEDED',
    'SOCIAL_SECURITY_CARD:SUCCEEDED',
    'VACCINATION_ARCHIVE:SUCCEEDED',
  ]);
  // The synchronous steps took their identifier from the answer read back; the card's read-back found the
  // acceptance (202), and the card itself came from the published record.
  expect(Object.fromEntries(done.steps.map((s) => [s.code, s.lineage?.via]))).toEqual({
    BIRTH_CERTIFICATE: 'read-back',
    BIRTH_REGISTRATION: 'read-back',
    VACCINATION_ARCHIVE: 'read-back',
    MEDICAL_INSURANCE: 'read-back',
    SOCIAL_SECURITY_CARD: 'record',
  });

  const ledgerDepartment: Record<string, string> = {
    BIRTH_CERTIFICATE: 'health',
    BIRTH_REGISTRATION: 'public-security',
    VACCINATION_ARCHIVE: 'health',
    MEDICAL_INSURANCE: 'medical-insurance',
    SOCIAL_SECURITY_CARD: 'social-security',
  };
  const checked: string[] = [];
  for (const step of done.steps) {
    const events = done.history.filter((e) => e.step === step.code);
    const types = events.map((e) => e.type);
    const lastReadBack = types.lastIndexOf('STEP_READ_BACK');
    // Overdue, then read back; the read that found the answer was followed by no command.
    expect([step.code, types.includes('STEP_OVERDUE'), lastReadBack >= 0]).toEqual([step.code, true, true]);
    expect([step.code, types.slice(lastReadBack).filter((t) => t === 'STEP_DISPATCHED')]).toEqual([step.code, []]);
    const finding = JSON.parse(events[lastReadBack]!.detail!) as { idempotencyKey: string; finding: string };
    expect(finding).toMatchObject({
      idempotencyKey: step.idempotencyKey,
      finding: step.code === 'SOCIAL_SECURITY_CARD' ? 'ACCEPTED' : 'COMPLETED',
    });
    // The department's ledger: the key read back at least once, and no more command requests than dispatches
    // recorded (each command is recorded before it is sent; none was sent unrecorded after the read-back).
    const [ledger] = await departments.query<{ requests: number; lookups: number }>(
      `SELECT requests, lookups FROM sandbox.command_answer WHERE department = $1 AND idempotency_key = $2`,
      [ledgerDepartment[step.code], step.idempotencyKey],
    );
    const dispatches = types.filter((t) => t === 'STEP_DISPATCHED').length;
    expect(ledger!.lookups).toBeGreaterThanOrEqual(1);
    expect(ledger!.requests).toBeGreaterThanOrEqual(1);
    expect(ledger!.requests).toBeLessThanOrEqual(dispatches);
    checked.push(step.code);
  }
  expect(checked).toHaveLength(5);

  expect(await departmentRows(departments, p.motherId)).toMatchObject({
    certificates: 1,
    registrations: 1,
    people: 1,
    archives: 1,
    enrolments: 1,
    cards: 1,
  });
  expect(sawOnOverdueList).toBe(true);
});
