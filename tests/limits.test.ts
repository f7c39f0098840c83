/**
 * Query limits and rate limits through the real endpoint: a costly or deep query is refused before any
 * department is called, naming its cost (or depth) and the limit; a consumer over its requests per minute gets
 * 429 RATE_LIMITED with Retry-After; introspection needs the DEVELOPER role outside development.
 */
import { createConsumer } from '../resolvers/consumers';
import { DEPARTMENT_CALL } from '../schema/field-cost';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { consumerHeaders, startTestHub, type TestHub } from './helpers/hub';
import { departmentCalls as callsToDepartments } from './helpers/metrics';

jest.setTimeout(60_000);

let departments: TestDepartments;
let hub: TestHub;
const suffix = `${process.pid}`;

beforeAll(async () => {
  departments = await startTestDepartments('limits');
  hub = await startTestHub(
    { HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml'), HUB_MAX_QUERY_COST: '1000', HUB_MAX_QUERY_DEPTH: '6' },
    departments.connectorEnv,
  );
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

const departmentCalls = () => callsToDepartments(hub);

describe('query cost', () => {
  it('refuses a costly query before calling any department, with the cost and the limit', async () => {
    const before = await departmentCalls();
    const query = '{ persons(first: 200, filter: {}) { edges { node { name sex age household { address } } } } }';
    const { status, body } = await hub.graphql(query);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    const error = body.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'COST', limit: 1000 });
    expect(error.extensions!.value).toBeGreaterThan(1000);
    expect(error.message).toContain(String(error.extensions!.value));
    expect(error.message).toContain('1000');
    expect(await departmentCalls()).toBe(before);
  });

  it('counts a page size from variables, and accepts the same query with a small page', async () => {
    const query = 'query ($n: Int) { persons(first: $n, filter: {}) { edges { node { name sex age household { address } } } } }';
    const costly = await hub.graphql(query, { n: 200 });
    expect(costly.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'COST' });
    const cheap = await hub.graphql(query, { n: 10 });
    expect(cheap.status).toBe(200);
    expect(cheap.body.errors).toBeUndefined();
    expect((cheap.body.data as { persons: { edges: unknown[] } }).persons.edges).toHaveLength(10);
  });

  it('charges region statistics for their aggregates: one per region and figure, over the whole region tree', async () => {
    const regions = await hub.prisma.region.count();
    const before = await departmentCalls();
    const all = await hub.graphql(
      '{ regions { code population { resident } elderlyCare { beds } childcareInstitutions { places } nurseryClasses { places } } }',
    );
    expect(all.status).toBe(400);
    expect(all.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'COST', limit: 1000 });
    // Four aggregate calls per region of the tree, each at least a department call's weight.
    expect(all.body.errors![0]!.extensions!.value).toBeGreaterThanOrEqual(4 * regions * DEPARTMENT_CALL);
    expect(await departmentCalls()).toBe(before);
    // One district's streets fit. Each is charged for its aggregate (the department computes each one), and
    // the aggregates asked in one tick reach 公安 as one batched call.
    const populationCalls = async () =>
      (await callsToDepartments(hub, { connector: 'public-security', operation: 'population.aggregate' })) +
      (await callsToDepartments(hub, { connector: 'public-security', operation: 'aggregates.batch' }));
    const calls = await populationCalls();
    const streets = await hub.graphql<{ regions: Array<{ population: { resident: number } | null }> }, Record<string, never>>(
      '{ regions(parentCode: "500103") { code population { resident } } }',
    );
    expect(streets.body.errors).toBeUndefined();
    expect(streets.body.data!.regions.length).toBeGreaterThan(1);
    expect(await populationCalls()).toBe(calls + 1);
  });
});

describe('query depth', () => {
  it('refuses a query nested deeper than the limit', async () => {
    const query = '{ region(code: "500103") { children { children { parent { parent { children { parent { name } } } } } } } }';
    const { status, body } = await hub.graphql(query);
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'DEPTH', limit: 6 });
    expect(body.errors![0]!.extensions!.value).toBeGreaterThan(6);
  });
});

describe('rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a consumer exceeds its requests per minute', async () => {
    const { apiKey } = await createConsumer(hub.prisma, {
      code: `rate-limited-${suffix}`,
      name: 'Rate limited',
      department: '测试 Test',
      purposes: ['STATISTICS'],
      rateLimitPerMinute: 3,
      grants: [{ item: 'CA_CARE_INSTITUTIONS' }],
    });
    const headers = consumerHeaders(apiKey, 'STATISTICS');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await hub.graphql('{ region(code: "500103") { name } }', undefined, headers)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await hub.graphql('{ region(code: "500103") { name } }', undefined, headers);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 3,
      retryAfterSeconds: expect.any(Number),
    });
    // Another consumer is not affected.
    expect((await hub.graphql('{ region(code: "500103") { name } }')).status).toBe(200);
  });
});

describe('introspection', () => {
  const INTROSPECTION = '{ __schema { queryType { name } } }';

  it('is refused for a consumer without the DEVELOPER role, and allowed with it', async () => {
    const plain = await createConsumer(hub.prisma, {
      code: `no-developer-${suffix}`,
      name: 'No developer',
      department: '测试 Test',
      purposes: ['STATISTICS'],
    });
    const refused = await hub.graphql(INTROSPECTION, undefined, consumerHeaders(plain.apiKey, 'STATISTICS'));
    expect(refused.status).toBe(403);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'INTROSPECTION_NOT_ALLOWED' });
    const hidden = await hub.graphql(
      '{ __type(name: "Person") { name } }',
      undefined,
      consumerHeaders(plain.apiKey, 'STATISTICS'),
    );
    expect(hidden.status).toBe(403);
    // __typename is not introspection.
    const typename = await hub.graphql('{ __typename }', undefined, consumerHeaders(plain.apiKey, 'STATISTICS'));
    expect(typename.body).toEqual({ data: { __typename: 'Query' } });
    const developer = await createConsumer(hub.prisma, {
      code: `developer-${suffix}`,
      name: 'Front-end developer',
      department: '测试 Test',
      roles: ['DEVELOPER'],
      purposes: ['STATISTICS'],
    });
    const allowed = await hub.graphql(INTROSPECTION, undefined, consumerHeaders(developer.apiKey, 'STATISTICS'));
    expect(allowed.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
