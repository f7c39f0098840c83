/**
 * Who may see what, through the real HTTP endpoint against running sandbox departments (DESIGN §4):
 * a table of consumer × field × purpose × region → allowed / masked / forbidden; region scope on lookups and
 * lists; filters that would reveal fields a consumer may not read; the catalogue guard calling no department
 * for a refused field.
 */
import { createConsumer, type ConsumerInput } from '../resolvers/consumers';
import { SHOWCASE } from '../seeds/showcase';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { subjectHash } from '../domain/audit-chain';
import { TEST_AUDIT_HMAC_KEY, consumerHeaders, startTestHub, type TestHub } from './helpers/hub';
import { departmentCalls } from './helpers/metrics';

jest.setTimeout(60_000);

let departments: TestDepartments;
let hub: TestHub;
const keys: Record<string, string> = {};
const ELDERLY_NAME = SHOWCASE.ELDERLY.surname + SHOWCASE.ELDERLY.givenName;
// Raw query texts: responses are read as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const gql = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
  hub.graphql<Json, Record<string, unknown>>(query, variables, headers);
const suffix = `${process.pid}`;
let elderlyStreet: string;
let outsider: { citizenId: string; regionCode: string };

const ELDERLY_OFFICE_GRANTS = [
  { item: 'PS_IDENTITY', purposes: ['ELDERLY_CARE_SERVICE'] },
  { item: 'PS_DEMOGRAPHICS' },
  { item: 'CA_ELDERLY_PROFILE', purposes: ['ELDERLY_CARE_SERVICE'] },
  { item: 'CA_SOCIAL_ASSISTANCE', purposes: ['ELDERLY_CARE_SERVICE'] },
  { item: 'CA_CARE_INSTITUTIONS' },
];

async function register(name: string, input: Omit<ConsumerInput, 'code' | 'name' | 'department'>) {
  const { apiKey } = await createConsumer(hub.prisma, { code: `${name}-${suffix}`, name, department: '测试 Test', ...input });
  keys[name] = apiKey;
}

