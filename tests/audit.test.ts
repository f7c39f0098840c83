/**
 * The audit trail, end to end through the real HTTP endpoint, on an isolated hub database this file owns (it
 * tampers with the chain and makes the table unwritable, which must never affect another file's database).
 *
 * Verified here:
 * - Chain under concurrent load: every request that reads personal data writes exactly one event, chained
 *   without a fork (each prevHash is the previous row's hash, none repeats); an event records consumer, purpose,
 *   operation name, SHA-256 of the document, keyed subject hashes, catalogue items, outcome and X-Request-Id;
 *   a request over non-personal data writes nothing; `verifyAuditChain` and `audit-verify` (CLI) agree it is OK.
 * - Append-only and tamper evidence: the hub's own connection cannot UPDATE, DELETE or TRUNCATE audit_event; a
 *   superuser bypassing the trigger (session_replication_role = replica) can, and then a changed row fails at
 *   that row (HASH_MISMATCH), a deleted row at the next one (BROKEN_LINK), a forged appended row at itself; the
 *   CLI exits 1 naming the seq; deleting the newest row is caught only against a recorded head (--head).
 *   Every tampering is undone and the chain verifies again.
 * - Auditor queries: filters by subject (citizen ID → keyed hash), consumer, purpose and time range; paging
 *   with first/after; an invalid citizen ID is BAD_USER_INPUT; a consumer without the AUDITOR role is FORBIDDEN;
 *   reading the trail is itself audited under the reader's consumer code.
 * - Fail closed: when the event cannot be written, a personal request gets HTTP 503 AUDIT_UNAVAILABLE and no
 *   data, while non-personal requests still work; once the table is writable again, so is the trail.
 */
import { execFile } from 'node:child_process';
import { SHOWCASE } from '../seeds/showcase';
import { createConsumer } from '../resolvers/consumers';
import { GENESIS_HASH, sha256, subjectHash } from '../domain/audit-chain';
import { withClient } from './helpers/database';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { DEMO_HEADERS, TEST_AUDIT_HMAC_KEY, consumerHeaders, startTestHub, type TestHub } from './helpers/hub';
import { isolatedHubDatabase, type IsolatedHubDatabase } from './helpers/hub-database';
import { PROJECT_ROOT } from './helpers/process';

jest.setTimeout(60_000);

const HMAC_KEY = TEST_AUDIT_HMAC_KEY;
const PEOPLE = [SHOWCASE.ELDERLY.citizenId, SHOWCASE.INFANT.citizenId, SHOWCASE.NURSERY_CHILD.citizenId];
const REGION_QUERY = '{ region(code: "500103") { name } }';

let departments: TestDepartments;
let isolated: IsolatedHubDatabase;
let hub: TestHub;

beforeAll(async () => {
  [departments, isolated] = await Promise.all([startTestDepartments('audit'), isolatedHubDatabase('audit')]);
  hub = await startTestHub(
    { ...isolated.env, HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') },
    departments.connectorEnv,
  );
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
  await isolated?.drop();
});

// ------------------------------------------------------------------------------------------------- helpers

/** A row of audit_event as pg returns it (seq as a string). */
interface AuditRow {
  seq: string;
  time: Date;
  consumer_code: string;
  purpose: string;
  operation_name: string | null;
  document_hash: string;
  subjects: string[];
  catalogue_items: string[];
  outcome: string;
  request_id: string;
  prev_hash: string;
  hash: string;
}

const rows = () => isolated.query<AuditRow>('SELECT * FROM audit_event ORDER BY seq');
const rowCount = async () => Number((await isolated.query<{ n: string }>('SELECT count(*) AS n FROM audit_event'))[0]!.n);

function gql<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = DEMO_HEADERS) {
  return hub.graphql<T, Record<string, unknown> | undefined>(query, variables, headers);
}

const personQuery = (operationName: string | null) =>
  `${operationName ? `query ${operationName}` : 'query'}($id: String!) { person(citizenId: $id) { name } }`;

interface ChainStatus {
  ok: boolean;
  checkedEvents: number;
  headSeq: string | null;
  headHash: string | null;
  firstBroken: { seq: string; reason: string; message: string } | null;
}

async function verifyViaGraphQL(): Promise<ChainStatus> {
  const { body } = await gql<{ verifyAuditChain: ChainStatus }>(
    '{ verifyAuditChain { ok checkedEvents headSeq headHash firstBroken { seq reason message } } }',
  );
  expect(body.errors).toBeUndefined();
  return body.data!.verifyAuditChain;
}

