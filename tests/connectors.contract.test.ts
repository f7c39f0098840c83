/**
 * The connector contract, defined once and run against every department connector — four over HTTP, two over
 * SQL exchange databases — talking to a running sandbox of the department systems with synthetic data.
 * Expected values come from the departments' own storage (the fixture reads it directly), never from the
 * connector under test.
 */
import path from 'node:path';
import pg from 'pg';
import { Registry } from 'prom-client';
import { loadConnectorsConfig } from '../connectors/config';
import { CONNECTOR_NAMES, toSnakeCase, type ConnectorName, type EntitySpec } from '../connectors/department-interface';
import { DEPARTMENT_INTERFACES } from '../connectors/departments';
import { ConnectorMetrics } from '../connectors/metrics';
import { regionPrefix } from '../domain/regions';
import { createConnector } from '../connectors/registry';
import { ConnectorError, type Connector, type SourceRecord } from '../connectors/contract';
import { makeCitizenId } from '../domain/citizen-id';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { parseMetrics } from './helpers/metrics';

jest.setTimeout(60_000);

const CONFIG_FILE = path.resolve(__dirname, '..', 'connectors.config.yaml');
const UNKNOWN_CITIZEN = makeCitizenId('500103', '1901-01-01', 999, 'M');

let departments: TestDepartments;
let registry: Registry;
const connectors = new Map<ConnectorName, Connector>();

beforeAll(async () => {
  departments = await startTestDepartments('contract');
  // The synthetic data at this scale may hold no 助餐 record (the community needs a canteen): one, so the
  // contract runs on every entity.
  await departments.query(
    `INSERT INTO civil_affairs.meal_assistance (citizen_id, institution_id, since)
     SELECT (SELECT citizen_id FROM civil_affairs.elderly_profile ORDER BY 1 LIMIT 1),
            (SELECT institution_id FROM civil_affairs.institution ORDER BY 1 LIMIT 1), DATE '2020-01-01'
     WHERE NOT EXISTS (SELECT 1 FROM civil_affairs.meal_assistance)`,
  );
  registry = new Registry();
  const metrics = new ConnectorMetrics(registry);
  const configs = loadConnectorsConfig(CONFIG_FILE, { ...process.env, ...departments.connectorEnv });
  for (const config of configs) {
    const connector = createConnector({ ...config, limits: { ...config.limits, healthCheckIntervalMs: 0 } }, metrics);
    await connector.init();
    connectors.set(config.name, connector);
  }
}, 180_000);

afterAll(async () => {
  for (const connector of connectors.values()) await connector.close();
  await departments?.stop();
});

const schemaOf = (name: ConnectorName) => toSnakeCase(name).replaceAll('-', '_');
const table = (name: ConnectorName, entity: string) => `${schemaOf(name)}.${toSnakeCase(entity)}`;

/** Up to `limit` distinct keys that have records, straight from the department's storage. */
async function storedKeys(name: ConnectorName, entity: EntitySpec & { name: string }, limit = 5): Promise<string[]> {
  const column = toSnakeCase(entity.key);
  const rows = await departments.query<{ key: string }>(
    `SELECT DISTINCT ${column}::text AS key FROM ${table(name, entity.name)} ORDER BY 1 LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.key.trim());
}

async function storedCount(name: ConnectorName, entityName: string, where = 'true', values: unknown[] = []): Promise<number> {
  const [row] = await departments.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table(name, entityName)} WHERE ${where}`,
    values,
  );
  return Number(row!.n);
}

