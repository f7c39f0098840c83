/**
 * The sandbox department systems, from outside: real department processes over real HTTP, and the SQL exchange
 * schemas through their reader roles, against a scratch departments database on DATABASE_URL's server with a
 * few rows written here. Covers the wire format (batchGet, search, aggregates, commands with idempotency),
 * authentication, every injected fault on an HTTP and an SQL department, the reader roles' confinement, and
 * that nothing personal reaches the departments' logs.
 *
 * The reader roles get names unique to this run: roles are cluster-wide, and an outage switched on here must
 * not lock out another test's sandbox on the same server.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { toSnakeCase } from '../connectors/department-interface';
import { DEPARTMENT_INTERFACES } from '../connectors/departments';
import { birthCertificateRecord, childcareInstitutionRecord, vaccinationRecord } from '../connectors/health/interface';
import { personRecord } from '../connectors/public-security/interface';
import { cardApplicationRecord } from '../connectors/social-security/interface';
import { clearFaults, setFaults } from '../departments/control';
import { departmentsDatabaseUrl } from '../departments/database';
import { startSandboxDepartments, type RunningSandbox } from '../departments/main';
import { MALFORMED_VALUE, SQL_DEPARTMENTS, recordFields, type HttpDepartment } from '../departments/storage';
import { makeCitizenId, parseCitizenId } from '../domain/citizen-id';
import { databaseOnServer, hubDatabaseUrl, withClient } from './helpers/database';

jest.setTimeout(30_000);

/** The directory every test's logs go to (as tests/helpers/hub.ts), so a suite-wide scan sees these too. */
const TEST_LOG_DIR = path.resolve(__dirname, '..', '.data', 'test-logs');

const scratchUrl = new URL(departmentsDatabaseUrl(hubDatabaseUrl(), {}));
scratchUrl.pathname += '_test';
const DB_URL = scratchUrl.toString();
const DB_NAME = scratchUrl.pathname.slice(1);

const tag = `t${process.pid}`;
const READERS = {
  'civil-affairs': { user: `${tag}_civil_affairs_reader`, password: 'civil-affairs-test-pw' },
  education: { user: `${tag}_education_reader`, password: 'education-test-pw' },
};
const API_KEYS: Record<HttpDepartment, string> = {
  'public-security': 'test-public-security-key',
  health: 'test-health-key',
  'medical-insurance': 'test-medical-insurance-key',
  'social-security': 'test-social-security-key',
};
const LOG_FILE = path.join(TEST_LOG_DIR, `departments-worker-${process.env.JEST_WORKER_ID ?? '0'}.log`);

// People: household H1 (father = head, mother = spouse, grandmother) and H2 in 渝中区 500103, H3 in 大渡口区 500104.
const FATHER = makeCitizenId('500103', '1988-03-02', 11, 'M');
const MOTHER = makeCitizenId('500103', '1990-05-01', 22, 'F');
const GRANDMOTHER = makeCitizenId('500103', '1950-01-01', 32, 'F');
const NEIGHBOUR = makeCitizenId('500103', '2000-07-07', 41, 'M');
const DADUKOU = makeCitizenId('500104', '1985-09-09', 52, 'F');
const STRANGER = makeCitizenId('500103', '1970-01-01', 61, 'M'); // valid, but nobody has it
const FIXTURE_CERTIFICATE = 'Q500103000001';

async function dropScratch(): Promise<void> {
  await withClient(databaseOnServer(DB_URL, 'postgres'), async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(DB_NAME)} WITH (FORCE)`);
    for (const { user } of Object.values(READERS)) await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(user)}`);
  });
}