/** `npm run audit:verify` without the database wrapper, on the isolated database. */
function verifyViaCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts', ...args],
      { env: { ...process.env, DATABASE_URL: isolated.url }, cwd: PROJECT_ROOT },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout }),
    );
  });
}

/** Runs SQL as a superuser with the append-only trigger bypassed, in one transaction of one connection. */
async function tamper(sql: string, values?: unknown[]): Promise<void> {
  await withClient(isolated.url, async (client) => {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, values);
    await client.query('COMMIT');
  });
}

/** Both verifiers report the same break, and the CLI names its seq. */
async function expectBrokenAt(seq: string, reason: string): Promise<void> {
  const status = await verifyViaGraphQL();
  expect(status.ok).toBe(false);
  expect(status.firstBroken).toMatchObject({ seq, reason });
  const cli = await verifyViaCli();
  expect(cli.code).toBe(1);
  expect(cli.stdout).toContain(`BROKEN at event ${seq} (${reason})`);
}

async function expectIntact(): Promise<void> {
  const events = await rowCount();
  expect(await verifyViaGraphQL()).toMatchObject({ ok: true, checkedEvents: events, firstBroken: null });
}

// ------------------------------------------------------------------------------------------------- tests

describe('audit chain under concurrent load', () => {
  const REQUESTS = 40;

  it('writes exactly one event per personal request, in one chain without a fork', async () => {
    const before = await rowCount();
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => {
        const name = i % 5 === 0 ? null : `AuditLoad${i % 4}`;
        return gql<{ person: { name: string } | null }>(personQuery(name), { id: PEOPLE[i % PEOPLE.length] });
      }),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.person!.name).toBeTruthy();
    }

    const all = await rows();
    expect(all.length - before).toBe(REQUESTS);
    const requestIds = responses.map((r) => r.headers.get('x-request-id')!);
    expect(new Set(requestIds).size).toBe(REQUESTS);
    expect(all.filter((row) => requestIds.includes(row.request_id))).toHaveLength(REQUESTS);

    // No fork: each row follows the one before it in seq order, and no prevHash appears twice.
    expect(all[0]!.prev_hash).toBe(GENESIS_HASH);
    all.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(all[i]!.hash));
    expect(new Set(all.map((row) => row.prev_hash)).size).toBe(all.length);
    expect(new Set(all.map((row) => row.hash)).size).toBe(all.length);
  });

  it('records consumer, purpose, operation, document hash, keyed subject, items, outcome and request id', async () => {
    const query = personQuery('AuditOneEvent');
    const response = await gql<{ person: { name: string } }>(query, { id: SHOWCASE.ELDERLY.citizenId });
    expect(response.body.errors).toBeUndefined();
    const requestId = response.headers.get('x-request-id')!;
    const [event] = await isolated.query<AuditRow>('SELECT * FROM audit_event WHERE request_id = $1', [requestId]);
    expect(event).toMatchObject({
      consumer_code: 'demo',
      purpose: 'DEMO',
      operation_name: 'AuditOneEvent',
      document_hash: sha256(query),
      subjects: [subjectHash(HMAC_KEY, SHOWCASE.ELDERLY.citizenId)],
      outcome: 'OK',
      request_id: requestId,
    });
    expect(event!.catalogue_items).toContain('PS_IDENTITY');
    // The trail never holds the citizen ID or the name itself.
    expect(JSON.stringify(event)).not.toContain(SHOWCASE.ELDERLY.citizenId);
    expect(JSON.stringify(event)).not.toContain(response.body.data!.person.name);
  });

  it('keeps its own request id in the trail, whatever X-Request-Id the client sends', async () => {
    const spoofed = { ...DEMO_HEADERS, 'x-request-id': 'spoofed-id-1' };
    const responses = [await gql(personQuery('Spoof'), { id: SHOWCASE.ELDERLY.citizenId }, spoofed)];
    responses.push(await gql(personQuery('Spoof'), { id: SHOWCASE.ELDERLY.citizenId }, spoofed));
    const ids = responses.map((response) => response.headers.get('x-request-id')!);
    expect(new Set(ids).size).toBe(2);
    expect(responses.map((response) => response.headers.get('x-client-request-id'))).toEqual(['spoofed-id-1', 'spoofed-id-1']);
    const events = await isolated.query<AuditRow>('SELECT * FROM audit_event WHERE request_id = ANY($1) OR request_id = $2', [
      ids,
      'spoofed-id-1',
    ]);
    expect(events.map((event) => event.request_id).sort()).toEqual([...ids].sort());
  });

  it('records an anonymous operation with a null operation name', async () => {
    const response = await gql(personQuery(null), { id: SHOWCASE.INFANT.citizenId });
    const [event] = await isolated.query<AuditRow>('SELECT * FROM audit_event WHERE request_id = $1', [
      response.headers.get('x-request-id'),
    ]);
    expect(event).toMatchObject({ operation_name: null, subjects: [subjectHash(HMAC_KEY, SHOWCASE.INFANT.citizenId)] });
  });

  it('writes nothing for a request over non-personal data', async () => {
    const before = await rowCount();
    const { status, body } = await gql<{ region: { name: string } }>(REGION_QUERY);
    expect(status).toBe(200);
    expect(body.data!.region.name).toBeTruthy();
    expect(await rowCount()).toBe(before);
  });

  it('verifies through GraphQL and the CLI, with the same count and head', async () => {
    const all = await rows();
    const head = all.at(-1)!;
    expect(await verifyViaGraphQL()).toEqual({
      ok: true,
      checkedEvents: all.length,
      headSeq: head.seq,
      headHash: head.hash,
      firstBroken: null,
    });
    const cli = await verifyViaCli();
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`audit chain OK: ${all.length} events verified`);
    expect(cli.stdout).toContain(`head: ${head.seq}:${head.hash}`);
  });
});

