/**
 * 出生一件事 when the hub database fails a workflow for longer than its retries: the step's workflow ends in
 * ERROR. The case must not wait unseen until its due date (days away): it is on the overdue list as soon as the
 * database takes writes again, and the workflow is resumed and finishes the case, exactly one of everything.
 *
 * The hub runs on a database of its own: the test makes the case history unwritable for the hub's runtime role
 * (REVOKE INSERT), which fails every hub-database step of the workflows while DBOS's own tables keep working.
 */
import pg from 'pg';
import { runtimeRoleName } from '../server/database-roles';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { isolatedHubDatabase, type IsolatedHubDatabase } from './helpers/hub-database';
import { startTestHub, type TestHub } from './helpers/hub';
import {
  applicationInput,
  departmentRows,
  fastConnectorsConfig,
  pickParents,
  SUBMIT,
  waitForCase,
  workflowEnv,
  type CaseView,
  type Parents,
} from './helpers/births';

jest.setTimeout(180_000);

let departments: TestDepartments;
let database: IsolatedHubDatabase;
let hub: TestHub;
let parents: Parents[];
let role: string;
const gql = (query: string, variables?: Record<string, unknown>) => hub.graphql(query, variables as never) as never;
const OVERDUE_LIST = `query Overdue { birthApplications(filter: { overdue: true }, first: 200) { edges { node { id } } } }`;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => null);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  departments = await startTestDepartments('birthsoutage');
  database = await isolatedHubDatabase('birthsoutage');
  role = pg.escapeIdentifier(runtimeRoleName(decodeURIComponent(new URL(database.url).pathname.slice(1))));
  hub = await startTestHub(
    {
      ...database.env,
      ...workflowEnv(`births-outage-${process.pid}`),
      HUB_CONNECTORS_CONFIG: fastConnectorsConfig(),
      // Two attempts (0.5 s apart) per hub-database step: a short failure outlasts them.
      HUB_BIRTH_DATABASE_ATTEMPTS: '2',
    },
    departments.connectorEnv,
  );
  // Offset 66: births 0-9, crash 20-25, corrections 40-42, web/births 50-53, overdue 60-61, subscription 64.
  parents = await pickParents(departments, 1, 66);
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await database?.drop();
  await departments?.stop();
});

it('a step whose workflow errored is on the overdue list at once, is resumed and finishes: one of everything', async () => {
  const p = parents[0]!;
  // Medical insurance is down: its step retries, writing the case history each round.
  await departments.setFaults('medical-insurance', { outage: true });
  let id: string;
  try {
    const answer = await hub.graphql(SUBMIT, { input: applicationInput(p), key: 'outage-workflow-error-0001' } as never);
    expect(answer.body.errors).toBeUndefined();
    id = (answer.body.data as { submitBirthApplication: CaseView }).submitBirthApplication.id;
    const retrying = await waitForCase(gql, id, (c) => c.steps.find((s) => s.code === 'MEDICAL_INSURANCE')!.attempts >= 1);
    const keyRevision = retrying.steps
      .find((s) => s.code === 'MEDICAL_INSURANCE')!
      .idempotencyKey.split(':')
      .pop();
    const stepWorkflow = `birth:${id}:MEDICAL_INSURANCE:k${keyRevision}`;

    await database.query(`REVOKE INSERT ON birth_application_event FROM ${role}`);
    try {
      // The step's workflow errors; then the case's, whose record of that error cannot be written either.
      for (const workflow of [stepWorkflow, `birth:${id}:r1`])
        await until(`${workflow} to end in ERROR`, async () => {
          const [row] = await database.query<{ status: string }>(
            'SELECT status FROM dbos.workflow_status WHERE workflow_uuid = $1',
            [workflow],
          );
          return row?.status === 'ERROR';
        });
    } finally {
      await database.query(`GRANT INSERT ON birth_application_event TO ${role}`);
    }

    // The database takes writes again: the case is on the overdue list within seconds, not at its due date.
    await until('the case on the overdue list', async () => {
      const list = await hub.graphql(OVERDUE_LIST, {} as never);
      const edges = (list.body.data as { birthApplications: { edges: Array<{ node: { id: string } }> } }).birthApplications.edges;
      return edges.some((edge) => edge.node.id === id);
    });
    // Both errors are in the history: the case workflow's (step null) and the step workflow's.
    const listed = await waitForCase(gql, id, (c) => {
      const errors = c.history.filter((e) => e.type === 'WORKFLOW_ERROR').map((e) => e.step);
      return errors.includes(null) && errors.includes('MEDICAL_INSURANCE');
    });
    expect(listed.overdue).toBe(true);
    expect(new Date(listed.dueAt).getTime()).toBeGreaterThan(Date.now() + 86_400_000);
    expect(listed.steps.find((s) => s.code === 'MEDICAL_INSURANCE')).toMatchObject({ state: 'DISPATCHED', overdue: true });
  } finally {
    await departments.clearFaults('medical-insurance');
  }

  // Resumed, the step reaches medical insurance again and the case completes.
  const done = await waitForCase(gql, id, (c) => c.status === 'COMPLETED', 90_000);
  expect(done.steps.map((s) => s.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  expect(done.overdue).toBe(false);
  expect(await departmentRows(departments, p.motherId)).toMatchObject({
    certificates: 1,
    registrations: 1,
    people: 1,
    archives: 1,
    enrolments: 1,
    cards: 1,
  });
});
