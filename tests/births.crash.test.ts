/**
 * 出生一件事 across real hub processes on one database: a hub killed with SIGKILL mid-case (its executor never
 * comes back) is taken over by the others, and two hubs run cases side by side; the departments' tables are
 * the oracle (exactly one certificate, registration, person, archive, enrolment and card per child).
 */
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { DEMO_HEADERS } from './helpers/hub';
import { spawnHub, type HubProcess } from './helpers/process';
import {
  applicationInput,
  departmentRows,
  fastConnectorsConfig,
  pickParents,
  SUBMIT,
  waitForCase,
  spawnedHubEnv,
  type CaseView,
  type Parents,
} from './helpers/births';

jest.setTimeout(180_000);

let departments: TestDepartments;
let parents: Parents[];
let configFile: string;
const hubs: HubProcess[] = [];
const APP = `births-crash-${process.pid}`;

const start = async (): Promise<string> => {
  const hub = spawnHub(spawnedHubEnv(departments, APP, configFile));
  hubs.push(hub);
  return hub.listening;
};

const graphqlAt = (url: string) => async (query: string, variables?: Record<string, unknown>) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
    body: JSON.stringify({ query, variables }),
  });
  return {
    body: (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    },
  };
};

beforeAll(async () => {
  departments = await startTestDepartments('birthscrash');
  configFile = fastConnectorsConfig();
  parents = await pickParents(departments, 6, 20);
}, 180_000);

afterAll(async () => {
  for (const hub of hubs) if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
  await Promise.all(hubs.map((hub) => hub.exited));
  await departments?.stop();
});

it('a hub killed mid-case is taken over; two hubs on one database run every step exactly once', async () => {
  const first = await start();
  const gqlFirst = graphqlAt(first);
  // Medical insurance is down: the cases stop mid-way, with certificate and registration done.
  await departments.setFaults('medical-insurance', { outage: true });
  const ids: string[] = [];
  for (const [i, p] of parents.slice(0, 3).entries()) {
    const answer = await gqlFirst(SUBMIT, { input: applicationInput(p), key: `crash-${i}-${APP}` });
    expect(answer.body.errors).toBeUndefined();
    ids.push((answer.body.data!.submitBirthApplication as CaseView).id);
  }
  for (const id of ids)
    await waitForCase(gqlFirst, id, (c) => c.registered && c.steps.find((s) => s.code === 'MEDICAL_INSURANCE')!.attempts >= 1);
  hubs[0]!.child.kill('SIGKILL');
  expect(await hubs[0]!.exited).toBeNull();

  // Two new hubs (new executor ids): they find the dead executor's pending workflows and share new cases.
  const [second, third] = await Promise.all([start(), start()]);
  const more: string[] = [];
  for (const [i, p] of parents.slice(3, 6).entries()) {
    const url = i % 2 === 0 ? second : third;
    const answer = await graphqlAt(url)(SUBMIT, { input: applicationInput(p), key: `crash-more-${i}-${APP}` });
    expect(answer.body.errors).toBeUndefined();
    more.push((answer.body.data!.submitBirthApplication as CaseView).id);
  }
  await departments.clearFaults('medical-insurance');
  for (const id of [...ids, ...more]) {
    const done = await waitForCase(graphqlAt(second), id, (c) => c.status === 'COMPLETED', 90_000);
    expect(done.steps.map((s) => s.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  }
  for (const p of parents) {
    expect(await departmentRows(departments, p.motherId)).toMatchObject({
      certificates: 1,
      registrations: 1,
      people: 1,
      archives: 1,
      enrolments: 1,
      cards: 1,
    });
  }
  // Exactly one of the new processes claimed the dead executor and resumed its workflows.
  const tookOver = hubs
    .slice(1)
    .flatMap((hub) => hub.logs)
    .filter((line) => line.msg === 'took over the workflows of a stopped hub process');
  expect(tookOver).toHaveLength(1);
  expect(Number(tookOver[0]!.resumed)).toBeGreaterThanOrEqual(3);
});