describe('append-only trail and tamper evidence', () => {
  /** A row well inside the chain, with rows before and after it. */
  async function middleRow(): Promise<{ row: AuditRow; next: AuditRow }> {
    const all = await rows();
    const index = Math.floor(all.length / 2);
    return { row: all[index]!, next: all[index + 1]! };
  }

  /** Keeps a copy of one row aside (CREATE TABLE AS takes no bind parameters; seq is digits from the database). */
  const backup = (seq: string) =>
    isolated.query(`CREATE TABLE audit_tamper_backup AS SELECT * FROM audit_event WHERE seq = ${BigInt(seq)}`);
  /** Puts the row back (an INSERT, which the append-only trigger allows) with its original seq. */
  async function restoreBackup(): Promise<void> {
    await isolated.query('INSERT INTO audit_event SELECT * FROM audit_tamper_backup ON CONFLICT (seq) DO NOTHING');
    await isolated.query('DROP TABLE audit_tamper_backup');
  }

  it("refuses UPDATE, DELETE and TRUNCATE through the hub's own connection, and the trigger the owner's", async () => {
    const { row } = await middleRow();
    // The hub runs as its runtime role (tests/db-roles.test.ts): no UPDATE or DELETE privilege at all.
    await expect(
      hub.prisma.$executeRawUnsafe('UPDATE audit_event SET purpose = $1 WHERE seq = $2', 'STATISTICS', BigInt(row.seq)),
    ).rejects.toThrow(/permission denied for table audit_event/);
    await expect(hub.prisma.$executeRawUnsafe('DELETE FROM audit_event WHERE seq = $1', BigInt(row.seq))).rejects.toThrow(
      /permission denied for table audit_event/,
    );
    // The owner has the privileges; the append-only trigger refuses it.
    await expect(isolated.query('UPDATE audit_event SET purpose = $1 WHERE seq = $2', ['STATISTICS', row.seq])).rejects.toThrow(
      /append-only \(UPDATE refused\)/,
    );
    await expect(isolated.query('DELETE FROM audit_event WHERE seq = $1', [row.seq])).rejects.toThrow(
      /append-only \(DELETE refused\)/,
    );
    await expect(isolated.query('TRUNCATE audit_event')).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    await expectIntact();
  });

  it('a changed row fails at that row (HASH_MISMATCH); restoring it verifies again', async () => {
    const { row } = await middleRow();
    await tamper('UPDATE audit_event SET purpose = $1 WHERE seq = $2', ['STATISTICS', row.seq]);
    try {
      await expectBrokenAt(row.seq, 'HASH_MISMATCH');
    } finally {
      await tamper('UPDATE audit_event SET purpose = $1 WHERE seq = $2', [row.purpose, row.seq]);
    }
    await expectIntact();
    expect((await verifyViaCli()).code).toBe(0);
  });

  it('a deleted row fails at the next row (BROKEN_LINK); re-inserting it verifies again', async () => {
    const { row, next } = await middleRow();
    await backup(row.seq);
    try {
      await tamper('DELETE FROM audit_event WHERE seq = $1', [row.seq]);
      await expectBrokenAt(next.seq, 'BROKEN_LINK');
    } finally {
      await restoreBackup();
    }
    await expectIntact();
  });

  it('a forged row appended after the head fails at itself; removing it verifies again', async () => {
    const head = (await rows()).at(-1)!;
    const forgedSeq = String(BigInt(head.seq) + 1000n);
    // A copy of the head that links to it correctly but cannot carry a valid hash of its own contents.
    await isolated.query(
      `INSERT INTO audit_event (seq, time, consumer_id, consumer_code, purpose, operation_name, document_hash, subjects,
         catalogue_items, outcome, request_id, prev_hash, hash)
       SELECT $2, time, consumer_id, consumer_code, purpose, operation_name, document_hash, subjects,
         catalogue_items, outcome, 'forged', hash, repeat('f', 64)
       FROM audit_event WHERE seq = $1`,
      [head.seq, forgedSeq],
    );
    try {
      await expectBrokenAt(forgedSeq, 'HASH_MISMATCH');
    } finally {
      await tamper('DELETE FROM audit_event WHERE seq = $1', [forgedSeq]);
    }
    await expectIntact();
  });

  it('deleting the newest row is caught against a recorded head (--head), and only there', async () => {
    const head = (await rows()).at(-1)!;
    await backup(head.seq);
    try {
      await tamper('DELETE FROM audit_event WHERE seq = $1', [head.seq]);
      expect((await verifyViaGraphQL()).ok).toBe(true);
      const cli = await verifyViaCli('--head', `${head.seq}:${head.hash}`);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(`BROKEN at event ${head.seq} (HEAD_MISSING)`);
    } finally {
      await restoreBackup();
    }
    expect((await verifyViaCli('--head', `${head.seq}:${head.hash}`)).code).toBe(0);
  });

  it('the chain keeps growing correctly after the tampering was undone', async () => {
    await gql(personQuery('AfterTamper'), { id: SHOWCASE.NURSERY_CHILD.citizenId });
    await expectIntact();
  });
});