async function seed(db: pg.Client): Promise<void> {
  const person = (
    id: string,
    name: string,
    sex: string,
    birth: string,
    region: string,
    household: string,
    head: string,
    relation: string,
    residence = 'REGISTERED_RESIDENT',
  ) =>
    db.query(
      `INSERT INTO public_security.person (citizen_id, name, sex, birth_date, phone, region_code, address, household_id,
         household_head_id, relation_to_head, residence_type, registered_on)
       VALUES ($1, $2, $3, $4, '13800000000', $5, '重庆市渝中区测试路1号', $6, $7, $8, $9, '2010-01-01')`,
      [id, name, sex, birth, region, household, head, relation, residence],
    );
  await person(FATHER, '张父', 'M', '1988-03-02', '500103001001', 'H1', FATHER, '户主');
  await person(MOTHER, '李母', 'F', '1990-05-01', '500103001001', 'H1', FATHER, '配偶');
  await person(GRANDMOTHER, '张奶奶', 'F', '1950-01-01', '500103001002', 'H1', FATHER, '母');
  await person(NEIGHBOUR, '王邻', 'M', '2000-07-07', '500103002001', 'H2', NEIGHBOUR, '户主', 'RESIDENT_ONLY');
  await person(DADUKOU, '赵大', 'F', '1985-09-09', '500104001001', 'H3', DADUKOU, '户主');
  await db.query(
    `INSERT INTO health.birth_certificate (certificate_number, child_name, sex, birth_date, birth_weight_g, hospital,
       mother_citizen_id, father_citizen_id, region_code)
     VALUES ($1, '张小弟', 'M', '2025-06-01', 3100, '重庆市妇幼保健院', $2, $3, '500103001001')`,
    [FIXTURE_CERTIFICATE, MOTHER, FATHER],
  );
  await db.query(
    `INSERT INTO health.vaccination (vaccination_id, citizen_id, vaccine_code, vaccine_name, dose, vaccinated_on, organisation)
     VALUES ('V1', $1, 'HepB', '乙肝疫苗', 1, '2000-07-08', '渝中区社区卫生服务中心'),
            ('V2', $1, 'HepB', '乙肝疫苗', 2, '2000-08-08', '渝中区社区卫生服务中心')`,
    [NEIGHBOUR],
  );
  await db.query(
    `INSERT INTO health.childcare_institution (institution_id, name, region_code, address, operator, registration_authority,
       filing_number, filing_date, filing_status, service_types, places, inclusive, enrolled, staff_total, staff_certified, medical_contract)
     VALUES ('CC1', '七星岗托育园', '500103001001', '地址1', '运营1', 'MARKET_REGULATION', 'F001', '2024-01-01', 'FILED', '{FULL_DAY,HOURLY}', 50, true, 30, 10, 8, true),
            ('CC2', '解放碑托育园', '500103002001', '地址2', '运营2', 'CIVIL_AFFAIRS', NULL, NULL, 'PENDING', '{HALF_DAY}', 20, false, 5, 4, 2, false),
            ('CC3', '大渡口托育园', '500104001001', '地址3', '运营3', 'PUBLIC_SECTOR', 'F003', '2023-05-05', 'FILED', '{FULL_DAY}', 10, true, 10, 3, 3, true)`,
  );
  await db.query(
    `INSERT INTO medical_insurance.enrolment (enrolment_id, citizen_id, scheme, status, enrolled_on)
     VALUES ('MI000000000001', $1, 'RESIDENT', 'ACTIVE', '2020-01-01')`,
    [NEIGHBOUR],
  );
  await db.query(
    `INSERT INTO civil_affairs.institution (institution_id, name, kind, subtype, ownership, operator, region_code, address,
       care_modes, star_level, beds_total, beds_nursing, beds_safety_net, beds_inclusive, beds_occupied, medical_contract)
     VALUES ('I1', '渝中区社会福利院', 'FULL_CARE_INSTITUTION', NULL, 'PUBLIC', '渝中区民政局', '500103001000', '地址', '{FULL_TIME}', 4, 200, 120, 20, 60, 150, true),
            ('I2', '七星岗养老服务站', 'COMMUNITY_STATION', NULL, 'PRIVATE', '某公司', '500103001001', '地址', '{DAY_CARE}', NULL, 10, 0, 0, 10, 4, false)`,
  );
  await db.query(
    `INSERT INTO civil_affairs.elderly_profile (citizen_id, special_hardship, minimum_living, economic_difficulty, living_alone, empty_nest, family_planning_special)
     VALUES ($1, false, false, true, false, true, false)`,
    [GRANDMOTHER],
  );
  await db.query(
    `INSERT INTO education.kindergarten (kindergarten_id, name, region_code, address, ownership, inclusive, nursery_class_places)
     VALUES ('K1', '渝中区实验幼儿园', '500103001001', '地址', 'PUBLIC', true, 40)`,
  );
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  await dropScratch();
  fs.mkdirSync(TEST_LOG_DIR, { recursive: true });
  const { prepareDepartmentsDatabase } = await import('../departments/database');
  await prepareDepartmentsDatabase(DB_URL, { readers: READERS });
  await withClient(DB_URL, seed);
  sandbox = await startSandboxDepartments({
    departmentsDbUrl: DB_URL,
    ports: 0,
    apiKeys: API_KEYS,
    readers: READERS,
    cardIssueDelayMs: 300,
    skipPrepare: true,
    output: { file: LOG_FILE },
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  await dropScratch();
}, 30_000);

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

async function call(
  department: HttpDepartment,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${sandbox.http[department].baseUrl}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${API_KEYS[department]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const command = (department: HttpDepartment, name: string, input: unknown, key: string, headers: Record<string, string> = {}) =>
  call(department, `/v1/commands/${name}`, input, { 'idempotency-key': key, ...headers });

const elapsed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
};

describe('HTTP exchange API', () => {
  test("health needs no key; API calls need the department's own key", async () => {
    const health = await fetch(`${sandbox.http.health.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const keys = { keys: [FATHER] };
    for (const headers of [
      { authorization: '' },
      { authorization: 'Bearer wrong-key' },
      { authorization: `Bearer ${API_KEYS.health}` },
      { authorization: `Basic ${API_KEYS['public-security']}` },
    ]) {
      const answer = await call('public-security', '/v1/person:batchGet', keys, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  test('batchGet answers records in the published shape; unknown keys are absent', async () => {
    const answer = await call('public-security', '/v1/person:batchGet', { keys: [MOTHER, FATHER, STRANGER, FATHER] });
    expect(answer.status).toBe(200);
    expect(answer.body.records.map((r: { citizenId: string }) => r.citizenId)).toEqual([FATHER, MOTHER].sort());
    for (const record of answer.body.records) {
      expect(Object.keys(record).sort()).toEqual(Object.keys(personRecord.shape).sort());
      expect(personRecord.safeParse(record).success).toBe(true);
      expect(record.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(record.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
    }

    const many = await call('health', '/v1/vaccination:batchGet', { keys: [NEIGHBOUR] });
    expect(many.body.records.map((r: { dose: number }) => r.dose)).toEqual([1, 2]);
    expect(many.body.records.every((r: unknown) => vaccinationRecord.safeParse(r).success)).toBe(true);

    const institution = await call('health', '/v1/childcareInstitution:batchGet', { keys: ['CC1', 'CC2'] });
    const [cc1, cc2] = institution.body.records;
    expect(cc1).toMatchObject({ serviceTypes: ['FULL_DAY', 'HOURLY'], places: 50, inclusive: true, filingDate: '2024-01-01' });
    expect(cc2).toMatchObject({ filingNumber: null, filingDate: null });
    expect(childcareInstitutionRecord.safeParse(cc1).success && childcareInstitutionRecord.safeParse(cc2).success).toBe(true);
  });

  test('batchGet rejects malformed keys and too many keys without quoting them', async () => {
    const malformed = await call('public-security', '/v1/person:batchGet', { keys: [FATHER, '12345'] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'keys.1' });
    expect(JSON.stringify(malformed.body)).not.toContain('12345');
    const tooMany = await call('public-security', '/v1/person:batchGet', { keys: Array(501).fill(FATHER) });
    expect(tooMany.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'keys', reason: 'TOO_BIG' });
    const none = await call('public-security', '/v1/person:batchGet', {});
    expect(none.status).toBe(400);
    const unknown = await call('public-security', '/v1/nobody:batchGet', { keys: [FATHER] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  test('search pages through a filter in recordId order with an opaque cursor', async () => {
    const first = await call('public-security', '/v1/person:search', { filter: { regionCode: '500103' }, first: 2, after: null });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ totalCount: 4, hasNextPage: true });
    expect(first.body.records).toHaveLength(2);
    const second = await call('public-security', '/v1/person:search', {
      filter: { regionCode: '500103' },
      first: 2,
      after: first.body.endCursor,
    });
    expect(second.body).toMatchObject({ totalCount: 4, hasNextPage: false });
    const ids = [...first.body.records, ...second.body.records].map((r: { citizenId: string }) => r.citizenId);
    expect(ids).toEqual([FATHER, MOTHER, GRANDMOTHER, NEIGHBOUR].sort());

    const total = async (filter: Record<string, unknown>) =>
      (await call('public-security', '/v1/person:search', { filter, first: 10 })).body.totalCount;
    expect(await total({ regionCode: '500000' })).toBe(5); // city 重庆市: prefix 50
    expect(await total({ regionCode: '500103001' })).toBe(3); // street
    expect(await total({ regionCode: '500103002001' })).toBe(1); // community
    expect(await total({ residenceType: ['RESIDENT_ONLY', 'REGISTERED_ONLY'] })).toBe(1);
    expect(await total({ sex: 'F', regionCode: null })).toBe(3);
    expect(await total({ bornOnOrAfter: '1985-01-01', bornOnOrBefore: '1990-12-31' })).toBe(3);

    const uncounted = await call('public-security', '/v1/person:search', {
      filter: { regionCode: '500103' },
      first: 2,
      count: false,
    });
    expect(uncounted.body).toMatchObject({ totalCount: null, hasNextPage: true });
    expect(uncounted.body.records.map((r: { citizenId: string }) => r.citizenId)).toEqual(
      first.body.records.map((r: { citizenId: string }) => r.citizenId),
    );

    const filed = await call('health', '/v1/childcareInstitution:search', {
      filter: { filingStatus: ['FILED'], inclusive: true },
      first: 10,
    });
    expect(filed.body.records.map((r: { institutionId: string }) => r.institutionId)).toEqual(['CC1', 'CC3']);
  });

  test('search with fields answers those fields with the key, recordId and updatedAt, and pages as without', async () => {
    const whole = await call('public-security', '/v1/person:search', { filter: { regionCode: '500103' }, first: 2 });
    const projected = await call('public-security', '/v1/person:search', {
      filter: { regionCode: '500103' },
      first: 2,
      fields: ['sex', 'birthDate'],
    });
    expect(projected.status).toBe(200);
    expect(projected.body).toMatchObject({ totalCount: 4, hasNextPage: true, endCursor: whole.body.endCursor });
    const picked = (record: Record<string, unknown>) => ({
      citizenId: record.citizenId,
      sex: record.sex,
      birthDate: record.birthDate,
      updatedAt: record.updatedAt,
    });
    expect(projected.body.records).toEqual(whole.body.records.map(picked));
    expect(Object.keys(projected.body.records[0])).toEqual(['citizenId', 'sex', 'birthDate', 'updatedAt']);

    const unknown = await call('public-security', '/v1/person:search', { filter: {}, first: 1, fields: ['sex', 'nickname'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'fields', reason: 'UNKNOWN_FIELD' });
    const empty = await call('public-security', '/v1/person:search', { filter: {}, first: 1, fields: [] });
    expect(empty.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'fields' });
  });

  test('search accepts only declared filters and its own cursors', async () => {
    const unknown = await call('public-security', '/v1/person:search', { filter: { nickname: 'x' }, first: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'filter.nickname', reason: 'UNKNOWN_FILTER' });
    expect(unknown.body.error.message).toContain('nickname');
    const badValue = await call('public-security', '/v1/person:search', { filter: { sex: 'X' }, first: 1 });
    expect(badValue.body.error).toMatchObject({ field: 'filter.sex' });
    const badRegion = await call('public-security', '/v1/person:search', { filter: { regionCode: '5001' }, first: 1 });
    expect(badRegion.body.error).toMatchObject({ field: 'filter.regionCode' });
    const badCursor = await call('public-security', '/v1/person:search', { filter: {}, first: 1, after: 'bm90LWEtY3Vyc29y' });
    expect(badCursor.body.error).toMatchObject({ field: 'after', reason: 'INVALID_CURSOR' });
    const badFirst = await call('public-security', '/v1/person:search', { filter: {}, first: 501 });
    expect(badFirst.body.error).toMatchObject({ field: 'first' });
    const keyOnly = await call('health', '/v1/vaccination:search', { filter: {}, first: 1 });
    expect(keyOnly.status).toBe(404);
  });

  test('aggregates count and sum by region level and dimensions', async () => {
    const byStreetAndSex = await call('public-security', '/v1/aggregates/population', {
      regionCode: '500103',
      regionLevel: 'STREET',
      groupBy: ['sex'],
      filter: {},
    });
    expect(byStreetAndSex.status).toBe(200);
    expect(byStreetAndSex.body.rows).toEqual([
      { regionCode: '500103001', sex: 'F', persons: 2 },
      { regionCode: '500103001', sex: 'M', persons: 1 },
      { regionCode: '500103002', sex: 'M', persons: 1 },
    ]);
    const byBirthYear = await call('public-security', '/v1/aggregates/population', {
      regionCode: '500000',
      regionLevel: null,
      groupBy: ['birthYear'],
      filter: { residenceType: ['REGISTERED_RESIDENT'] },
    });
    expect(byBirthYear.body.rows).toEqual([
      { birthYear: 1950, persons: 1 },
      { birthYear: 1985, persons: 1 },
      { birthYear: 1988, persons: 1 },
      { birthYear: 1990, persons: 1 },
    ]);
    const places = await call('health', '/v1/aggregates/childcarePlaces', {
      regionCode: '500103',
      regionLevel: 'DISTRICT',
      groupBy: ['filingStatus'],
    });
    expect(places.body.rows).toEqual([
      { regionCode: '500103', filingStatus: 'FILED', institutions: 1, places: 50, enrolled: 30 },
      { regionCode: '500103', filingStatus: 'PENDING', institutions: 1, places: 20, enrolled: 5 },
    ]);
    const nothing = await call('health', '/v1/aggregates/childcarePlaces', {
      regionCode: '510000',
      regionLevel: null,
      groupBy: [],
    });
    expect(nothing.body.rows).toEqual([{ institutions: 0, places: 0, enrolled: 0 }]);
    const badDimension = await call('health', '/v1/aggregates/childcarePlaces', { regionCode: '500103', groupBy: ['colour'] });
    expect(badDimension.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'groupBy.0', reason: 'UNKNOWN_DIMENSION' });
  });

  test('a batch of aggregates answers each query in order, or refuses the whole batch naming the bad query', async () => {
    const batch = await call('health', '/v1/aggregates', {
      queries: [
        { aggregate: 'childcarePlaces', regionCode: '500103', regionLevel: 'DISTRICT', groupBy: ['filingStatus'] },
        { aggregate: 'childcarePlaces', regionCode: '510000', regionLevel: null, groupBy: [] },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results).toEqual([
      {
        rows: [
          { regionCode: '500103', filingStatus: 'FILED', institutions: 1, places: 50, enrolled: 30 },
          { regionCode: '500103', filingStatus: 'PENDING', institutions: 1, places: 20, enrolled: 5 },
        ],
      },
      { rows: [{ institutions: 0, places: 0, enrolled: 0 }] },
    ]);
    const badDimension = await call('health', '/v1/aggregates', {
      queries: [
        { aggregate: 'childcarePlaces', regionCode: '500103' },
        { aggregate: 'childcarePlaces', regionCode: '500103', groupBy: ['colour'] },
      ],
    });
    expect(badDimension.status).toBe(400);
    expect(badDimension.body.error).toMatchObject({ field: 'queries.1.groupBy.0', reason: 'UNKNOWN_DIMENSION' });
    const unknown = await call('health', '/v1/aggregates', { queries: [{ aggregate: 'beds', regionCode: '500103' }] });
    expect(unknown.body.error).toMatchObject({ field: 'queries.0.aggregate', reason: 'UNKNOWN_AGGREGATE' });
    const empty = await call('health', '/v1/aggregates', { queries: [] });
    expect(empty.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'queries' });
  });
});

describe('commands', () => {
  const certificateInput = {
    childName: '张小宝',
    sex: 'M',
    birthDate: '2025-06-01',
    birthWeightG: 3300,
    // The 助产机构 of the fixture's certificate: the one health knows in this database.
    hospital: '重庆市妇幼保健院',
    motherCitizenId: MOTHER,
    fatherCitizenId: FATHER,
    regionCode: '500103001001',
  };
  let certificateNumber: string;
  let childId: string;
  let enrolmentId: string;

  test('issueBirthCertificate issues once per Idempotency-Key and replays the answer', async () => {
    const first = await command('health', 'issueBirthCertificate', certificateInput, 'birth-cert-1');
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('COMPLETED');
    expect(birthCertificateRecord.safeParse(first.body.result).success).toBe(true);
    certificateNumber = first.body.result.certificateNumber;
    expect(certificateNumber).toBe('Q500103000002'); // after the fixture's Q500103000001

    const again = await command('health', 'issueBirthCertificate', certificateInput, 'birth-cert-1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const reused = await command('health', 'issueBirthCertificate', { ...certificateInput, birthWeightG: 3400 }, 'birth-cert-1');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const count = await withClient(DB_URL, (db) =>
      db.query('SELECT count(*)::int AS n FROM health.birth_certificate WHERE idempotency_key = $1', ['birth-cert-1']),
    );
    expect(count.rows[0].n).toBe(1);
  });

  test('concurrent requests with one key create one record and get one answer', async () => {
    const input = { ...certificateInput, childName: '张双胞', sex: 'F', birthDate: '2025-06-02' };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => command('health', 'issueBirthCertificate', input, 'birth-cert-race')),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const count = await withClient(DB_URL, (db) =>
      db.query('SELECT count(*)::int AS n FROM health.birth_certificate WHERE idempotency_key = $1', ['birth-cert-race']),
    );
    expect(count.rows[0].n).toBe(1);
  });

  test('command input and headers are validated', async () => {
    const noKey = await call('health', '/v1/commands/issueBirthCertificate', certificateInput);
    expect(noKey.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'Idempotency-Key', reason: 'REQUIRED' });
    const longKey = await command('health', 'issueBirthCertificate', certificateInput, 'k'.repeat(129));
    expect(longKey.body.error).toMatchObject({ field: 'Idempotency-Key', reason: 'INVALID_FORMAT' });
    const light = await command(
      'health',
      'issueBirthCertificate',
      { ...certificateInput, birthWeightG: 100 },
      'birth-cert-light',
    );
    expect(light.status).toBe(400);
    expect(light.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'birthWeightG', reason: 'TOO_SMALL' });
    const missing = await command('health', 'issueBirthCertificate', { ...certificateInput, sex: undefined }, 'birth-cert-nosex');
    expect(missing.body.error).toMatchObject({ field: 'sex', reason: 'INVALID_VALUE' });
    const badCallback = await command('social-security', 'applyForCard', {}, 'card-x', { 'x-callback-url': 'ftp://x' });
    expect(badCallback.body.error).toMatchObject({ field: 'X-Callback-Url' });
    const unknown = await command('health', 'cureEverything', {}, 'k-1');
    expect(unknown.status).toBe(404);
    const huge = await command('health', 'issueBirthCertificate', { ...certificateInput, hospital: 'x'.repeat(300_000) }, 'k-2');
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('GET /v1/commands/<command> reads the answer given to a key and never executes anything', async () => {
    const lookup = (department: HttpDepartment, name: string, key?: string) =>
      call(department, `/v1/commands/${name}`, undefined, key === undefined ? {} : { 'idempotency-key': key });
    const certificates = async (key: string) =>
      (
        await withClient(DB_URL, (db) =>
          db.query('SELECT count(*)::int AS n FROM health.birth_certificate WHERE idempotency_key = $1', [key]),
        )
      ).rows[0].n;

    const replay = await command('health', 'issueBirthCertificate', certificateInput, 'birth-cert-1');
    const found = await lookup('health', 'issueBirthCertificate', 'birth-cert-1');
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ command: 'issueBirthCertificate', answeredWith: 200, answer: replay.body });
    expect(await certificates('birth-cert-1')).toBe(1);

    const never = await lookup('health', 'issueBirthCertificate', 'birth-cert-never-sent');
    expect(never.status).toBe(404);
    expect(never.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'Idempotency-Key', reason: 'COMMAND_NOT_RECEIVED' });
    expect(await certificates('birth-cert-never-sent')).toBe(0);
    const ledger = await withClient(DB_URL, (db) =>
      db.query(`SELECT idempotency_key FROM sandbox.command_answer WHERE idempotency_key = 'birth-cert-never-sent'`),
    );
    expect(ledger.rows).toEqual([]);

    const otherCommand = await lookup('health', 'createVaccinationArchive', 'birth-cert-1');
    expect(otherCommand.status).toBe(409);
    expect(otherCommand.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const noKey = await lookup('health', 'issueBirthCertificate');
    expect(noKey.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'Idempotency-Key', reason: 'REQUIRED' });
    const unknown = await lookup('health', 'cureEverything', 'birth-cert-1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.reason).toBeUndefined();
  });

  test('a lost answer (injected) leaves the command done once; the read by key answers it', async () => {
    const input = { ...certificateInput, childName: '张失联', sex: 'F', birthDate: '2025-06-03' };
    await setFaults(DB_URL, 'health', { lostAnswerRate: 1 });
    try {
      await expect(command('health', 'issueBirthCertificate', input, 'birth-cert-lost')).rejects.toThrow();
      await expect(command('health', 'issueBirthCertificate', input, 'birth-cert-lost')).rejects.toThrow();
      const found = await call('health', '/v1/commands/issueBirthCertificate', undefined, {
        'idempotency-key': 'birth-cert-lost',
      });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ answeredWith: 200, answer: { status: 'COMPLETED', result: { childName: '张失联' } } });
    } finally {
      await setFaults(DB_URL, 'health', { lostAnswerRate: 0 });
    }
    const { rows } = await withClient(DB_URL, (db) =>
      db.query(
        `SELECT (SELECT count(*)::int FROM health.birth_certificate WHERE idempotency_key = $1) AS certificates,
                requests, lookups FROM sandbox.command_answer WHERE department = 'health' AND idempotency_key = $1`,
        ['birth-cert-lost'],
      ),
    );
    expect(rows).toEqual([{ certificates: 1, requests: 2, lookups: 1 }]);
  });

  test("registerBirth assigns a valid citizen ID in the guardian's household", async () => {
    const input = { certificateNumber, childName: '张小宝', sex: 'M', birthDate: '2025-06-01', guardianCitizenId: MOTHER };
    const answer = await command('public-security', 'registerBirth', input, 'register-1');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'COMPLETED', result: { status: 'REGISTERED', rejectReason: null } });
    childId = answer.body.result.citizenId;
    const parsed = parseCitizenId(childId);
    expect(parsed).toMatchObject({ ok: true, value: { regionCode: '500103', birthDate: '2025-06-01', sex: 'M' } });

    const person = await call('public-security', '/v1/person:batchGet', { keys: [childId] });
    expect(person.body.records[0]).toMatchObject({
      name: '张小宝',
      householdId: 'H1',
      householdHeadId: FATHER,
      relationToHead: '子',
      regionCode: '500103001001',
      residenceType: 'REGISTERED_RESIDENT',
    });
    const certificate = await call('health', '/v1/birthCertificate:batchGet', { keys: [certificateNumber] });
    expect(certificate.body.records[0].childCitizenId).toBe(childId);

    // A second boy born the same day gets the next odd sequence number.
    const sibling = await command(
      'public-security',
      'registerBirth',
      {
        certificateNumber: FIXTURE_CERTIFICATE,
        childName: '张小弟',
        sex: 'M',
        birthDate: '2025-06-01',
        guardianCitizenId: FATHER,
      },
      'register-2',
    );
    const siblingId: string = sibling.body.result.citizenId;
    expect(siblingId).not.toBe(childId);
    expect(Number(siblingId.slice(14, 17)) % 2).toBe(1);
    expect(parseCitizenId(siblingId).ok).toBe(true);
  });

  test('registerBirth rejects with the field to fix', async () => {
    const base = { certificateNumber, childName: '张小宝', sex: 'M', birthDate: '2025-06-01', guardianCitizenId: MOTHER };
    const twice = await command('public-security', 'registerBirth', base, 'register-again');
    expect(twice.status).toBe(422);
    expect(twice.body).toMatchObject({
      status: 'REJECTED',
      reason: 'CERTIFICATE_ALREADY_REGISTERED',
      field: 'certificateNumber',
    });
    expect((await command('public-security', 'registerBirth', base, 'register-again')).body).toEqual(twice.body);
    const noCertificate = await command(
      'public-security',
      'registerBirth',
      { ...base, certificateNumber: 'Q500103999999' },
      'register-none',
    );
    expect(noCertificate.body).toMatchObject({ reason: 'CERTIFICATE_NOT_FOUND', field: 'certificateNumber' });

    const issued = await command(
      'health',
      'issueBirthCertificate',
      { ...certificateInput, childName: '张小妹', sex: 'F' },
      'birth-cert-3',
    );
    const fresh = { ...base, certificateNumber: issued.body.result.certificateNumber, childName: '张小妹', sex: 'F' };
    expect((await command('public-security', 'registerBirth', { ...fresh, sex: 'M' }, 'register-sex')).body).toMatchObject({
      reason: 'DOES_NOT_MATCH_CERTIFICATE',
      field: 'sex',
    });
    expect(
      (await command('public-security', 'registerBirth', { ...fresh, guardianCitizenId: STRANGER }, 'register-stranger')).body,
    ).toMatchObject({
      reason: 'GUARDIAN_NOT_FOUND',
      field: 'guardianCitizenId',
    });
    expect(
      (await command('public-security', 'registerBirth', { ...fresh, guardianCitizenId: GRANDMOTHER }, 'register-grandma')).body,
    ).toMatchObject({
      reason: 'GUARDIAN_NOT_A_PARENT',
      field: 'guardianCitizenId',
    });
  });

  test('createVaccinationArchive and enrol work for the registered child only', async () => {
    const archive = await command('health', 'createVaccinationArchive', { citizenId: childId }, 'archive-1');
    expect(archive.body).toMatchObject({ status: 'COMPLETED', result: { citizenId: childId } });
    expect(archive.body.result.archiveId).toMatch(/^VA\d{10}$/);
    const clinic = await command(
      'health',
      'issueBirthCertificate',
      { ...certificateInput, childName: '张小三', hospital: '渝中区某某私人诊所' },
      'birth-cert-clinic',
    );
    expect(clinic.status).toBe(422);
    expect(clinic.body).toMatchObject({ status: 'REJECTED', reason: 'UNKNOWN_MIDWIFERY_INSTITUTION', field: 'hospital' });
    const unknown = await command('health', 'createVaccinationArchive', { citizenId: STRANGER }, 'archive-2');
    expect(unknown.body).toMatchObject({ status: 'REJECTED', reason: 'UNKNOWN_CITIZEN', field: 'citizenId' });

    const notMobile = await command(
      'medical-insurance',
      'enrol',
      { citizenId: childId, scheme: 'RESIDENT', contactPhone: '12000000001' },
      'enrol-phone',
    );
    expect(notMobile.status).toBe(422);
    expect(notMobile.body).toMatchObject({ status: 'REJECTED', reason: 'CONTACT_PHONE_NOT_MOBILE', field: 'contactPhone' });
    const enrolment = await command(
      'medical-insurance',
      'enrol',
      { citizenId: childId, scheme: 'RESIDENT', contactPhone: '13900000001' },
      'enrol-1',
    );
    expect(enrolment.body).toMatchObject({
      status: 'COMPLETED',
      result: { citizenId: childId, scheme: 'RESIDENT', status: 'ACTIVE' },
    });
    enrolmentId = enrolment.body.result.enrolmentId;
    expect(enrolmentId).toBe('MI000000000002');
    const again = await command('medical-insurance', 'enrol', { citizenId: childId, scheme: 'RESIDENT' }, 'enrol-2');
    expect(again.body.result.enrolmentId).toBe(enrolmentId);
  });

  test('applyForCard is accepted, then issued and called back', async () => {
    const received: Array<{ key: string | undefined; body: unknown }> = [];
    let notify: () => void = () => {};
    const calledBack = new Promise<void>((resolve) => (notify = resolve));
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(text) });
        res.writeHead(204).end();
        notify();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/card`;
    try {
      const input = { citizenId: childId, medicalInsuranceEnrolmentId: enrolmentId };
      const accepted = await command('social-security', 'applyForCard', input, 'card-1', { 'x-callback-url': callbackUrl });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ status: 'ACCEPTED', result: { status: 'ACCEPTED', cardNumber: null } });
      expect(cardApplicationRecord.safeParse(accepted.body.result).success).toBe(true);

      await calledBack;
      expect(received).toHaveLength(1);
      expect(received[0]!.key).toBe('card-1');
      expect(received[0]!.body).toMatchObject({ applicationId: accepted.body.result.applicationId, status: 'ISSUED' });
      expect(cardApplicationRecord.safeParse(received[0]!.body).success).toBe(true);

      const stored = await call('social-security', '/v1/cardApplication:batchGet', { keys: [childId] });
      expect(stored.body.records[0]).toMatchObject({ status: 'ISSUED', cardNumber: expect.stringMatching(/^CQ\d{9}$/) });
      const replay = await command('social-security', 'applyForCard', input, 'card-1', { 'x-callback-url': callbackUrl });
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual(accepted.body);

      const bank = await command('social-security', 'applyForCard', { ...input, bank: '花旗银行' }, 'card-bank');
      expect(bank.status).toBe(422);
      expect(bank.body).toMatchObject({ status: 'REJECTED', reason: 'BANK_NOT_PARTNER', field: 'bank' });
      const wrong = await command(
        'social-security',
        'applyForCard',
        { citizenId: NEIGHBOUR, medicalInsuranceEnrolmentId: enrolmentId },
        'card-2',
      );
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({
        status: 'REJECTED',
        reason: 'ENROLMENT_NOT_FOUND',
        field: 'medicalInsuranceEnrolmentId',
      });
    } finally {
      server.close();
    }
  });
});

describe('injected faults on an HTTP department (health)', () => {
  const faultsOf = async () =>
    ((await (await fetch(`${sandbox.http.health.baseUrl}/__sandbox/faults`)).json()) as { faults: unknown }).faults;
  const read = () => call('health', '/v1/childcareInstitution:batchGet', { keys: ['CC1', 'CC2', 'CC3'] });
  afterEach(() => clearFaults(DB_URL, 'health'));

  test('latency delays every request', async () => {
    await setFaults(DB_URL, 'health', { latencyMs: 400 });
    expect(await faultsOf()).toMatchObject({ latencyMs: 400 });
    const [answer, ms] = await elapsed(read);
    expect(answer.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(390);
  });

  test('the error rate answers 500', async () => {
    await setFaults(DB_URL, 'health', { errorRate: 1 });
    const answer = await read();
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('INTERNAL');
    await setFaults(DB_URL, 'health', { errorRate: 0 });
    expect((await read()).status).toBe(200);
  });

  test('the malformed rate corrupts records so that their schema rejects them', async () => {
    await setFaults(DB_URL, 'health', { malformedRate: 1 });
    const answer = await read();
    expect(answer.body.records).toHaveLength(3);
    for (const record of answer.body.records) {
      expect(Object.values(record)).toContain(MALFORMED_VALUE);
      expect(record.institutionId).toMatch(/^CC\d$/); // keys stay intact
      expect(childcareInstitutionRecord.safeParse(record).success).toBe(false);
    }
    const rows = await call('health', '/v1/aggregates/childcarePlaces', { regionCode: '500103' });
    expect(rows.body.rows[0].institutions).toBe(MALFORMED_VALUE);
  });

  test('an outage drops API connections and fails /health until it ends', async () => {
    await setFaults(DB_URL, 'health', { outage: true });
    await expect(read()).rejects.toThrow();
    expect((await fetch(`${sandbox.http.health.baseUrl}/health`)).status).toBe(503);
    expect(await faultsOf()).toMatchObject({ outage: true });
    await setFaults(DB_URL, 'health', { outage: false });
    expect((await fetch(`${sandbox.http.health.baseUrl}/health`)).status).toBe(200);
    expect((await read()).status).toBe(200);
  });
});

describe('SQL exchange schemas', () => {
  const reader = (department: 'civil-affairs' | 'education') => {
    const client = new pg.Client({ connectionString: sandbox.sql[department].connectionString });
    client.on('error', () => undefined);
    return client;
  };
  const asReader = async <T>(department: 'civil-affairs' | 'education', fn: (client: pg.Client) => Promise<T>) => {
    const client = reader(department);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  afterEach(() => clearFaults(DB_URL, 'civil-affairs'));

  test('one view per entity with one snake_case column per record field', async () => {
    await withClient(DB_URL, async (db) => {
      for (const department of SQL_DEPARTMENTS) {
        const schema = sandbox.sql[department].schema;
        const { entities } = DEPARTMENT_INTERFACES[department];
        const { rows: views } = await db.query(
          'SELECT table_name FROM information_schema.views WHERE table_schema = $1 ORDER BY 1',
          [schema],
        );
        expect(views.map((v) => v.table_name)).toEqual(Object.keys(entities).map(toSnakeCase).sort());
        for (const [name, entity] of Object.entries(entities)) {
          const { rows } = await db.query(
            'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
            [schema, toSnakeCase(name)],
          );
          expect(rows.map((r) => r.column_name)).toEqual(recordFields(entity.record).map(([field]) => toSnakeCase(field)));
        }
      }
    });
    const rows = await asReader('civil-affairs', (c) =>
      c.query('SELECT * FROM civil_affairs_exchange.institution ORDER BY institution_id'),
    );
    expect(rows.rows.map((r) => r.institution_id)).toEqual(['I1', 'I2']);
    expect(rows.rows[0]).toMatchObject({
      region_code: '500103001000',
      care_modes: ['FULL_TIME'],
      beds_total: 200,
      medical_contract: true,
    });
  });

  test("a view's text-cast key is found through an index, as the hub asks for it (key = ANY($1::text[]))", async () => {
    const plan = await asReader('civil-affairs', async (c) => {
      await c.query('SET enable_seqscan = off'); // the scratch tables are tiny: ask whether an index can serve
      const { rows } = await c.query<{ 'QUERY PLAN': string }>(
        'EXPLAIN SELECT citizen_id FROM civil_affairs_exchange.elderly_profile WHERE citizen_id = ANY($1::text[])',
        [[GRANDMOTHER]],
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan (using|on) elderly_profile_citizen_id_text_idx/);
  });

  test('the reader roles can read their own views and nothing else', async () => {
    const denied = async (client: pg.Client, sql: string) => {
      await expect(client.query(sql)).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|25006)$/) });
    };
    await asReader('civil-affairs', async (client) => {
      for (const sql of [
        'SELECT * FROM civil_affairs.institution',
        'SELECT * FROM civil_affairs.elderly_profile',
        'SELECT * FROM public_security.person',
        'SELECT * FROM health.birth_certificate',
        'SELECT * FROM sandbox.fault',
        'SELECT * FROM sandbox.command_answer',
        'SELECT * FROM education_exchange.kindergarten',
        'CREATE TEMPORARY TABLE t (x int)',
        'CREATE TABLE public.t (x int)',
      ]) {
        await denied(client, sql);
      }
      const own = await client.query('SELECT citizen_id FROM civil_affairs_exchange.elderly_profile');
      expect(own.rows).toEqual([{ citizen_id: GRANDMOTHER }]);
    });
    await asReader('education', async (client) => {
      await denied(client, 'SELECT * FROM civil_affairs_exchange.institution');
      await denied(client, 'SELECT * FROM education.kindergarten');
      const own = await client.query('SELECT kindergarten_id, nursery_class_places FROM education_exchange.kindergarten');
      expect(own.rows).toEqual([{ kindergarten_id: 'K1', nursery_class_places: 40 }]);
    });
  });

  test('latency delays each query once, whatever the number of rows', async () => {
    await setFaults(DB_URL, 'civil-affairs', { latencyMs: 400 });
    await asReader('civil-affairs', async (client) => {
      const [, ms] = await elapsed(() => client.query('SELECT * FROM civil_affairs_exchange.institution'));
      expect(ms).toBeGreaterThanOrEqual(390);
      expect(ms).toBeLessThan(790);
    });
  });

  test('the error rate fails queries', async () => {
    await setFaults(DB_URL, 'civil-affairs', { errorRate: 1 });
    await asReader('civil-affairs', async (client) => {
      await expect(client.query('SELECT * FROM civil_affairs_exchange.institution')).rejects.toMatchObject({ code: 'P0001' });
    });
  });

  test('the malformed rate nulls a non-nullable field', async () => {
    await setFaults(DB_URL, 'civil-affairs', { malformedRate: 1 });
    await asReader('civil-affairs', async (client) => {
      const { rows } = await client.query('SELECT institution_id, name FROM civil_affairs_exchange.institution');
      expect(rows).toEqual([
        { institution_id: 'I1', name: null },
        { institution_id: 'I2', name: null },
      ]);
    });
  });

  test("an outage ends the reader's sessions and refuses its logins until it ends", async () => {
    const open = reader('civil-affairs');
    await open.connect();
    try {
      await setFaults(DB_URL, 'civil-affairs', { outage: true });
      await expect(open.query('SELECT 1')).rejects.toThrow();
      await expect(asReader('civil-affairs', (c) => c.query('SELECT 1'))).rejects.toMatchObject({ code: '28000' });
      // The other department's exchange stays up.
      await expect(
        asReader('education', (c) => c.query('SELECT count(*) FROM education_exchange.kindergarten')),
      ).resolves.toBeTruthy();
    } finally {
      await open.end().catch(() => undefined);
    }
    await setFaults(DB_URL, 'civil-affairs', { outage: false });
    const { rows } = await asReader('civil-affairs', (c) =>
      c.query('SELECT count(*)::int AS n FROM civil_affairs_exchange.institution'),
    );
    expect(rows[0].n).toBe(2);
  });
});

describe('department logs', () => {
  test('carry method, path, status and duration, and nothing personal', async () => {
    // Give the children a moment to flush their last lines.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const text = fs.readFileSync(LOG_FILE, 'utf8');
    const requests = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, any>) // eslint-disable-line @typescript-eslint/no-explicit-any
      .filter((entry) => entry.msg === 'request' || entry.msg === 'request failed');
    expect(requests.length).toBeGreaterThan(20);
    expect(requests[0]).toMatchObject({
      req: { method: expect.any(String), path: expect.any(String) },
      res: { status: expect.any(Number) },
    });
    expect(typeof requests[0]!.durationMs).toBe('number');
    for (const secret of [FATHER, MOTHER, GRANDMOTHER, NEIGHBOUR, '张小宝', ...Object.values(API_KEYS)]) {
      expect(text).not.toContain(secret);
    }
  });
});
