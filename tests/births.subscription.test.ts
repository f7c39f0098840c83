/**
 * 出生一件事 subscriptions across hub instances: two hub processes on one database; a subscriber connected
 * (graphql-ws) to instance A receives every event of a case whose steps instance B runs. A runs workflows of
 * another application, so it cannot take B's work: the events can only reach A through the database
 * (NOTIFY). The DBOS system tables say which executor ran each workflow. The listening connections are cut
 * just as the case starts moving: the events announced while A reconnects still reach its subscriber.
 */
import pg from 'pg';
import { EVENT_LISTENER_NAME } from '../server/birth';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { DEMO_HEADERS } from './helpers/hub';
import { spawnHub, type HubProcess } from './helpers/process';
import {
  applicationInput,
  fastConnectorsConfig,
  pickParents,
  SUBMIT,
  spawnedHubEnv,
  type CaseView,
  type Parents,
} from './helpers/births';

jest.setTimeout(180_000);

let departments: TestDepartments;
let parents: Parents[];
let configFile: string;
const hubs: HubProcess[] = [];

const start = (app: string, executorId: string): Promise<string> => {
  const hub = spawnHub(spawnedHubEnv(departments, app, configFile, { HUB_WORKFLOW_EXECUTOR_ID: executorId }));
  hubs.push(hub);
  return hub.listening;
};

beforeAll(async () => {
  departments = await startTestDepartments('birthssubs');
  configFile = fastConnectorsConfig();
  // Offset 64: births 0-9, crash 20-25, corrections 40-42, web/births 50-53, overdue 60-61.
  parents = await pickParents(departments, 1, 64);
}, 180_000);

afterAll(async () => {
  for (const hub of hubs) if (hub.child.exitCode === null) hub.child.kill('SIGTERM');
  await Promise.all(hubs.map((hub) => hub.exited));
  await departments?.stop();
});

const WATCH = `subscription Watch($id: ID!) { birthApplicationUpdated(id: $id) { event { type step } application { status } } }`;

it('a subscriber on instance A receives every event of a case whose steps instance B runs', async () => {
  const executorB = `hub-b-${process.pid}`;
  const [urlA, urlB] = await Promise.all([
    start(`subs-a-${process.pid}`, `hub-a-${process.pid}`),
    start(`subs-b-${process.pid}`, executorB),
  ]);

  // Health is down: B holds the case at its first step until A's subscription is open.
  await departments.setFaults('health', { outage: true });
  let id: string;
  try {
    const response = await fetch(`${urlB}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
      body: JSON.stringify({ query: SUBMIT, variables: { input: applicationInput(parents[0]!), key: `subs-${process.pid}` } }),
    });
    const answer = (await response.json()) as { data?: { submitBirthApplication: CaseView }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    id = answer.data!.submitBirthApplication.id;
  } catch (error) {
    await departments.clearFaults('health');
    throw error;
  }

  const { createClient } = await import('graphql-ws');
  const WebSocket = (await import('ws')).default;
  const client = createClient({
    url: `${urlA.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { ...DEMO_HEADERS },
  });
  const seen: Array<{ type: string; step: string | null; status: string }> = [];
  let subscribed: () => void = () => {};
  const open = new Promise<void>((resolve) => (subscribed = resolve));
  client.on('connected', () => subscribed());
  const finished = new Promise<void>((resolve, reject) => {
    client.subscribe<{
      birthApplicationUpdated: { event: { type: string; step: string | null }; application: { status: string } };
    }>(
      { query: WATCH, variables: { id } },
      {
        next: (message) => {
          const update = message.data!.birthApplicationUpdated;
          seen.push({ ...update.event, status: update.application.status });
          if (update.event.type === 'COMPLETED') resolve();
        },
        error: reject,
        complete: () => reject(new Error('the subscription completed before the case did')),
      },
    );
  });
  try {
    await open;
    // The subscription is set up on A after connecting; give it a moment before the steps start moving.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Every hub's LISTEN connection is cut; the first steps then run while A is reconnecting (1 s).
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{ cut: boolean }>(
        `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [EVENT_LISTENER_NAME],
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
    } finally {
      await db.end();
    }
    await departments.clearFaults('health');
    await Promise.race([
      finished,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no COMPLETED event on A; saw ${JSON.stringify(seen)}`)), 90_000),
      ),
    ]);
  } finally {
    await departments.clearFaults('health');
    await client.dispose();
  }

  expect(
    seen
      .filter((e) => e.type === 'STEP_SUCCEEDED')
      .map((e) => e.step)
      .sort(),
  ).toEqual(['BIRTH_CERTIFICATE', 'BIRTH_REGISTRATION', 'MEDICAL_INSURANCE', 'SOCIAL_SECURITY_CARD', 'VACCINATION_ARCHIVE']);
  expect(seen.at(-1)).toMatchObject({ type: 'COMPLETED', status: 'COMPLETED' });

  expect(hubs[0]!.logs.some((line) => line.msg === 'case event listener lost its connection; reconnecting')).toBe(true);

  // Every workflow of the case ran on B's executor: A delivered events it did not produce.
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ executor_id: string; workflows: number }>(
      `SELECT executor_id, count(*)::int AS workflows FROM dbos.workflow_status
        WHERE workflow_uuid LIKE $1 GROUP BY executor_id`,
      [`birth:${id}:%`],
    );
    // One case workflow and five step workflows.
    expect(rows).toEqual([{ executor_id: executorB, workflows: 6 }]);
  } finally {
    await db.end();
  }
});