function expectSourceRecord(record: SourceRecord, entity: EntitySpec) {
  expect(record.sourceRecordId).toBe(String(record.data[entity.recordId]));
  expect(record.sourceUpdatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(Date.parse(record.fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
}

describe.each(CONNECTOR_NAMES.map((name) => [name, DEPARTMENT_INTERFACES[name].entities] as const))(
  '%s connector',
  (name, entities) => {
    const connector = () => connectors.get(name)!;

    it('is configured with the transport the department publishes, and reports UP after a health check', async () => {
      expect(connector().transport).toBe(['civil-affairs', 'education'].includes(name) ? 'sql' : 'http');
      const status = await connector().healthCheck();
      expect(status).toMatchObject({ name, department: DEPARTMENT_INTERFACES[name].department, status: 'UP', lastError: null });
      expect(status.latencyMs).toEqual(expect.any(Number));
      expect(status.checkedAt).toMatch(/^\d{4}-/);
    });

    it.each(Object.keys(entities))('loads %s records by key in one call, in key order, with lineage', async (entityName) => {
      const entity = { ...entities[entityName]!, name: entityName };
      const keys = await storedKeys(name, entity);
      expect(keys.length).toBeGreaterThan(0);
      const unknown = entity.key === 'citizenId' ? UNKNOWN_CITIZEN : 'NO-SUCH-KEY';
      const asked = [unknown, ...keys, ...keys.slice(0, 1)];
      const results = await connector().loadMany(entityName, asked);
      expect(results).toHaveLength(asked.length);
      expect(results[0]).toEqual(entity.cardinality === 'many' ? [] : null);
      for (const [index, key] of asked.entries()) {
        if (index === 0) continue;
        const result = results[index];
        expect(result).not.toBeInstanceOf(ConnectorError);
        const records = (entity.cardinality === 'many' ? result : [result]) as SourceRecord[];
        expect(records.length).toBeGreaterThan(0);
        for (const record of records) {
          expect(String(record.data[entity.key])).toBe(key);
          expectSourceRecord(record, entity);
        }
        if (entity.cardinality === 'many') {
          expect(records).toHaveLength(await storedCount(name, entityName, `${toSnakeCase(entity.key)}::text = $1`, [key]));
        }
      }
    });

    const listable = Object.entries(entities).filter(([, e]) => e.filters);
    if (listable.length) {
      it.each(listable.map(([entityName]) => entityName))(
        'lists %s page by page to exactly the stored records',
        async (entityName) => {
          const entity = { ...entities[entityName]!, name: entityName };
          const total = await storedCount(name, entityName);
          expect(total).toBeGreaterThan(0);
          const seen = new Set<string>();
          let after: string | null = null;
          for (let page = 0; page < 200; page++) {
            const result = await connector().list(entityName, { filter: {}, first: 25, after });
            expect(result.totalCount).toBe(total);
            for (const record of result.records) {
              expectSourceRecord(record, entity);
              expect(seen.has(record.sourceRecordId)).toBe(false);
              seen.add(record.sourceRecordId);
            }
            if (!result.hasNextPage) break;
            after = result.endCursor;
          }
          expect(seen.size).toBe(total);
        },
      );

      it.each(listable.map(([entityName]) => entityName))('filters %s by region at street level', async (entityName) => {
        const [street] = await departments.query<{ code: string }>(
          `SELECT substr(region_code, 1, 9) AS code FROM ${table(name, entityName)} ORDER BY 1 LIMIT 1`,
        );
        expect(street).toBeDefined();
        const expected = await storedCount(name, entityName, 'region_code LIKE $1', [`${regionPrefix(street!.code)}%`]);
        expect(expected).toBeGreaterThan(0);
        const result = await connector().list(entityName, { filter: { regionCode: street!.code }, first: 500 });
        expect(result.totalCount).toBe(expected);
        expect(result.records.length).toBeGreaterThan(0);
        expect(result.records.every((r) => String(r.data.regionCode).startsWith(street!.code))).toBe(true);
      });
    }

    const aggregates = Object.entries(DEPARTMENT_INTERFACES[name].aggregates);
    if (aggregates.length) {
      it.each(aggregates.map(([aggregate]) => aggregate))('aggregates %s by street to the stored totals', async (aggregate) => {
        const spec = DEPARTMENT_INTERFACES[name].aggregates[aggregate]!;
        const rows = await connector().aggregate(aggregate, {
          regionCode: '500103',
          regionLevel: 'STREET',
          groupBy: spec.dimensions.slice(0, 1),
        });
        const [countMeasure] = Object.entries(spec.measures).find(([, m]) => m.op === 'count')!;
        const counted = rows.reduce((total, row) => total + Number(row[countMeasure]), 0);
        const regionColumn = toSnakeCase(spec.regionField);
        expect(counted).toBe(await storedCount(name, spec.entity, `${regionColumn} LIKE '500103%'`));
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(String(row.regionCode)).toMatch(/^500103\d{3}$/);
      });
    }

    if (aggregates.length) {
      it('answers several aggregates in one department call, each as its own call would', async () => {
        const requests = [
          ...aggregates.map(([aggregate, spec]) => ({
            name: aggregate,
            query: { regionCode: '500103', regionLevel: 'STREET' as const, groupBy: spec.dimensions.slice(0, 1) },
          })),
          { name: aggregates[0]![0], query: { regionCode: '500103001' } },
          { name: 'noSuchAggregate', query: { regionCode: '500103' } },
        ];
        const calls = async () =>
          parseMetrics(await registry.metrics()).sum('hub_connector_requests_total', {
            connector: name,
            operation: 'aggregates.batch',
          });
        const before = await calls();
        const answers = await connector().aggregateMany(requests);
        expect(await calls()).toBe(before + 1);
        expect(answers).toHaveLength(requests.length);
        expect(answers.at(-1)).toMatchObject({ reason: 'UNKNOWN_OPERATION' });
        const single = await Promise.all(requests.slice(0, -1).map((r) => connector().aggregate(r.name, r.query)));
        expect(answers.slice(0, -1)).toEqual(single);
        const [countMeasure] = Object.entries(aggregates[0]![1].measures).find(([, m]) => m.op === 'count')!;
        const street = answers.at(-2) as Array<Record<string, unknown>>;
        expect(street).toHaveLength(1);
        expect(Number(street[0]![countMeasure])).toBe(
          await storedCount(name, aggregates[0]![1].entity, `${toSnakeCase(aggregates[0]![1].regionField)} LIKE '500103001%'`),
        );
      });
    }

    const exchangeSchema = { 'civil-affairs': 'civil_affairs_exchange', education: 'education_exchange' }[name as string];
    if (exchangeSchema) {
      it.each(Object.keys(entities))(
        'reads every field of %s exactly as the exchange view holds it (dates, timestamps in UTC, amounts)',
        async (entityName) => {
          const entity = { ...entities[entityName]!, name: entityName };
          const keys = await storedKeys(name, entity, 20);
          expect(keys.length).toBeGreaterThan(0);
          // The oracle: the view read column by column with node-postgres, each value written out here by type.
          const client = new pg.Client({ connectionString: departments.departmentsDbUrl });
          await client.connect();
          const plain = await client
            .query(
              `SELECT * FROM ${exchangeSchema}.${toSnakeCase(entityName)} WHERE ${toSnakeCase(entity.key)}::text = ANY($1)`,
              [keys],
            )
            .finally(() => client.end());
          const typeOf = new Map(plain.fields.map((f) => [f.name, f.dataTypeID]));
          const written = (column: string, value: unknown): unknown => {
            if (value === null) return null;
            const type = typeOf.get(column);
            if (type === 1082) {
              const date = value as Date; // node-postgres reads a date as local midnight
              return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
            }
            if (type === 1184) return (value as Date).toISOString();
            if (type === 20) return Number(value);
            if (type === 1700) return Number(value); // the record schema reads an amount as a number
            return value;
          };
          const results = await connector().loadMany(entityName, keys);
          const records = results.flatMap((r) => (Array.isArray(r) ? r : r ? [r] : [])) as SourceRecord[];
          expect(records).toHaveLength(plain.rows.length);
          const fields = Object.keys(records[0]!.data).filter((f) => typeOf.has(toSnakeCase(f)));
          expect(fields.length).toBeGreaterThan(3);
          const sorted = (rows: Array<Record<string, unknown>>) => rows.map((row) => JSON.stringify(row)).sort();
          expect(sorted(records.map((record) => Object.fromEntries(fields.map((f) => [f, record.data[f]]))))).toEqual(
            sorted(
              plain.rows.map((row: Record<string, unknown>) =>
                Object.fromEntries(fields.map((f) => [f, written(toSnakeCase(f), row[toSnakeCase(f)])])),
              ),
            ),
          );
        },
      );
    }

    it('refuses an entity the department does not publish', async () => {
      await expect(connector().loadMany('noSuchEntity', ['x'])).rejects.toMatchObject({ reason: 'UNKNOWN_OPERATION' });
    });
  },
);

describe('commands', () => {
  it('health.issueBirthCertificate: the same idempotency key gives the same certificate, once', async () => {
    const [mother] = await departments.query<{ citizen_id: string }>(
      `SELECT citizen_id FROM public_security.person WHERE sex = 'F' AND birth_date < '1995-01-01' ORDER BY citizen_id LIMIT 1`,
    );
    const input = {
      childName: '测试婴儿',
      sex: 'F',
      birthDate: '2022-12-01',
      birthWeightG: 3200,
      hospital: '重庆市妇幼保健院',
      motherCitizenId: mother!.citizen_id,
      fatherCitizenId: null,
      regionCode: '500103001003',
    };
    const key = `contract-${process.pid}-certificate`;
    const first = await connectors.get('health')!.command('issueBirthCertificate', input, key);
    const again = await connectors.get('health')!.command('issueBirthCertificate', input, key);
    expect(first.status).toBe('COMPLETED');
    expect(again).toEqual(first);
    const number = String((first as { result: Record<string, unknown> }).result.certificateNumber);
    expect(await storedCount('health', 'birthCertificate', 'certificate_number = $1', [number])).toBe(1);

    // Read back by key: the same answer, nothing executed again; a key never sent is null; reading never executes.
    expect(await connectors.get('health')!.readCommand('issueBirthCertificate', key)).toEqual(first);
    expect(await connectors.get('health')!.readCommand('issueBirthCertificate', `${key}-never-sent`)).toBeNull();
    expect(await storedCount('health', 'birthCertificate', 'certificate_number = $1', [number])).toBe(1);
    const [ledger] = await departments.query<{ requests: number; lookups: number }>(
      `SELECT requests, lookups FROM sandbox.command_answer WHERE department = 'health' AND idempotency_key = $1`,
      [key],
    );
    expect(ledger).toEqual({ requests: 2, lookups: 1 });
    expect(
      await departments.query(`SELECT 1 FROM sandbox.command_answer WHERE idempotency_key = $1`, [`${key}-never-sent`]),
    ).toEqual([]);
    // The key belongs to another command: a typed error, not another command's answer.
    await expect(connectors.get('health')!.readCommand('createVaccinationArchive', key)).rejects.toMatchObject({
      reason: 'BAD_REQUEST',
    });
  });

  it('readCommand: an unknown command, and an exchange database (no commands), are UNKNOWN_OPERATION', async () => {
    await expect(connectors.get('health')!.readCommand('cureEverything', 'contract-x')).rejects.toMatchObject({
      reason: 'UNKNOWN_OPERATION',
    });
    const sql = connectors.get('civil-affairs')!;
    expect(sql.transport).toBe('sql');
    await expect(sql.readCommand('anything', 'contract-x')).rejects.toMatchObject({ reason: 'UNKNOWN_OPERATION' });
  });

  it('medical-insurance.enrol: a rejection read back by key is the same rejection', async () => {
    const key = `contract-${process.pid}-enrol-unknown-readback`;
    const input = { citizenId: UNKNOWN_CITIZEN, scheme: 'RESIDENT' as const };
    const rejected = await connectors.get('medical-insurance')!.command('enrol', input, key);
    expect(rejected.status).toBe('REJECTED');
    expect(await connectors.get('medical-insurance')!.readCommand('enrol', key)).toEqual(rejected);
  });

  it('medical-insurance.enrol answers a rejection as an outcome, not an error', async () => {
    const outcome = await connectors
      .get('medical-insurance')!
      .command('enrol', { citizenId: UNKNOWN_CITIZEN, scheme: 'RESIDENT' }, `contract-${process.pid}-enrol-unknown`);
    expect(outcome).toMatchObject({ status: 'REJECTED', reason: expect.any(String) });
  });
});

describe('metrics', () => {
  it('counts every call by connector, operation and outcome', async () => {
    const metrics = parseMetrics(await registry.metrics());
    const successes = (connector: string, operation: string) =>
      metrics.sum('hub_connector_requests_total', { connector, operation, outcome: 'success' });
    expect(CONNECTOR_NAMES.map((name) => [name, successes(name, 'healthCheck') >= 1])).toEqual(
      CONNECTOR_NAMES.map((name) => [name, true]),
    );
    expect(successes('civil-affairs', 'institution.batchGet')).toBeGreaterThanOrEqual(1);
    const buckets = metrics.samples.filter(
      (s) =>
        s.name === 'hub_connector_request_duration_seconds_bucket' &&
        s.labels.connector === 'public-security' &&
        s.labels.operation === 'person.batchGet',
    );
    expect(buckets.length).toBeGreaterThan(0);
    expect(buckets.every((s) => s.labels.le !== undefined)).toBe(true);
  });
});
