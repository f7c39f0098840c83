/**
 * One consumer cannot take a department from the others (issue 10, finding 4), through the real endpoint:
 * - with civil affairs slow, one consumer's request of 30 aliased lists is held to its share of the connector
 *   (its surplus refused as UPSTREAM_UNAVAILABLE / BULKHEAD_FULL at each alias, never a timeout), while another
 *   consumer's request succeeds and the breaker they share stays closed;
 * - a request past its department-call budget gets REQUEST_CALL_BUDGET at the fields over it;
 * - the cost model charges department calls: 2,000 aliases of `elderlyCareInstitutions(first: 1)` are refused
 *   before any department call;
 * - `connectors(refresh: true)` is for administrators (FORBIDDEN otherwise) and checks each connector at most
 *   once per request, however many aliases ask;
 * - `verifyAuditChain` is costed as the full scan it is (200 aliases refused) and runs once per request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConsumer } from '../resolvers/consumers';
import { AuditTrail } from '../server/audit/trail';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { consumerHeaders, startTestHub, type TestHub } from './helpers/hub';
import { departmentCalls } from './helpers/metrics';

jest.setTimeout(90_000);

const TIMEOUT_MS = 2000;
const LATENCY_MS = 600;

let departments: TestDepartments;
let hub: TestHub;
let configFile: string;
let flooder: Record<string, string>;
let bystander: Record<string, string>;
const suffix = `${process.pid}`;

/** `{ a0: <field> a1: <field> … }` */
const aliases = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

beforeAll(async () => {
  departments = await startTestDepartments('bulkhead');
  // The shipped configuration, with no background health checks (the tests count them) and a budget the
  // slowed department stays well inside when it is not queued behind a flood.
  const shipped = fs.readFileSync(path.resolve(__dirname, '..', 'connectors.config.yaml'), 'utf8');
  configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bulkhead-')), 'connectors.yaml');
  fs.writeFileSync(
    configFile,
    shipped
      .replace(/timeoutMs: \d+/, `timeoutMs: ${TIMEOUT_MS}`)
      .replace(/retries: \d+/, 'retries: 1')
      .replace(/breakerFailures: \d+/, 'breakerFailures: 3')
      .replace(/healthCheckIntervalMs: \d+/, 'healthCheckIntervalMs: 0'),
  );
  hub = await startTestHub({ HUB_CONNECTORS_CONFIG: configFile }, departments.connectorEnv);
  const consumer = async (code: string) =>
    consumerHeaders(
      (
        await createConsumer(hub.prisma, {
          code: `${code}-${suffix}`,
          name: code,
          department: '测试 Test',
          purposes: ['STATISTICS'],
          grants: [{ item: 'CA_CARE_INSTITUTIONS' }],
        })
      ).apiKey,
      'STATISTICS',
    );
  flooder = await consumer('bulkhead-flooder');
  bystander = await consumer('bulkhead-bystander');
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
  if (configFile) fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
});

type Errors = NonNullable<Awaited<ReturnType<TestHub['graphql']>>['body']['errors']>;
const institutions = (headers: Record<string, string>) =>
  hub.graphql<{ elderlyCareInstitutions: { totalCount: number } | null }, Record<string, never>>(
    '{ elderlyCareInstitutions(first: 1) { totalCount } }',
    undefined,
    headers,
  );
const civilAffairsStatus = async (headers: Record<string, string>) => {
  const { body } = await hub.graphql<{ connectors: Array<{ name: string; status: string }> }, Record<string, never>>(
    '{ connectors { name status } }',
    undefined,
    headers,
  );
  return body.data!.connectors.find((c) => c.name === 'civil-affairs')!.status;
};

describe('bulkheads', () => {
  afterEach(() => departments.clearFaults('civil-affairs'));

  it('holds a flooding consumer to its share of a slow department: others are served, the breaker stays closed', async () => {
    const timeoutsBefore = await departmentCalls(hub, { connector: 'civil-affairs', outcome: 'timeout' });
    const refusedBefore = await departmentCalls(hub, { connector: 'civil-affairs', outcome: 'bulkhead_full' });
    await departments.setFaults('civil-affairs', { latencyMs: LATENCY_MS });

    const flood = hub.graphql<Record<string, { totalCount: number } | null>, Record<string, never>>(
      aliases(30, 'elderlyCareInstitutions(first: 1) { totalCount }'),
      undefined,
      flooder,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const other = await institutions(bystander);
    const flooded = await flood;

    // The other consumer, asking while the flood is under way, is answered in full.
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data!.elderlyCareInstitutions!.totalCount).toBeGreaterThan(0);
    // The flood got some answers; the rest was refused by the hub, at each alias, without asking the department.
    const answered = Object.values(flooded.body.data ?? {}).filter((value) => value !== null);
    expect(answered.length).toBeGreaterThan(0);
    const errors: Errors = flooded.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(answered.length + errors.length).toBe(30);
    for (const error of errors) {
      expect(error.path).toHaveLength(1);
      expect(error.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        connector: 'civil-affairs',
        reason: 'BULKHEAD_FULL',
      });
    }
    // No call timed out, the refusals are counted as such, and the department is not DOWN for anyone.
    expect(await departmentCalls(hub, { connector: 'civil-affairs', outcome: 'timeout' })).toBe(timeoutsBefore);
    expect(await departmentCalls(hub, { connector: 'civil-affairs', outcome: 'bulkhead_full' })).toBe(
      refusedBefore + errors.length,
    );
    expect(await civilAffairsStatus(bystander)).not.toBe('DOWN');
    const after = await institutions(bystander);
    expect(after.body.errors).toBeUndefined();
  });
});

