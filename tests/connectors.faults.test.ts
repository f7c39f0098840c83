/**
 * Department failures seen from a client: a hub connected to a sandbox whose departments the test slows down,
 * breaks, takes offline and makes send malformed records. The hub must answer within its configured budget,
 * return everything that did not depend on the failing department, and put UPSTREAM_UNAVAILABLE at exactly
 * the affected path; an outage must open the breaker, show DOWN, and heal once the department is back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { OPS_HEADERS, startTestHub, type TestHub } from './helpers/hub';
import { scrapeMetrics } from './helpers/metrics';

jest.setTimeout(60_000);

const TIMEOUT_MS = 800;
const HALF_OPEN_MS = 1500;
const REGION_FIGURES = `query RegionFigures {
  region(code: "500103") {
    name
    population { resident registered }
    elderlyCare { facilities beds nursingBeds }
    childcareInstitutions { institutions places }
    nurseryClasses { kindergartens places }
  }
}`;

let departments: TestDepartments;
let hub: TestHub;
let configFile: string;

beforeAll(async () => {
  departments = await startTestDepartments('faults');
  // The shipped configuration with tight limits, so faults show within a test's patience.
  const shipped = fs.readFileSync(path.resolve(__dirname, '..', 'connectors.config.yaml'), 'utf8');
  configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-faults-')), 'connectors.yaml');
  fs.writeFileSync(
    configFile,
    shipped
      .replace(/timeoutMs: \d+/, `timeoutMs: ${TIMEOUT_MS}`)
      .replace(/retries: \d+/, 'retries: 1')
      .replace(/breakerFailures: \d+/, 'breakerFailures: 3')
      .replace(/breakerHalfOpenAfterMs: \d+/, `breakerHalfOpenAfterMs: ${HALF_OPEN_MS}`)
      .replace(/healthCheckIntervalMs: \d+/, 'healthCheckIntervalMs: 0'),
  );
  hub = await startTestHub({ HUB_CONNECTORS_CONFIG: configFile }, departments.connectorEnv);
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
  fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
});

type Figures = {
  region: {
    name: string;
    population: { resident: number } | null;
    elderlyCare: { facilities: number; beds: number } | null;
    childcareInstitutions: { institutions: number } | null;
    nurseryClasses: { kindergartens: number } | null;
  };
};

async function figures() {
  const started = performance.now();
  const response = await hub.graphql<Figures, Record<string, never>>(REGION_FIGURES);
  return { ...response, ms: performance.now() - started };
}

const errorAt = (body: Awaited<ReturnType<typeof figures>>['body'], ...pathParts: string[]) =>
  body.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(pathParts));

async function statusOf(name: string) {
  const { body } = await hub.graphql<
    { connectors: Array<{ name: string; status: string; lastError: string | null }> },
    Record<string, never>
  >('{ connectors(refresh: true) { name status lastError } }');
  return body.data!.connectors.find((c) => c.name === name)!;
}

it('serves figures from all four departments when they are healthy', async () => {
  const { body } = await figures();
  expect(body.errors).toBeUndefined();
  expect(body.data!.region.population!.resident).toBeGreaterThan(0);
  expect(body.data!.region.elderlyCare!.facilities).toBeGreaterThan(0);
  expect(body.data!.region.childcareInstitutions!.institutions).toBeGreaterThan(0);
  expect(body.data!.region.nurseryClasses!.kindergartens).toBeGreaterThan(0);
});

describe.each([
  ['civil-affairs', 'sql', 'elderlyCare'],
  ['health', 'http', 'childcareInstitutions'],
])('%s (%s) slower than the timeout', (department, _transport, field) => {
  afterEach(() => departments.clearFaults(department as never));

  it(`answers within the budget with UPSTREAM_UNAVAILABLE (TIMEOUT) at region.${field} only`, async () => {
    await departments.setFaults(department as never, { latencyMs: TIMEOUT_MS * 4 });
    const { body, ms } = await figures();
    expect(ms).toBeLessThan(TIMEOUT_MS + 700);
    expect(body.data!.region.name).toBe('渝中区');
    expect((body.data!.region as Record<string, unknown>)[field]).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(errorAt(body, 'region', field)).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', connector: department, reason: 'TIMEOUT' },
    });
    expect(body.data!.region.population).not.toBeNull();
  });
});

it('an outage opens the breaker: DOWN, fast CIRCUIT_OPEN errors, the hub stays up, and it heals', async () => {
  await departments.setFaults('public-security', { outage: true });
  try {
    for (let i = 0; i < 3; i++) {
      const { body } = await figures();
      expect(errorAt(body, 'region', 'population')).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    }
    const open = await figures();
    expect(errorAt(open.body, 'region', 'population')).toMatchObject({ extensions: { reason: 'CIRCUIT_OPEN' } });
    expect(open.ms).toBeLessThan(TIMEOUT_MS);
    expect(open.body.data!.region.elderlyCare).not.toBeNull();
    expect(await statusOf('public-security')).toMatchObject({ status: 'DOWN', lastError: expect.any(String) });
    expect((await hub.get('/healthz')).status).toBe(200);
    const readyz = (await (await hub.get('/readyz', OPS_HEADERS)).json()) as {
      status: string;
      connectors: Array<{ name: string; status: string }>;
    };
    expect(readyz.status).toBe('ready');
    expect(readyz.connectors.find((c) => c.name === 'public-security')!.status).toBe('DOWN');
  } finally {
    await departments.clearFaults('public-security');
  }
  await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_MS + 200));
  const healed = await figures();
  expect(healed.body.errors).toBeUndefined();
  expect(healed.body.data!.region.population!.resident).toBeGreaterThan(0);
  expect(await statusOf('public-security')).toMatchObject({ status: 'UP' });
});

it('an exchange database outage (the reader role cannot log in) is DOWN and UNAVAILABLE, then heals', async () => {
  await departments.setFaults('education', { outage: true });
  try {
    const { body } = await figures();
    expect(errorAt(body, 'region', 'nurseryClasses')).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', connector: 'education' },
    });
    expect(body.data!.region.population).not.toBeNull();
    expect(await statusOf('education')).toMatchObject({ status: 'DOWN' });
  } finally {
    await departments.clearFaults('education');
  }
  await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_MS + 200));
  const healed = await figures();
  expect(healed.body.data!.region.nurseryClasses).not.toBeNull();
});

it('a department failing every request is UPSTREAM_UNAVAILABLE (UNAVAILABLE) after its retries', async () => {
  await departments.setFaults('education', { errorRate: 1 });
  try {
    const { body } = await figures();
    expect(errorAt(body, 'region', 'nurseryClasses')).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', connector: 'education', reason: 'UNAVAILABLE' },
    });
    expect(body.data!.region.childcareInstitutions).not.toBeNull();
  } finally {
    await departments.clearFaults('education');
  }
});

it('a malformed aggregate is rejected, named, and never reaches the client', async () => {
  await departments.setFaults('health', { malformedRate: 1 });
  try {
    const { body } = await figures();
    const error = errorAt(body, 'region', 'childcareInstitutions');
    expect(error).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', connector: 'health', reason: 'MALFORMED_RECORD' },
    });
    expect(body.data!.region.childcareInstitutions).toBeNull();
    expect(body.data!.region.elderlyCare).not.toBeNull();
    expect(JSON.stringify(body)).not.toContain('<<malformed>>');
  } finally {
    await departments.clearFaults('health');
  }
});

describe.each([
  ['public-security', 'person', 'SELECT citizen_id AS key FROM public_security.person ORDER BY 1 LIMIT 1'],
  ['civil-affairs', 'institution', 'SELECT institution_id AS key FROM civil_affairs.institution ORDER BY 1 LIMIT 1'],
] as const)('%s sending malformed %s records', (department, entity, keyQuery) => {
  it('rejects the record by key, naming the connector, the record key and the field', async () => {
    const [row] = await departments.query<{ key: string }>(keyQuery);
    await departments.setFaults(department, { malformedRate: 1 });
    try {
      const [result] = await hub.connectors.get(department).loadMany(entity, [row!.key]);
      expect(result).toMatchObject({
        connector: department,
        reason: 'MALFORMED_RECORD',
        details: { key: row!.key, field: expect.any(String) },
      });
      expect((result as Error).message).toMatch(new RegExp(`^${department} ${entity}\\.batchGet: record \\S+ field \\S+`));
    } finally {
      await departments.clearFaults(department);
    }
  });
});

it('counts calls and outcomes in the Prometheus metrics', async () => {
  const metrics = await scrapeMetrics(hub);
  const requests = (connector: string, operation: string, outcome: string) =>
    metrics.sum('hub_connector_requests_total', { connector, operation, outcome });
  expect(requests('civil-affairs', 'beds.aggregate', 'success')).toBeGreaterThanOrEqual(1);
  expect(requests('civil-affairs', 'beds.aggregate', 'timeout')).toBeGreaterThanOrEqual(1);
  expect(requests('public-security', 'population.aggregate', 'circuit_open')).toBeGreaterThanOrEqual(1);
  expect(
    metrics.sum('hub_connector_request_duration_seconds_count', { connector: 'health', operation: 'childcarePlaces.aggregate' }),
  ).toBeGreaterThanOrEqual(1);
});