describe('auditor queries', () => {
  interface Event {
    seq: string;
    time: string;
    consumer: string;
    purpose: string;
    operationName: string | null;
    subjects: string[];
  }
  interface Page {
    auditEvents: {
      totalCount: number;
      edges: Array<{ cursor: string; node: Event }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }
  const AUDIT_EVENTS = `query AuditorRead($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      totalCount
      edges { cursor node { seq time consumer purpose operationName subjects } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  async function listEvents(filter: Record<string, unknown>, first = 200, after?: string, headers?: Record<string, string>) {
    return gql<Page>(AUDIT_EVENTS, { filter, first, after }, headers);
  }
  const seqsOf = (page: Page) => page.auditEvents.edges.map((edge) => edge.node.seq);

  let statistician: { code: string; apiKey: string };
  let auditor: { code: string; apiKey: string };

  beforeAll(async () => {
    const stats = await createConsumer(hub.prisma, {
      code: 'audit-test-statistics',
      name: '统计测试 Statistics (test)',
      department: '统计局 Statistics',
      purposes: ['STATISTICS'],
      grants: [{ item: 'CA_CARE_INSTITUTIONS' }],
    });
    statistician = { code: stats.consumer.code, apiKey: stats.apiKey };
    const audit = await createConsumer(hub.prisma, {
      code: 'audit-test-auditor',
      name: '审计测试 Auditor (test)',
      department: '审计局 Audit',
      roles: ['AUDITOR'],
      purposes: ['SUPERVISION'],
    });
    auditor = { code: audit.consumer.code, apiKey: audit.apiKey };
  });

  it('filters by subject: only events that read that person, matched by keyed hash', async () => {
    const hash = subjectHash(HMAC_KEY, SHOWCASE.ELDERLY.citizenId);
    const expected = await isolated.query<{ seq: string }>('SELECT seq FROM audit_event WHERE $1 = ANY(subjects) ORDER BY seq', [
      hash,
    ]);
    expect(expected.length).toBeGreaterThan(10);
    const { body } = await listEvents({ subjectCitizenId: SHOWCASE.ELDERLY.citizenId });
    expect(body.errors).toBeUndefined();
    expect(seqsOf(body.data!)).toEqual(expected.map((row) => row.seq));
    expect(body.data!.auditEvents.totalCount).toBe(expected.length);
    for (const { node } of body.data!.auditEvents.edges) expect(node.subjects).toContain(hash);
  });

  it('filters by consumer and purpose', async () => {
    await gql(REGION_QUERY, undefined, consumerHeaders(statistician.apiKey, 'STATISTICS'));
    // The auditor's own read under SUPERVISION is the first event of that purpose.
    const own = await listEvents({ purpose: 'SUPERVISION' }, 200, undefined, consumerHeaders(auditor.apiKey, 'SUPERVISION'));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.auditEvents.edges).toHaveLength(0);

    const byAuditor = await listEvents({ consumer: auditor.code });
    expect(byAuditor.body.data!.auditEvents.edges.map((e) => [e.node.consumer, e.node.purpose, e.node.operationName])).toEqual([
      [auditor.code, 'SUPERVISION', 'AuditorRead'],
    ]);
    const bySupervision = await listEvents({ purpose: 'SUPERVISION' });
    expect(seqsOf(bySupervision.body.data!)).toEqual(seqsOf(byAuditor.body.data!));

    const demoDemo = await listEvents({ consumer: 'demo', purpose: 'DEMO' });
    const expected = await isolated.query<{ n: string }>(
      "SELECT count(*) AS n FROM audit_event WHERE consumer_code = 'demo' AND purpose = 'DEMO'",
    );
    expect(demoDemo.body.data!.auditEvents.totalCount).toBe(Number(expected[0]!.n) - 1); // not the read itself
    expect(demoDemo.body.data!.auditEvents.edges.length).toBeGreaterThan(0);
    expect(demoDemo.body.data!.auditEvents.edges.every((e) => e.node.consumer === 'demo' && e.node.purpose === 'DEMO')).toBe(
      true,
    );
    // The statistician's region query was not personal: nothing under its code.
    expect((await listEvents({ consumer: statistician.code })).body.data!.auditEvents.totalCount).toBe(0);
  });

  it('filters by time range (inclusive)', async () => {
    const all = await rows();
    const from = all[5]!.time.toISOString();
    const to = all[15]!.time.toISOString();
    const expected = all.filter((row) => row.time.toISOString() >= from && row.time.toISOString() <= to).map((row) => row.seq);
    const { body } = await listEvents({ from, to });
    expect(body.errors).toBeUndefined();
    expect(seqsOf(body.data!)).toEqual(expected);
    for (const { node } of body.data!.auditEvents.edges) {
      expect(node.time >= from && node.time <= to).toBe(true);
    }
    const empty = await listEvents({ from: to, to: from });
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.from' });
  });

  it('pages with first/after: disjoint pages in seq order that add up to the whole', async () => {
    const filter = { subjectCitizenId: SHOWCASE.INFANT.citizenId };
    const whole = seqsOf((await listEvents(filter)).body.data!);
    expect(whole.length).toBeGreaterThan(4); // more than one page
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const { body } = await listEvents(filter, 4, after);
      expect(body.errors).toBeUndefined();
      pages.push(seqsOf(body.data!));
      expect(body.data!.auditEvents.totalCount).toBe(whole.length);
      if (!body.data!.auditEvents.pageInfo.hasNextPage) break;
      after = body.data!.auditEvents.pageInfo.endCursor!;
    }
    expect(pages.length).toBe(Math.ceil(whole.length / 4));
    expect(pages.every((page) => page.length <= 4 && page.length > 0)).toBe(true);
    expect(pages.flat()).toEqual(whole);
    expect(new Set(pages.flat()).size).toBe(whole.length);
    const numeric = pages.flat().map(BigInt);
    numeric.slice(1).forEach((seq, i) => expect(seq > numeric[i]!).toBe(true));
  });

  it('rejects an invalid citizen ID in the subject filter as BAD_USER_INPUT', async () => {
    const { body } = await listEvents({ subjectCitizenId: '500103193803150262' });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      path: ['auditEvents'],
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.subjectCitizenId', reason: 'CITIZEN_ID_CHECK_DIGIT' },
    });
  });

  it('refuses a consumer without the AUDITOR role (FORBIDDEN at auditEvents and verifyAuditChain)', async () => {
    const headers = consumerHeaders(statistician.apiKey, 'STATISTICS');
    const listed = await listEvents({}, 10, undefined, headers);
    expect(listed.body.data).toEqual({ auditEvents: null });
    expect(listed.body.errors).toHaveLength(1);
    expect(listed.body.errors![0]).toMatchObject({
      path: ['auditEvents'],
      extensions: { code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' },
    });

    const verified = await gql<{ verifyAuditChain: ChainStatus }>('{ verifyAuditChain { ok } }', undefined, headers);
    expect(verified.body.data ?? null).toBeNull(); // verifyAuditChain is non-null: the refusal nulls `data`
    expect(verified.body.errors![0]).toMatchObject({ path: ['verifyAuditChain'], extensions: { code: 'FORBIDDEN' } });
  });

  it("audits reading the trail under the reader's consumer code", async () => {
    const response = await listEvents({ consumer: 'nobody' }, 1, undefined, consumerHeaders(auditor.apiKey, 'SUPERVISION'));
    expect(response.body.errors).toBeUndefined();
    const [event] = await isolated.query<AuditRow>('SELECT * FROM audit_event WHERE request_id = $1', [
      response.headers.get('x-request-id'),
    ]);
    expect(event).toMatchObject({
      consumer_code: auditor.code,
      purpose: 'SUPERVISION',
      operation_name: 'AuditorRead',
      document_hash: sha256(AUDIT_EVENTS),
      subjects: [],
      outcome: 'OK',
    });
    await expectIntact();
  });
});

describe('fail closed', () => {
  const BLOCK_INSERTS = `
    CREATE FUNCTION audit_test_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_event unwritable (test)'; END; $$;
    CREATE TRIGGER audit_test_refuse_insert BEFORE INSERT ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_test_refuse_insert();`;
  const UNBLOCK_INSERTS = `
    DROP TRIGGER IF EXISTS audit_test_refuse_insert ON audit_event;
    DROP FUNCTION IF EXISTS audit_test_refuse_insert();`;

  it('answers a personal request with 503 AUDIT_UNAVAILABLE and no data when the event cannot be written', async () => {
    const ok = await gql<{ person: { name: string } }>(personQuery('BeforeOutage'), { id: SHOWCASE.ELDERLY.citizenId });
    const name = ok.body.data!.person.name;
    const before = await rowCount();
    await isolated.query(BLOCK_INSERTS);
    try {
      const refused = await gql(personQuery('DuringOutage'), { id: SHOWCASE.ELDERLY.citizenId });
      expect(refused.status).toBe(503);
      expect(refused.body).not.toHaveProperty('data');
      expect(refused.body.errors).toHaveLength(1);
      const requestId = refused.headers.get('x-request-id');
      expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'AUDIT_UNAVAILABLE', requestId });
      expect(JSON.stringify(refused.body)).not.toContain(name);

      // Several at once (one group commit) are all refused.
      const burst = await Promise.all(PEOPLE.map((id) => gql(personQuery('DuringOutageBurst'), { id })));
      expect(burst.map((r) => [r.status, r.body.errors?.[0]?.extensions?.code])).toEqual(
        PEOPLE.map(() => [503, 'AUDIT_UNAVAILABLE']),
      );

      // Non-personal data needs no audit event and is still served.
      const region = await gql<{ region: { name: string } }>(REGION_QUERY);
      expect(region.status).toBe(200);
      expect(region.body.data!.region.name).toBeTruthy();
      expect(await rowCount()).toBe(before);
    } finally {
      await isolated.query(UNBLOCK_INSERTS);
    }
  });

  it('keeps no administration change whose audit event cannot be written', async () => {
    const code = `audit-outage-admin-${process.pid}`;
    const create = `mutation ($input: ConsumerInput!) { createConsumer(input: $input) { apiKey } }`;
    const input = { code, name: 'Outage', department: '测试 Test', roles: ['ADMIN'], purposes: ['SUPERVISION'] };
    await isolated.query(BLOCK_INSERTS);
    try {
      const refused = await gql(create, { input });
      expect(refused.status).toBe(503);
      expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    } finally {
      await isolated.query(UNBLOCK_INSERTS);
    }
    expect(await isolated.query('SELECT code FROM consumer WHERE code = $1', [code])).toEqual([]);
  });

  it('resumes auditing, on an intact chain, once the table is writable again', async () => {
    const before = await rowCount();
    const response = await gql<{ person: { name: string } }>(personQuery('AfterOutage'), { id: SHOWCASE.ELDERLY.citizenId });
    expect(response.status).toBe(200);
    expect(response.body.data!.person.name).toBeTruthy();
    expect(await rowCount()).toBe(before + 1);
    await expectIntact();
    expect((await verifyViaCli()).code).toBe(0);
  });
});