describe('a request past its department-call budget', () => {
  let budgetHub: TestHub;
  beforeAll(async () => {
    budgetHub = await startTestHub({ HUB_CONNECTORS_CONFIG: configFile, HUB_REQUEST_MAX_CALLS: '3' }, departments.connectorEnv);
  });
  afterAll(() => budgetHub?.stop());

  it('gets REQUEST_CALL_BUDGET at each field beyond it, and the department is not asked for those', async () => {
    const before = await departmentCalls(budgetHub, { connector: 'civil-affairs', outcome: 'success' });
    const { status, body } = await budgetHub.graphql<Record<string, { totalCount: number } | null>, Record<string, never>>(
      aliases(5, 'elderlyCareInstitutions(first: 1) { totalCount }'),
    );
    expect(status).toBe(200);
    expect(Object.values(body.data!).filter((value) => value !== null)).toHaveLength(3);
    expect(body.errors).toHaveLength(2);
    for (const error of body.errors!) {
      expect(error.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        connector: 'civil-affairs',
        reason: 'REQUEST_CALL_BUDGET',
      });
    }
    expect(await departmentCalls(budgetHub, { connector: 'civil-affairs', outcome: 'success' })).toBe(before + 3);
    // The budget is the request's: the next request has its own.
    const next = await budgetHub.graphql('{ elderlyCareInstitutions(first: 1) { totalCount } }');
    expect(next.body.errors).toBeUndefined();
  });
});

describe('the cost of department calls', () => {
  it('refuses 2,000 aliases of elderlyCareInstitutions(first: 1) before any department call', async () => {
    const before = await departmentCalls(hub);
    const { status, body } = await hub.graphql(aliases(2000, 'elderlyCareInstitutions(first: 1) { totalCount }'));
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'COST', limit: 20000 });
    expect(body.errors![0]!.extensions!.value).toBeGreaterThan(20000);
    expect(await departmentCalls(hub)).toBe(before);
  });
});

describe('connectors(refresh: true)', () => {
  const REFRESH = aliases(50, 'connectors(refresh: true) { name status }');
  const healthChecks = (connector: string) => departmentCalls(hub, { connector, operation: 'healthCheck' });

  it('checks each connector at most once for 50 aliases by an administrator', async () => {
    const names = hub.connectors.all().map((c) => c.name);
    const before = await Promise.all(names.map(healthChecks));
    const { status, body } = await hub.graphql<Record<string, Array<{ name: string; status: string }>>, Record<string, never>>(
      REFRESH,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data!)).toHaveLength(50);
    for (const statuses of Object.values(body.data!)) expect(statuses.map((s) => s.name).sort()).toEqual([...names].sort());
    const after = await Promise.all(names.map(healthChecks));
    names.forEach((_name, i) => expect(after[i]! - before[i]!).toBeLessThanOrEqual(1));
    expect(after.reduce((sum, n) => sum + n, 0) - before.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  });

  it('is FORBIDDEN for a consumer without the ADMIN role, which still reads the last known status', async () => {
    const names = hub.connectors.all().map((c) => c.name);
    const before = await Promise.all(names.map(healthChecks));
    const { body } = await hub.graphql(REFRESH, undefined, flooder);
    expect(body.errors!.length).toBeGreaterThan(0);
    for (const error of body.errors!) expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' });
    expect(await Promise.all(names.map(healthChecks))).toEqual(before);
    expect(['UP', 'DEGRADED', 'DOWN']).toContain(await civilAffairsStatus(flooder));
  });
});

describe('verifyAuditChain', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is costed as a full scan: 200 aliases are refused before scanning', async () => {
    const verify = jest.spyOn(AuditTrail.prototype, 'verify');
    const { status, body } = await hub.graphql(aliases(200, 'verifyAuditChain { ok }'));
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'COST' });
    expect(verify).not.toHaveBeenCalled();
  });

  it('scans once per request however many aliases ask', async () => {
    const verify = jest.spyOn(AuditTrail.prototype, 'verify');
    const { body } = await hub.graphql<Record<string, { ok: boolean; checkedEvents: number }>, Record<string, never>>(
      aliases(3, 'verifyAuditChain { ok checkedEvents }'),
    );
    expect(body.errors).toBeUndefined();
    const [first, ...others] = Object.values(body.data!);
    expect(first!.checkedEvents).toBeGreaterThanOrEqual(0);
    expect(others).toEqual([first, first]);
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
