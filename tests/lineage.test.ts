/**
 * Lineage: with `X-Include-Lineage: 1` (or `extensions.includeLineage`), `extensions.lineage` maps each response
 * path holding a department record to its department, connector, source record, update and fetch times and
 * cache status; types over department records expose the same as `provenance`.
 */
import { createConsumer } from '../resolvers/consumers';
import { SHOWCASE } from '../seeds/showcase';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { consumerHeaders, DEMO_HEADERS, startTestHub, type TestHub } from './helpers/hub';

jest.setTimeout(60_000);

let departments: TestDepartments;
let hub: TestHub;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

beforeAll(async () => {
  departments = await startTestDepartments('lineage');
  hub = await startTestHub({ HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') }, departments.connectorEnv);
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

const MULTI_DEPARTMENT = `query Lineage($id: String!) {
  person(citizenId: $id) {
    name
    household { address }
    elderlyProfile { livingAlone assessments { level } careArrangement { kind institution { name } } }
    health { annualChecks { year } }
    insurance { scheme }
    socialSecurityCard { status }
  }
}`;

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

describe('extensions.lineage', () => {
  it('maps every path holding department data to its source, across five departments', async () => {
    const started = new Date().toISOString();
    const { body } = await hub.graphql<Json, Json>(
      MULTI_DEPARTMENT,
      { id: SHOWCASE.ELDERLY.citizenId },
      { ...DEMO_HEADERS, 'x-include-lineage': '1' },
    );
    expect(body.errors).toBeUndefined();
    const lineage = (body as Json).extensions.lineage as Record<string, Json>;
    const person = body.data!.person;
    expect(lineage.person).toEqual({
      department: '公安',
      connector: 'public-security',
      sourceRecordId: SHOWCASE.ELDERLY.citizenId,
      sourceUpdatedAt: ISO,
      fetchedAt: ISO,
      cache: 'MISS',
    });
    expect(lineage.person!.fetchedAt >= started).toBe(true);
    expect(lineage['person.elderlyProfile']).toMatchObject({
      department: '民政',
      connector: 'civil-affairs',
      sourceRecordId: SHOWCASE.ELDERLY.citizenId,
    });
    expect(lineage['person.elderlyProfile.careArrangement']).toMatchObject({ connector: 'civil-affairs' });
    expect(lineage['person.elderlyProfile.careArrangement.institution']).toMatchObject({
      connector: 'civil-affairs',
      sourceRecordId: expect.any(String),
    });
    expect(person.elderlyProfile.assessments.length).toBeGreaterThan(0);
    person.elderlyProfile.assessments.forEach((_: unknown, index: number) => {
      expect(lineage[`person.elderlyProfile.assessments.${index}`]).toMatchObject({ connector: 'civil-affairs' });
    });
    expect(person.health.annualChecks.length).toBeGreaterThan(0);
    person.health.annualChecks.forEach((_: unknown, index: number) => {
      expect(lineage[`person.health.annualChecks.${index}`]).toMatchObject({ department: '卫健', connector: 'health' });
    });
    expect(lineage['person.insurance']).toMatchObject({ department: '医保', connector: 'medical-insurance' });
    expect(lineage['person.socialSecurityCard']).toMatchObject({ department: '人社', connector: 'social-security' });
    // Fields that regroup the parent's record are covered by the parent's entry.
    expect(lineage['person.household']).toBeUndefined();
    expect(lineage['person.health']).toBeUndefined();
    // Every entry names a path present in the response.
    for (const path of Object.keys(lineage)) {
      const value = path.split('.').reduce<unknown>((node, key) => (node as Json)?.[key], body.data);
      expect(value).toBeTruthy();
    }
  });

  it('is absent unless asked for, and can be asked for in the request body', async () => {
    const without = await hub.graphql<Json, Json>(MULTI_DEPARTMENT, { id: SHOWCASE.ELDERLY.citizenId });
    expect((without.body as Json).extensions).toBeUndefined();
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
      body: JSON.stringify({
        query: MULTI_DEPARTMENT,
        variables: { id: SHOWCASE.ELDERLY.citizenId },
        extensions: { includeLineage: true },
      }),
    });
    const body = (await response.json()) as Json;
    expect(body.extensions.lineage.person).toMatchObject({ connector: 'public-security' });
  });

  it('marks a record served again within the request as a cache HIT', async () => {
    const query = `query Twice($id: String!) { first: person(citizenId: $id) { name } again: person(citizenId: $id) { name } }`;
    const { body } = await hub.graphql<Json, Json>(
      query,
      { id: SHOWCASE.ELDERLY.citizenId },
      { ...DEMO_HEADERS, 'x-include-lineage': '1' },
    );
    const lineage = (body as Json).extensions.lineage;
    expect([lineage.first.cache, lineage.again.cache].sort()).toEqual(['HIT', 'MISS']);
    expect(lineage.first.fetchedAt).toBe(lineage.again.fetchedAt);
  });

  it('covers list nodes', async () => {
    const query = '{ elderlyCareInstitutions(first: 3) { edges { node { name } } } }';
    const { body } = await hub.graphql<Json, Json>(query, undefined, { ...DEMO_HEADERS, 'x-include-lineage': '1' });
    const lineage = (body as Json).extensions.lineage;
    expect(Object.keys(lineage).sort()).toEqual([0, 1, 2].map((i) => `elderlyCareInstitutions.edges.${i}.node`));
  });
});

describe('provenance field', () => {
  it('gives the same source as lineage, in the data', async () => {
    const query = `query ($id: String!) { person(citizenId: $id) { provenance { department connector sourceRecordId sourceUpdatedAt fetchedAt cache } insurance { provenance { connector } } } }`;
    const { body } = await hub.graphql<Json, Json>(
      query,
      { id: SHOWCASE.ELDERLY.citizenId },
      { ...DEMO_HEADERS, 'x-include-lineage': '1' },
    );
    expect(body.data!.person.provenance).toEqual((body as Json).extensions.lineage.person);
    expect(body.data!.person.insurance.provenance).toEqual({ connector: 'medical-insurance' });
  });

  it('masks a source record id that is a citizen ID for a consumer that may not read citizen IDs', async () => {
    const { apiKey } = await createConsumer(hub.prisma, {
      code: `lineage-statistics-${process.pid}`,
      name: 'Statistics',
      department: '测试 Test',
      purposes: ['STATISTICS'],
      grants: [{ item: 'PS_DEMOGRAPHICS' }],
    });
    const query = `query ($id: String!) { person(citizenId: $id) { sex provenance { sourceRecordId } } }`;
    const { body } = await hub.graphql<Json, Json>(
      query,
      { id: SHOWCASE.ELDERLY.citizenId },
      { ...consumerHeaders(apiKey, 'STATISTICS'), 'x-include-lineage': '1' },
    );
    // The consumer's pseudonym for the person, as `Person.citizenId` shows it to this consumer.
    const { body: again } = await hub.graphql<Json, Json>(
      `query ($id: String!) { person(citizenId: $id) { citizenId } }`,
      { id: SHOWCASE.ELDERLY.citizenId },
      consumerHeaders(apiKey, 'STATISTICS'),
    );
    const pseudonym = again.data!.person.citizenId as string;
    expect(pseudonym).toMatch(/^psn_[a-z2-7]{16}$/);
    expect(body.data!.person.provenance.sourceRecordId).toBe(pseudonym);
    expect((body as Json).extensions.lineage.person.sourceRecordId).toBe(pseudonym);
  });
});
