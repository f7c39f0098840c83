/**
 * Consumers and their credentials, end to end: the access gate's answers (401 / 403 with reasons), the
 * `npm run consumer` CLI (create, list, rotate, suspend, activate, revoke), the administrator's mutations, keys
 * stored only as hashes, bad input changing nothing, and reclassifying a catalogue item as 不予共享.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { schema } from '../schema';
import { syncCatalogue } from '../server/access/catalogue';
import { createConsumer } from '../resolvers/consumers';
import { isolatedHubDatabase, type IsolatedHubDatabase } from './helpers/hub-database';
import { consumerHeaders, DEMO_HEADERS, startTestHub, type TestHub } from './helpers/hub';
import { PROJECT_ROOT } from './helpers/process';

jest.setTimeout(60_000);

const exec = promisify(execFile);
const suffix = `${process.pid}`;
const REGION = '{ region(code: "500103") { name } }';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const gql = (query: string, headers?: Record<string, string>, variables?: Record<string, unknown>) =>
  hub.graphql<Json, Record<string, unknown>>(query, variables, headers);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'scripts/consumer.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const keyIn = (stdout: string) => /^api-key: (\S+)$/m.exec(stdout)?.[1];

describe('access gate', () => {
  it('answers 401 UNAUTHENTICATED without credentials or with an unknown key, and runs nothing', async () => {
    const missing = await gql(REGION, { 'x-purpose': 'DEMO' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason: 'MISSING_CREDENTIALS' } }],
    });
    const unknown = await gql(REGION, consumerHeaders('hub_not-a-real-key-0000000000', 'DEMO'));
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
  });

  it.each([
    [undefined, 'PURPOSE_REQUIRED'],
    ['NO_SUCH_PURPOSE', 'UNKNOWN_PURPOSE'],
    ['STATISTICS', 'PURPOSE_NOT_APPROVED'],
  ])('answers 403 FORBIDDEN for purpose %s (%s)', async (purpose, reason) => {
    const headers: Record<string, string> = { authorization: DEMO_HEADERS.authorization };
    if (purpose) headers['x-purpose'] = purpose;
    const { status, body } = await gql(REGION, headers);
    expect(status).toBe(403);
    expect(body.data).toBeUndefined();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason });
  });
});

describe('npm run consumer', () => {
  const code = `cli-office-${suffix}`;

  it('creates a consumer, shows its key once, and stores only the key’s hash', async () => {
    const created = await cli(
      'create',
      '--code',
      code,
      '--name',
      '民政养老科',
      '--department',
      '渝中区民政局',
      '--purpose',
      'ELDERLY_CARE_SERVICE',
      '--grant',
      'PS_IDENTITY:ELDERLY_CARE_SERVICE',
      '--grant',
      'CA_CARE_INSTITUTIONS',
      '--region',
      '500103001',
    );
    expect(created.stderr).toContain('shown only this once');
    expect(created.code).toBe(0);
    const key = keyIn(created.stdout)!;
    expect(key).toMatch(/^hub_[\w-]{43}$/);
    const { body } = await gql('{ viewer { code purpose regionCode } }', consumerHeaders(key, 'ELDERLY_CARE_SERVICE'));
    expect(body.data!.viewer).toEqual({ code, purpose: 'ELDERLY_CARE_SERVICE', regionCode: '500103001' });
    const stored = await hub.prisma.apiKey.findMany({ where: { consumer: { code } } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.keyHash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(key);
    const listed = await cli('list');
    expect(listed.stdout).toContain(code);
    expect(listed.stdout).toContain('PS_IDENTITY:ELDERLY_CARE_SERVICE');
    expect(listed.stdout).not.toContain(key);
  });

  it('rotates: the new key works and the old one is refused at once', async () => {
    const [before] = await hub.prisma.apiKey.findMany({ where: { consumer: { code } } });
    const rotated = await cli('rotate', code);
    expect(rotated.code).toBe(0);
    const key = keyIn(rotated.stdout)!;
    expect((await gql(REGION, consumerHeaders(key, 'ELDERLY_CARE_SERVICE'))).status).toBe(200);
    const keys = await hub.prisma.apiKey.findMany({ where: { consumer: { code } }, orderBy: { createdAt: 'asc' } });
    expect(keys.map((k) => k.revokedAt !== null)).toEqual([true, false]);
    expect(keys[0]!.id).toBe(before!.id);
  });

  it('suspends (403), activates, and revokes for good (401)', async () => {
    const key = keyIn((await cli('rotate', code)).stdout)!;
    expect((await cli('suspend', code)).code).toBe(0);
    const suspended = await gql(REGION, consumerHeaders(key, 'ELDERLY_CARE_SERVICE'));
    expect(suspended.status).toBe(403);
    expect(suspended.body.errors![0]!.extensions).toMatchObject({ reason: 'CONSUMER_SUSPENDED' });
    expect((await cli('activate', code)).code).toBe(0);
    expect((await gql(REGION, consumerHeaders(key, 'ELDERLY_CARE_SERVICE'))).status).toBe(200);
    expect((await cli('revoke', code)).code).toBe(0);
    expect((await gql(REGION, consumerHeaders(key, 'ELDERLY_CARE_SERVICE'))).status).toBe(401);
    const again = await cli('rotate', code);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('revoked');
  });

  it('refuses bad input with the field and reason, and creates nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--purpose', 'NO_SUCH_PURPOSE'], /purposes.*Unknown purpose/],
      [['--purpose', 'STATISTICS', '--grant', 'NO_SUCH_ITEM'], /grants\.0\.item/],
      [['--purpose', 'STATISTICS', '--grant', 'PS_IDENTITY'], /PURPOSES_REQUIRED|grants\.0\.purposes/],
      [['--purpose', 'STATISTICS', '--grant', 'PS_IDENTITY:ELDERLY_CARE_SERVICE'], /grants\.0\.purposes/],
      [['--purpose', 'STATISTICS', '--region', '999999'], /regionCode/],
      [['--purpose', 'STATISTICS', '--role', 'ROOT'], /roles/],
    ];
    for (const [extra, message] of cases) {
      const bad = `cli-bad-${suffix}`;
      const result = await cli('create', '--code', bad, '--name', 'Bad', '--department', 'Test', ...extra);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^BAD_USER_INPUT/);
      expect(result.stderr).toMatch(message);
      expect(await hub.prisma.consumer.findUnique({ where: { code: bad } })).toBeNull();
    }
  });
});

describe('cached key lookups see changes at once, on every hub instance', () => {
  let second: TestHub;
  beforeAll(async () => {
    second = await startTestHub({}, {}, { logName: 'consumers-second-hub' });
  });
  afterAll(() => second?.stop());

  const ask = (on: TestHub, key: string) =>
    on.graphql<Json, Record<string, never>>(REGION, undefined, consumerHeaders(key, 'ELDERLY_CARE_SERVICE'));

  it('refuses a suspended, then a revoked key within a second on both instances (the cache keeps keys 5 s)', async () => {
    const code = `cached-${suffix}`;
    const { apiKey } = await createConsumer(hub.prisma, {
      code,
      name: '缓存测试',
      department: '测试',
      purposes: ['ELDERLY_CARE_SERVICE'],
    });
    // Both instances have looked the key up (and keep it) before the change.
    for (const on of [hub, second, hub, second]) expect((await ask(on, apiKey)).status).toBe(200);

    expect((await cli('suspend', code)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const on of [second, hub]) expect((await ask(on, apiKey)).status).toBe(403);

    expect((await cli('activate', code)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const on of [second, hub, second]) expect((await ask(on, apiKey)).status).toBe(200);

    expect((await cli('revoke', code)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const on of [second, hub]) expect((await ask(on, apiKey)).status).toBe(401);
  });
});

describe('administrator mutations', () => {
  const CREATE = `mutation Create($input: ConsumerInput!) { createConsumer(input: $input) { apiKey consumer { code status roles purposes regionCode grants { item purposes } keys { prefix revokedAt } } } }`;
  const input = (code: string) => ({
    code,
    name: '卫健托育科',
    department: '渝中区卫健委',
    purposes: ['CHILDCARE_SERVICE'],
    grants: [{ item: 'HE_CHILDCARE_INSTITUTIONS' }, { item: 'HE_CHILDCARE_ENROLMENT', purposes: ['CHILDCARE_SERVICE'] }],
  });

  it('creates, updates, rotates and revokes consumers, each change audited', async () => {
    const code = `gql-office-${suffix}`;
    const created = await gql(CREATE, DEMO_HEADERS, { input: input(code) });
    expect(created.body.errors).toBeUndefined();
    const issued = created.body.data!.createConsumer;
    expect(issued.consumer).toMatchObject({ code, status: 'ACTIVE', roles: [], regionCode: null, keys: [{ revokedAt: null }] });
    expect(issued.apiKey.startsWith(issued.consumer.keys[0].prefix.replace('…', ''))).toBe(true);
    expect((await gql(REGION, consumerHeaders(issued.apiKey, 'CHILDCARE_SERVICE'))).status).toBe(200);

    const updated = await gql(
      `mutation ($input: ConsumerInput!) { updateConsumer(input: $input) { purposes grants { item } } }`,
      DEMO_HEADERS,
      {
        input: { ...input(code), purposes: ['CHILDCARE_SERVICE', 'STATISTICS'], grants: [{ item: 'HE_CHILDCARE_INSTITUTIONS' }] },
      },
    );
    expect(updated.body.data!.updateConsumer).toEqual({
      purposes: ['CHILDCARE_SERVICE', 'STATISTICS'],
      grants: [{ item: 'HE_CHILDCARE_INSTITUTIONS' }],
    });

    const rotated = await gql(`mutation { rotateConsumerKey(code: "${code}") { apiKey } }`, DEMO_HEADERS);
    expect((await gql(REGION, consumerHeaders(issued.apiKey, 'CHILDCARE_SERVICE'))).status).toBe(401);
    const newKey = rotated.body.data!.rotateConsumerKey.apiKey;
    expect((await gql(REGION, consumerHeaders(newKey, 'CHILDCARE_SERVICE'))).status).toBe(200);

    const revoked = await gql(
      `mutation { setConsumerStatus(code: "${code}", status: REVOKED) { status keys { revokedAt } } }`,
      DEMO_HEADERS,
    );
    expect(revoked.body.data!.setConsumerStatus.status).toBe('REVOKED');
    expect((await gql(REGION, consumerHeaders(newKey, 'CHILDCARE_SERVICE'))).status).toBe(401);

    const events = await hub.prisma.auditEvent.count({
      where: { consumerCode: 'demo', purpose: 'DEMO', operationName: 'Create' },
    });
    expect(events).toBeGreaterThan(0);

    // Each change's event says whose it was and what was asked (a hash of the arguments), once per change.
    const changes = await hub.prisma.auditEvent.findMany({ where: { target: `consumer:${code}` }, orderBy: { seq: 'asc' } });
    expect(changes).toHaveLength(4);
    expect(changes.map((event) => event.variablesHash)).toEqual(changes.map(() => expect.stringMatching(/^[0-9a-f]{64}$/)));
    const rotation = changes[2]!;
    expect(rotation.variablesHash).toBe(createHash('sha256').update(JSON.stringify({ code })).digest('hex'));
    const rotateDocument = `mutation { rotateConsumerKey(code: "${code}") { apiKey } }`;
    expect(rotation.documentHash).toBe(createHash('sha256').update(rotateDocument).digest('hex'));
    expect(rotation.outcome).toBe('OK');
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, and changes nothing', async () => {
    const code = `gql-bad-${suffix}`;
    const bad = { ...input(code), grants: [{ item: 'HE_CHILDCARE_ENROLMENT' }] };
    const { body } = await gql(CREATE, DEMO_HEADERS, { input: bad });
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'grants.0.purposes',
      reason: 'PURPOSES_REQUIRED',
    });
    expect(await hub.prisma.consumer.findUnique({ where: { code } })).toBeNull();
    const duplicate = await gql(CREATE, DEMO_HEADERS, { input: { ...input('demo') } });
    expect(duplicate.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
      reason: 'DUPLICATE_CODE',
    });
    const missing = await gql(`mutation { rotateConsumerKey(code: "no-such-consumer") { apiKey } }`, DEMO_HEADERS);
    expect(missing.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'UNKNOWN_CONSUMER' });
  });

  it('are refused without the ADMIN role, and the attempt is audited', async () => {
    const { apiKey } = await createConsumer(hub.prisma, {
      code: `not-admin-${suffix}`,
      name: 'Not admin',
      department: 'Test',
      purposes: ['STATISTICS'],
    });
    const code = `gql-sneaky-${suffix}`;
    const { body } = await gql(CREATE, consumerHeaders(apiKey, 'STATISTICS'), { input: input(code) });
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' });
    expect(await hub.prisma.consumer.findUnique({ where: { code } })).toBeNull();
    const listing = await gql('{ consumers { code } }', consumerHeaders(apiKey, 'STATISTICS'));
    expect(listing.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await hub.prisma.auditEvent.count({ where: { consumerCode: `not-admin-${suffix}`, outcome: 'FAILED' } }),
    ).toBeGreaterThan(0);
  });
});

describe('production start-up', () => {
  it('refuses to start while an active demo consumer exists in the database', async () => {
    await expect(
      startTestHub({ HUB_ENV: 'production', HUB_DEMO_DATA: 'false', HUB_AUDIT_HMAC_KEY: 'p'.repeat(32), HUB_DEMO_API_KEY: '' }),
    ).rejects.toThrow(/active demo consumer exists in production/);
  });
});

describe('the demo consumer across restarts (on its own hub database)', () => {
  it('stays suspended when an operator suspended it: a start does not reactivate it', async () => {
    const isolated = await isolatedHubDatabase('demo_restart');
    try {
      const first = await startTestHub(isolated.env);
      expect((await first.graphql('{ viewer { code } }')).status).toBe(200);
      await first.prisma.consumer.update({ where: { code: 'demo' }, data: { status: 'SUSPENDED' } });
      await first.stop();
      const second = await startTestHub(isolated.env);
      try {
        const refused = await second.graphql('{ viewer { code } }');
        expect(refused.status).toBe(403);
        expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CONSUMER_SUSPENDED' });
        expect((await isolated.query<{ status: string }>(`SELECT status FROM consumer WHERE code = 'demo'`))[0]!.status).toBe(
          'SUSPENDED',
        );
      } finally {
        await second.stop();
      }
    } finally {
      await isolated.drop();
    }
  }, 120_000);
});

describe('reclassifying a catalogue item (on its own hub database)', () => {
  let isolated: IsolatedHubDatabase;
  let own: TestHub;
  beforeAll(async () => {
    isolated = await isolatedHubDatabase('catalogue');
    own = await startTestHub(isolated.env);
  }, 120_000);
  afterAll(async () => {
    await own?.stop();
    await isolated?.drop();
  });

  it('makes a 不予共享 item unreadable even to the all-access consumer, and start-up keeps the class', async () => {
    const query = '{ region(code: "500103") { name population { resident } } }';
    const reclassify = (cls: string) =>
      own.graphql<Json, Record<string, unknown>>(
        `mutation { setCatalogueItemClass(code: "PS_POPULATION_STATISTICS", class: ${cls}) { code class } }`,
      );
    expect((await reclassify('NOT_SHARED')).body.data).toEqual({
      setCatalogueItemClass: { code: 'PS_POPULATION_STATISTICS', class: 'NOT_SHARED' },
    });
    const { body } = await own.graphql<Json, Record<string, unknown>>(query);
    expect(body.data).toEqual({ region: { name: '渝中区', population: null } });
    expect(body.errors![0]).toMatchObject({
      path: ['region', 'population'],
      extensions: { code: 'FORBIDDEN', reason: 'NOT_SHARED', catalogueItem: 'PS_POPULATION_STATISTICS' },
    });
    // What a restart does: the published definition is written again, the administrator's class stays.
    await syncCatalogue(own.prisma, schema);
    expect((await own.prisma.catalogueItem.findUniqueOrThrow({ where: { code: 'PS_POPULATION_STATISTICS' } })).class).toBe(
      'NOT_SHARED',
    );
    await reclassify('UNCONDITIONAL');
    const unknown = await own.graphql<Json, Record<string, unknown>>(
      'mutation { setCatalogueItemClass(code: "NOPE", class: NOT_SHARED) { code } }',
    );
    expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
