/**
 * No personal data in logs (DESIGN §4). A hub logging at debug level serves a broad workload — the showcase
 * documents, lists with filters, lineage, refusals, bad input, a rate limit, and departments that fail or send
 * malformed records — and its own log is then scanned for citizen IDs, phone numbers, addresses and the
 * names of the people it served. (tests/setup/scan-logs.ts scans every log of the whole run the same way.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { createConsumer } from '../resolvers/consumers';
import { SHOWCASE } from '../seeds/showcase';
import { PersonOverviewDocument, ShowcaseInfantDocument, ShowcaseNurseryChildDocument } from './generated/graphql';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { consumerHeaders, DEMO_HEADERS, startTestHub, TEST_LOG_DIR, type TestHub } from './helpers/hub';
import { findPersonalData } from './helpers/personal-data';

jest.setTimeout(90_000);

const LOG_NAME = `privacy-${process.pid}`;
let departments: TestDepartments;
let hub: TestHub;

beforeAll(async () => {
  departments = await startTestDepartments('privacy');
  hub = await startTestHub(
    { HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml'), LOG_LEVEL: 'trace' },
    departments.connectorEnv,
    { logName: LOG_NAME },
  );
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

it('logs no personal data while serving, refusing and failing', async () => {
  const served = new Set<string>(Object.values(SHOWCASE).map((p) => p.citizenId));
  const names = new Set<string>(Object.values(SHOWCASE).map((p) => p.surname + p.givenName));

  await hub.graphql(PersonOverviewDocument, { citizenId: SHOWCASE.ELDERLY.citizenId });
  await hub.graphql(ShowcaseInfantDocument, { citizenId: SHOWCASE.INFANT.citizenId, asOf: '2022-12-31' });
  await hub.graphql(ShowcaseNurseryChildDocument, { citizenId: SHOWCASE.NURSERY_CHILD.citizenId });
  const list = await hub.graphql<
    { persons: { edges: Array<{ node: { citizenId: string; name: string } }> } },
    Record<string, unknown>
  >(
    '{ persons(first: 50, filter: { regionCode: "500103", ageMin: 60 }) { edges { node { citizenId name phone household { address } } } } }',
    undefined,
    { ...DEMO_HEADERS, 'x-include-lineage': '1' },
  );
  for (const { node } of list.body.data!.persons.edges) {
    served.add(node.citizenId);
    names.add(node.name);
  }
  expect(served.size).toBeGreaterThan(0);
  // Bad input carrying an ID, a lookup of an ID nobody has, an anonymous-looking error path.
  await hub.graphql('{ person(citizenId: "500103193803150262") { name } }');
  await hub.graphql(`{ person(citizenId: "${SHOWCASE.ELDERLY.citizenId.slice(0, 17)}") { name } }`);
  // A consumer refused fields, filters and regions, then rate limited.
  const { apiKey } = await createConsumer(hub.prisma, {
    code: `privacy-${process.pid}`,
    name: 'Privacy probe',
    department: 'Test',
    purposes: ['STATISTICS'],
    regionCode: '500103001',
    rateLimitPerMinute: 6,
    grants: [{ item: 'PS_DEMOGRAPHICS' }],
  });
  const probe = consumerHeaders(apiKey, 'STATISTICS');
  for (let i = 0; i < 8; i++) {
    await hub.graphql(
      `{ person(citizenId: "${SHOWCASE.INFANT.citizenId}") { name household { address } insurance { scheme } } }`,
      undefined,
      probe,
    );
  }
  // Departments failing and sending malformed records (whose keys are citizen IDs).
  await departments.setFaults('public-security', { malformedRate: 1 });
  await hub.graphql(PersonOverviewDocument, { citizenId: SHOWCASE.ELDERLY.citizenId });
  await hub.graphql('{ persons(first: 5, filter: { regionCode: "500103" }) { edges { node { name } } } }');
  await departments.clearFaults('public-security');
  await departments.setFaults('health', { errorRate: 1 });
  await hub.graphql(ShowcaseInfantDocument, { citizenId: SHOWCASE.INFANT.citizenId, asOf: '2022-12-31' });
  await departments.clearFaults('health');

  const log = fs.readFileSync(path.join(TEST_LOG_DIR, `${LOG_NAME}.log`), 'utf8');
  expect(log.split('\n').length).toBeGreaterThan(15);
  expect(log).toContain('"msg":"request completed"');
  expect(log).toContain('"reason":"RATE_LIMITED"');
  expect(findPersonalData(log, [...names])).toEqual([]);
  for (const citizenId of served) expect(log).not.toContain(citizenId);
});