beforeAll(async () => {
  departments = await startTestDepartments('access');
  hub = await startTestHub({ HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') }, departments.connectorEnv);
  const [elderly] = await departments.query<{ region_code: string }>(
    'SELECT region_code FROM public_security.person WHERE citizen_id = $1',
    [SHOWCASE.ELDERLY.citizenId],
  );
  elderlyStreet = elderly!.region_code.slice(0, 9);
  // The synthetic data at this scale may have no facility in that street: one (a copy of the first facility,
  // placed there), so the street office's list has something to show.
  await departments.query(
    `INSERT INTO civil_affairs.institution
     SELECT (jsonb_populate_record(NULL::civil_affairs.institution,
              to_jsonb(i) || jsonb_build_object('institution_id', $1::text, 'region_code', $2::text))).*
     FROM civil_affairs.institution i
     WHERE NOT EXISTS (SELECT 1 FROM civil_affairs.institution WHERE left(region_code, 9) = $3)
     ORDER BY i.institution_id LIMIT 1`,
    [`ACCESS-TEST-${suffix}`, `${elderlyStreet}000`, elderlyStreet],
  );
  outsider = (
    await departments.query<{ citizen_id: string; region_code: string }>(
      'SELECT citizen_id, region_code FROM public_security.person WHERE left(region_code, 9) <> $1 ORDER BY citizen_id LIMIT 1',
      [elderlyStreet],
    )
  ).map((row) => ({ citizenId: row.citizen_id, regionCode: row.region_code }))[0]!;
  await register('elderly-office', { purposes: ['ELDERLY_CARE_SERVICE', 'STATISTICS'], grants: ELDERLY_OFFICE_GRANTS });
  await register('statistics-bureau', {
    purposes: ['STATISTICS'],
    grants: [{ item: 'PS_DEMOGRAPHICS' }, { item: 'CA_CARE_INSTITUTIONS' }, { item: 'PS_POPULATION_STATISTICS' }],
  });
  await register('street-office', {
    purposes: ['ELDERLY_CARE_SERVICE'],
    regionCode: elderlyStreet,
    grants: ELDERLY_OFFICE_GRANTS,
  });
  await register('household-office', {
    purposes: ['ELDERLY_CARE_SERVICE'],
    grants: [{ item: 'PS_HOUSEHOLD', purposes: ['ELDERLY_CARE_SERVICE'] }, { item: 'PS_DEMOGRAPHICS' }],
  });
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

type Outcome = { allowed: unknown } | { masked: unknown } | { forbidden: string };

/** What a consumer sees instead of a citizen ID it may not read: its own pseudonym, nothing of the number. */
const PSEUDONYM = /^psn_[a-z2-7]{16}$/;

const PERSON_FIELDS: Record<string, { selection: string; path: string[] }> = {
  citizenId: { selection: 'citizenId', path: ['citizenId'] },
  name: { selection: 'name', path: ['name'] },
  sex: { selection: 'sex', path: ['sex'] },
  address: { selection: 'household { address }', path: ['household'] },
  specialHardship: { selection: 'elderlyProfile { minimumLiving }', path: ['elderlyProfile'] },
  insurance: { selection: 'insurance { scheme }', path: ['insurance'] },
};

// consumer, field, purpose → outcome (the showcase elderly person, inside every consumer's region scope)
const TABLE: Array<[string, keyof typeof PERSON_FIELDS, string, Outcome]> = [
  ['elderly-office', 'name', 'ELDERLY_CARE_SERVICE', { allowed: ELDERLY_NAME }],
  ['elderly-office', 'name', 'STATISTICS', { masked: '张**' }],
  ['elderly-office', 'citizenId', 'ELDERLY_CARE_SERVICE', { allowed: SHOWCASE.ELDERLY.citizenId }],
  ['elderly-office', 'citizenId', 'STATISTICS', { masked: expect.stringMatching(PSEUDONYM) }],
  ['elderly-office', 'sex', 'STATISTICS', { allowed: 'FEMALE' }],
  ['elderly-office', 'specialHardship', 'ELDERLY_CARE_SERVICE', { allowed: { minimumLiving: true } }],
  ['elderly-office', 'specialHardship', 'STATISTICS', { forbidden: 'PURPOSE_NOT_APPROVED' }],
  ['elderly-office', 'insurance', 'ELDERLY_CARE_SERVICE', { forbidden: 'NOT_GRANTED' }],
  ['elderly-office', 'address', 'ELDERLY_CARE_SERVICE', { forbidden: 'NOT_GRANTED' }],
  ['statistics-bureau', 'name', 'STATISTICS', { masked: '张**' }],
  ['statistics-bureau', 'citizenId', 'STATISTICS', { masked: expect.stringMatching(PSEUDONYM) }],
  ['statistics-bureau', 'sex', 'STATISTICS', { allowed: 'FEMALE' }],
  ['statistics-bureau', 'specialHardship', 'STATISTICS', { forbidden: 'NOT_GRANTED' }],
  ['street-office', 'name', 'ELDERLY_CARE_SERVICE', { allowed: ELDERLY_NAME }],
  ['demo', 'address', 'DEMO', { allowed: { address: expect.stringMatching(/^重庆市渝中区/) } }],
  ['demo', 'insurance', 'DEMO', { allowed: { scheme: expect.any(String) } }],
];

const headersFor = (consumer: string, purpose: string) =>
  consumer === 'demo' ? undefined : consumerHeaders(keys[consumer]!, purpose);

describe.each(TABLE)('%s reading Person.%s for %s', (consumer, field, purpose, outcome) => {
  it(`→ ${Object.keys(outcome)[0]}`, async () => {
    const { selection, path } = PERSON_FIELDS[field]!;
    const query = `query Access($id: String!) { person(citizenId: $id) { sex ${selection} } }`;
    const { status, body } = await gql(query, { id: SHOWCASE.ELDERLY.citizenId }, headersFor(consumer, purpose));
    expect(status).toBe(200);
    const person = body.data!.person as Record<string, unknown>;
    // The rest of the response is returned whatever happens to this field.
    expect(person.sex).toBe('FEMALE');
    const value = person[path[0]!];
    if ('allowed' in outcome) {
      expect(body.errors).toBeUndefined();
      expect(value).toEqual(outcome.allowed);
    } else if ('masked' in outcome) {
      expect(body.errors).toBeUndefined();
      expect(value).toEqual(outcome.masked);
    } else {
      expect(value).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({
        path: ['person', ...path],
        extensions: { code: 'FORBIDDEN', reason: outcome.forbidden },
      });
    }
  });
});

/** Repeats a request while it is refused as NOT_GRANTED, for at most the key cache's TTL; answers the last body. */
async function untilGranted(request: () => Promise<{ body: Json }>, ttlMs = 5000): Promise<Json> {
  const deadline = Date.now() + ttlMs;
  for (;;) {
    const { body } = await request();
    const refused = (body.errors ?? []).some((e: Json) => e.extensions?.reason === 'NOT_GRANTED');
    if (!refused || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('masking of personal identifiers', () => {
  it('masks name, citizen ID, phone and household address and head for a consumer without their items', async () => {
    const query = `query { person(citizenId: "${SHOWCASE.ELDERLY.citizenId}") { citizenId name phone household { address headCitizenId } } }`;
    const holder = await gql(query);
    const full = holder.body.data!.person as { phone: string | null; household: { address: string; headCitizenId: string } };
    await hub.prisma.consumerGrant.create({
      data: {
        consumer: { connect: { code: `statistics-bureau-${suffix}` } },
        item: { connect: { code: 'PS_HOUSEHOLD' } },
        purposes: ['STATISTICS'],
      },
    });
    try {
      // Written straight into the database, the grant reaches the hub's cached key lookups through NOTIFY: within
      // milliseconds, but not necessarily before the next request (the contract is "within the cache's TTL").
      const body = await untilGranted(() => gql(query, undefined, consumerHeaders(keys['statistics-bureau']!, 'STATISTICS')));
      expect(body.errors).toBeUndefined();
      // Household is granted, so its address is shown; identity (the head's citizen ID too) and contact are not.
      expect(body.data!.person.household.headCitizenId).not.toBe(full.household.headCitizenId);
      expect(body.data!.person).toEqual({
        citizenId: expect.stringMatching(PSEUDONYM),
        name: '张**',
        phone: full.phone ? `${full.phone.slice(0, 3)}****${full.phone.slice(-4)}` : null,
        household: { address: full.household.address, headCitizenId: expect.any(String) },
      });
    } finally {
      await hub.prisma.consumerGrant.deleteMany({
        where: { consumer: { code: `statistics-bureau-${suffix}` }, itemCode: 'PS_HOUSEHOLD' },
      });
    }
    const elderly = await gql(query, undefined, consumerHeaders(keys['elderly-office']!, 'ELDERLY_CARE_SERVICE'));
    expect(elderly.body.data!.person).toMatchObject({
      household: null,
      citizenId: SHOWCASE.ELDERLY.citizenId,
      phone: full.phone ? expect.stringMatching(/^\d{3}\*{4}\d{4}$/) : null,
    });
  });
});

describe('the household head', () => {
  const CITIZEN_ID = /\d{17}[\dX]/g;
  const household = () => consumerHeaders(keys['household-office']!, 'ELDERLY_CARE_SERVICE');

  it('is a citizen ID like any other: masked for a consumer with the household item but not the identity item', async () => {
    const query =
      '{ persons(first: 50, filter: { regionCode: "500103" }) { edges { node { citizenId household { headCitizenId } } } } }';
    const full = await gql(query);
    const heads: string[] = full.body.data!.persons.edges.map((e: Json) => e.node.household.headCitizenId);
    expect(heads).toHaveLength(50);
    for (const head of heads) expect(head).toMatch(/^\d{17}[\dX]$/);
    const masked = await gql(query, undefined, household());
    expect(masked.body.errors).toBeUndefined();
    // Not one citizen ID anywhere in the answer, and each head is masked as that consumer sees the person's own ID.
    expect(JSON.stringify(masked.body).match(CITIZEN_ID)).toBeNull();
    const shown = masked.body.data!.persons.edges.map((e: Json) => e.node);
    const ownHeads = full.body.data!.persons.edges.map((e: Json, index: number) => [
      e.node.citizenId === e.node.household.headCitizenId,
      index,
    ]);
    expect(ownHeads.some(([own]: [boolean]) => own)).toBe(true);
    for (const [own, index] of ownHeads) {
      if (own) expect(shown[index].household.headCitizenId).toBe(shown[index].citizenId);
      else expect(shown[index].household.headCitizenId).not.toBe(shown[index].citizenId);
    }
  });

  it('is a subject of the audit event when read, beside the person whose household it is', async () => {
    const [member] = await departments.query<{ citizen_id: string; household_head_id: string }>(
      'SELECT citizen_id, household_head_id FROM public_security.person WHERE citizen_id <> household_head_id ORDER BY citizen_id LIMIT 1',
    );
    const response = await gql(
      'query ($id: String!) { person(citizenId: $id) { household { headCitizenId } } }',
      { id: member!.citizen_id },
      household(),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.person.household.headCitizenId).not.toBe(member!.household_head_id);
    const event = await hub.prisma.auditEvent.findFirst({ where: { requestId: response.headers.get('x-request-id')! } });
    expect(event!.subjects).toEqual(
      [subjectHash(TEST_AUDIT_HMAC_KEY, member!.citizen_id), subjectHash(TEST_AUDIT_HMAC_KEY, member!.household_head_id)].sort(),
    );
  });
});

describe('region scope', () => {
  const street = () => consumerHeaders(keys['street-office']!, 'ELDERLY_CARE_SERVICE');

  it('answers a lookup outside the scope exactly as one of an unregistered ID (no oracle), and answers inside it', async () => {
    const query = 'query ($id: String!) { person(citizenId: $id) { name } }';
    const inside = await gql(query, { id: SHOWCASE.ELDERLY.citizenId }, street());
    expect(inside.body.data).toEqual({ person: { name: ELDERLY_NAME } });
    const outside = await gql(query, { id: outsider.citizenId }, street());
    const unregistered = await gql(query, { id: '11010519491231002X' }, street());
    expect(unregistered.body).toEqual({ data: { person: null } });
    expect(outside.body).toEqual(unregistered.body);
  });

  it('leaves records outside the scope out of lists, with an exact totalCount', async () => {
    const query = `query ($region: String) { persons(first: 200, filter: { regionCode: $region }) { totalCount edges { node { region { code } } } } }`;
    const [{ count }] = (await departments.query<{ count: string }>(
      'SELECT count(*) FROM public_security.person WHERE region_code LIKE $1',
      [`${elderlyStreet}%`],
    )) as [{ count: string }];
    const district = await gql(query, { region: '500103' }, street());
    expect(district.body.errors).toBeUndefined();
    const page = district.body.data!.persons as {
      totalCount: number;
      edges: Array<{ node: { region: { code: string } | null } }>;
    };
    expect(page.totalCount).toBe(Number(count));
    expect(page.edges.length).toBeGreaterThan(0);
    for (const { node } of page.edges) expect(node.region!.code.startsWith(elderlyStreet)).toBe(true);
    const otherStreet = await gql(query, { region: outsider.regionCode.slice(0, 9) }, street());
    expect(otherStreet.body.data!.persons).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('applies to institution lists too', async () => {
    const query = '{ elderlyCareInstitutions(first: 200) { totalCount edges { node { region { code } } } } }';
    const { body } = await gql(query, undefined, street());
    const page = body.data!.elderlyCareInstitutions as {
      totalCount: number;
      edges: Array<{ node: { region: { code: string } | null } }>;
    };
    const all = await gql(query);
    expect(page.totalCount).toBeLessThan((all.body.data!.elderlyCareInstitutions as { totalCount: number }).totalCount);
    const [{ count }] = (await departments.query<{ count: string }>(
      'SELECT count(*) FROM civil_affairs.institution WHERE region_code LIKE $1',
      [`${elderlyStreet}%`],
    )) as [{ count: string }];
    expect(Number(count)).toBeGreaterThan(0);
    expect(page.totalCount).toBe(Number(count));
    expect(page.edges).toHaveLength(Number(count));
    for (const { node } of page.edges) expect(node.region!.code.startsWith(elderlyStreet)).toBe(true);
  });
});

// Fields that only read a property of their record have no resolver (schema/plugins/catalogue-leaves.ts): their
// parent applies their guard, and the answers must be those of a resolver-guarded field.
describe('plain leaves, guarded by their parent', () => {
  const household = () => consumerHeaders(keys['household-office']!, 'ELDERLY_CARE_SERVICE');
  const LIST = `query ($skip: Boolean!) { elderlyCareInstitutions(first: 3) { edges { node {
    id n: name name kind ...F operator @skip(if: $skip) } } } }
    fragment F on ElderlyCareInstitution { starLevel }`;

  it('are refused at their own path, row by row, for a consumer without their item, aliases and fragments included', async () => {
    const { body } = await gql(LIST, { skip: true }, household());
    const edges = body.data!.elderlyCareInstitutions.edges as Array<{ node: Record<string, unknown> }>;
    expect(edges).toHaveLength(3);
    expect(edges.map((e) => e.node)).toEqual(edges.map(() => ({ id: null, n: null, name: null, kind: null, starLevel: null })));
    const refused = (body.errors as Json[]).map((e) => [e.path.join('.'), e.extensions.code, e.extensions.reason]).sort();
    const expected = [0, 1, 2]
      .flatMap((row) => ['id', 'n', 'name', 'kind', 'starLevel'].map((key) => `elderlyCareInstitutions.edges.${row}.node.${key}`))
      .map((path) => [path, 'FORBIDDEN', 'NOT_GRANTED'])
      .sort();
    expect(refused).toEqual(expected);
  });

  it('answer what the department holds for a consumer with their item, and note it in the audit event', async () => {
    const elderly = consumerHeaders(keys['elderly-office']!, 'ELDERLY_CARE_SERVICE');
    const response = await gql(
      `query ($id: String!, $skip: Boolean!) { person(citizenId: $id) { name }
         elderlyCareInstitutions(first: 3) { edges { node { n: name name kind ...F operator @skip(if: $skip) } } } }
       fragment F on ElderlyCareInstitution { starLevel }`,
      { id: SHOWCASE.ELDERLY.citizenId, skip: false },
      elderly,
    );
    expect(response.body.errors).toBeUndefined();
    const stored = await departments.query<Json>(
      'SELECT institution_id, name, kind, star_level, operator FROM civil_affairs.institution ORDER BY institution_id LIMIT 3',
    );
    expect(stored).toHaveLength(3);
    expect(response.body.data!.elderlyCareInstitutions.edges.map((e: Json) => e.node)).toEqual(
      stored.map((row) => ({
        n: row.name,
        name: row.name,
        kind: row.kind,
        starLevel: row.star_level,
        operator: row.operator,
      })),
    );
    // Only plain leaves of the institutions are selected: their item is in the event because their parent noted it.
    const event = await hub.prisma.auditEvent.findFirst({ where: { requestId: response.headers.get('x-request-id')! } });
    expect(event!.catalogueItems).toContain('CA_CARE_INSTITUTIONS');
  });
});

describe('filters over fields the consumer may not read', () => {
  it('refuses to list people by a criterion that would reveal it', async () => {
    const query = '{ persons(first: 5, filter: { elderly: { minimumLiving: true } }) { totalCount } }';
    const { body } = await gql(query, undefined, consumerHeaders(keys['statistics-bureau']!, 'STATISTICS'));
    expect(body.data).toEqual({ persons: null });
    expect(body.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN', field: 'filter.elderly', reason: 'NOT_GRANTED' } });
    const allowed = await gql(query, undefined, consumerHeaders(keys['elderly-office']!, 'ELDERLY_CARE_SERVICE'));
    expect((allowed.body.data!.persons as { totalCount: number }).totalCount).toBeGreaterThan(0);
  });
});

describe('list cursors', () => {
  it('reveal no citizen ID (department cursors hold them; hub cursors are sealed) and still page', async () => {
    const query =
      'query ($after: String) { persons(first: 3, after: $after, filter: { regionCode: "500103" }) { edges { cursor node { citizenId } } pageInfo { endCursor } } }';
    const headers = consumerHeaders(keys['statistics-bureau']!, 'STATISTICS');
    const first = await gql(query, {}, headers);
    const cursors: string[] = first.body.data!.persons.edges.map((e: Json) => e.cursor);
    expect(cursors).toHaveLength(3);
    for (const cursor of cursors) {
      expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toMatch(/\d{6}/);
      expect(cursor).not.toMatch(/\d{17}/);
    }
    const next = await gql(query, { after: first.body.data!.persons.pageInfo.endCursor }, headers);
    const demoNext = await gql(query, { after: first.body.data!.persons.pageInfo.endCursor });
    expect(next.body.data!.persons.edges).toHaveLength(3);
    expect(demoNext.body.data!.persons.edges.map((e: Json) => e.node.citizenId)[0]).not.toBe(
      (await gql(query, {})).body.data!.persons.edges[0].node.citizenId,
    );
    const forged = await gql(
      query,
      { after: Buffer.from(JSON.stringify(['500103193803150261', 0])).toString('base64url') },
      headers,
    );
    expect(forged.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
  });
});

describe('a refused field', () => {
  it('calls no department', async () => {
    // 医保 holds the refused field; 公安 is still called for the person itself.
    const metric = () => departmentCalls(hub, { connector: 'medical-insurance' });
    const before = await metric();
    const query = `{ person(citizenId: "${SHOWCASE.ELDERLY.citizenId}") { insurance { scheme } } }`;
    const { body } = await gql(query, undefined, consumerHeaders(keys['elderly-office']!, 'ELDERLY_CARE_SERVICE'));
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await metric()).toBe(before);
  });
});
