/**
 * Elderly-care facilities from 民政's exchange database through the hub: lookup by id, filtered lists, and Relay
 * paging whose cursors work from any edge. Expected values come from the department's storage.
 */
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { startTestHub, type TestHub } from './helpers/hub';
import { departmentCalls } from './helpers/metrics';
import { sqlStatements, startTcpProxy, viaProxy, type TcpProxy } from './helpers/tcp-proxy';

jest.setTimeout(60_000);

let departments: TestDepartments;
let hub: TestHub;
// Civil affairs' exchange database is reached through a proxy that records what the hub sends it.
let exchange: TcpProxy;
let sentToExchange: Buffer[] = [];

beforeAll(async () => {
  departments = await startTestDepartments('institutions', 0.05);
  const exchangeUrl = new URL(departments.connectorEnv.CIVIL_AFFAIRS_EXCHANGE_URL!);
  exchange = await startTcpProxy(exchangeUrl.hostname, Number(exchangeUrl.port || 5432), (chunk) => sentToExchange.push(chunk));
  hub = await startTestHub(
    { HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') },
    { ...departments.connectorEnv, CIVIL_AFFAIRS_EXCHANGE_URL: viaProxy(exchangeUrl.toString(), exchange) },
  );
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await exchange?.close();
  await departments?.stop();
});

/** The statements the hub sent civil affairs' exchange database for the institution view while `work` ran. */
async function institutionStatements(work: () => Promise<unknown>): Promise<string[]> {
  sentToExchange = [];
  await work();
  return sqlStatements(Buffer.concat(sentToExchange)).filter((sql) => sql.includes('"institution"'));
}

interface Page {
  elderlyCareInstitutions: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { id: string; kind: string; region: { code: string } | null } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const LIST = `query List($filter: ElderlyCareInstitutionFilter, $first: Int, $after: String, $last: Int) {
  elderlyCareInstitutions(filter: $filter, first: $first, after: $after, last: $last) {
    totalCount
    edges { cursor node { id kind region { code } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const list = (variables: Record<string, unknown>) => hub.graphql<Page, Record<string, unknown>>(LIST, variables);

async function stored(where = 'true', values: unknown[] = []): Promise<string[]> {
  const rows = await departments.query<{ id: string }>(
    `SELECT institution_id AS id FROM civil_affairs.institution WHERE ${where} ORDER BY institution_id`,
    values,
  );
  return rows.map((r) => r.id);
}

it('pages through every facility, in id order, with totalCount on every page', async () => {
  const expected = await stored();
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const { body } = await list({ first: 3, after });
    expect(body.errors).toBeUndefined();
    const page: Page['elderlyCareInstitutions'] = body.data!.elderlyCareInstitutions;
    expect(page.totalCount).toBe(expected.length);
    seen.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(seen).toEqual(expected);
});

it("gives each facility's place in the region tree, with the tree's relations above it", async () => {
  const { body } = await hub.graphql<
    {
      elderlyCareInstitutions: {
        edges: Array<{ node: { id: string; region: { code: string; parent: { code: string; name: string } } } }>;
      };
    },
    Record<string, never>
  >('{ elderlyCareInstitutions(first: 20) { edges { node { id region { code parent { code name } } } } } }');
  expect(body.errors).toBeUndefined();
  const rows = await departments.query<{ id: string; region_code: string }>(
    'SELECT institution_id AS id, region_code FROM civil_affairs.institution ORDER BY institution_id LIMIT 20',
  );
  const edges = body.data!.elderlyCareInstitutions.edges;
  expect(edges.map((e) => e.node.id)).toEqual(rows.map((r) => r.id));
  const streets = await hub.prisma.region.findMany({ where: { level: 'STREET' } });
  const streetName = new Map(streets.map((s) => [s.code, s.name]));
  // A community's parent is its street (the first 9 digits); a street-level facility's is the district.
  expect(edges.map((e) => e.node.region.parent)).toEqual(
    rows.map((r) =>
      r.region_code.endsWith('000')
        ? { code: r.region_code.slice(0, 6), name: '渝中区' }
        : { code: r.region_code.slice(0, 9), name: streetName.get(r.region_code.slice(0, 9)) },
    ),
  );
});

/**
 * The view columns a select list reads: each `"column" AS "field"`, the column possibly converted on the way
 * (`"updated_at" AT TIME ZONE 'UTC', …) AS`, `"amount"::text AS`) for the record's JSON.
 */
const selectedColumns = (selectList: string) =>
  [...selectList.matchAll(/"([a-z_]+)"(?: AT TIME ZONE [^)]*\))?(?:::text)? AS "/g)].map((m) => m[1]).sort();

describe('projection push-down (issue 13)', () => {
  const PROJECTED = `{ elderlyCareInstitutions(first: 5) { edges { node { name beds { total occupancyRate } } } } }`;
  type Projected = { elderlyCareInstitutions: { edges: Array<{ node: { name: string; beds: { total: number } } }> } };

  it('reads only the selected columns (and the keys) in one statement, without a count', async () => {
    let answer: Awaited<ReturnType<typeof hub.graphql<Projected, Record<string, never>>>> | undefined;
    const statements = await institutionStatements(async () => (answer = await hub.graphql(PROJECTED)));
    expect(answer!.body.errors).toBeUndefined();
    expect(statements).toHaveLength(1);
    const selected = /^SELECT (.*) FROM /.exec(statements[0]!)![1]!;
    const columns = selectedColumns(selected);
    expect(columns).toEqual(['beds_occupied', 'beds_total', 'institution_id', 'name', 'updated_at']);
    expect(statements[0]).not.toMatch(/count\(/i);
    const expected = await departments.query<{ name: string; beds_total: number }>(
      'SELECT name, beds_total FROM civil_affairs.institution ORDER BY institution_id LIMIT 5',
    );
    expect(answer!.body.data!.elderlyCareInstitutions.edges.map((e) => [e.node.name, e.node.beds.total])).toEqual(
      expected.map((row) => [row.name, row.beds_total]),
    );
  });

  it('counts, in the same one statement, only when totalCount is selected', async () => {
    let total: number | undefined;
    const statements = await institutionStatements(async () => {
      const { body } = await hub.graphql<{ elderlyCareInstitutions: { totalCount: number } }, Record<string, never>>(
        `{ elderlyCareInstitutions(first: 2) { totalCount edges { node { id } } } }`,
      );
      total = body.data?.elderlyCareInstitutions.totalCount;
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/count\(\*\)/);
    expect(total).toBe((await stored()).length);
  });

  it('follows fragments, aliases and @skip as graphql-js executes them', async () => {
    const statements = await institutionStatements(() =>
      hub.graphql(
        `query($skip: Boolean!) { elderlyCareInstitutions(first: 1) { edges { node { ...F n: name } } } }
         fragment F on ElderlyCareInstitution { address operator @skip(if: $skip) }`,
        { skip: true },
      ),
    );
    const columns = selectedColumns(/^SELECT (.*) FROM /.exec(statements[0]!)![1]!);
    expect(columns).toEqual(['address', 'institution_id', 'name', 'updated_at']);
  });
});

it('continues after any edge, not only the last one of a page', async () => {
  const { body } = await list({ first: 4 });
  const edges = body.data!.elderlyCareInstitutions.edges;
  const fromSecond = await list({ first: 2, after: edges[1]!.cursor });
  expect(fromSecond.body.data!.elderlyCareInstitutions.edges.map((e) => e.node.id)).toEqual(
    edges.slice(2, 4).map((e) => e.node.id),
  );
});

it('filters by kind and by region, and places facilities in the region tree', async () => {
  const centres = await list({ filter: { kinds: ['STREET_CENTRE'] }, first: 200 });
  expect(centres.body.data!.elderlyCareInstitutions.edges.map((e) => e.node.id)).toEqual(await stored(`kind = 'STREET_CENTRE'`));
  expect(centres.body.data!.elderlyCareInstitutions.edges.length).toBeGreaterThan(0);
  for (const { node } of centres.body.data!.elderlyCareInstitutions.edges) expect(node.region!.code).toMatch(/^500103\d{3}$/);

  const [street] = await departments.query<{ code: string }>(
    `SELECT substr(region_code, 1, 9) AS code FROM civil_affairs.institution ORDER BY 1 LIMIT 1`,
  );
  const inStreet = await list({ filter: { regionCode: street!.code }, first: 200 });
  expect(inStreet.body.data!.elderlyCareInstitutions.totalCount).toBe(
    (await stored('region_code LIKE $1', [`${street!.code}%`])).length,
  );
});

it('returns one facility by id with its beds, and null for an unknown id', async () => {
  const [id] = await stored(`kind = 'FULL_CARE_INSTITUTION' AND ownership = 'PUBLIC'`);
  const { body } = await hub.graphql<{ a: unknown; b: unknown }, Record<string, never>>(`{
    a: elderlyCareInstitution(id: "${id}") { id kind ownership beds { total nursing occupied occupancyRate } region { name } }
    b: elderlyCareInstitution(id: "NO-SUCH-ID") { id }
  }`);
  expect(body.errors).toBeUndefined();
  expect(body.data!.a).toMatchObject({
    id,
    kind: 'FULL_CARE_INSTITUTION',
    ownership: 'PUBLIC',
    beds: { total: expect.any(Number) },
  });
  expect(body.data!.b).toBeNull();
});

it.each([
  ['first above the cap', { first: 201 }, 'first', 'PAGE_TOO_LARGE'],
  ['first below 1', { first: 0 }, 'first', 'PAGE_TOO_SMALL'],
  ['backward paging', { last: 5 }, 'last', 'BACKWARD_PAGING_UNSUPPORTED'],
  ['a forged cursor', { after: 'bm90LWEtY3Vyc29y' }, 'after', 'INVALID_CURSOR'],
  ['a malformed region code', { filter: { regionCode: '5001' } }, 'filter.regionCode', 'MALFORMED_REGION_CODE'],
  [
    'more kinds than a department filter takes',
    { filter: { kinds: Array(501).fill('STREET_CENTRE') } },
    'filter.kinds',
    'TOO_MANY_VALUES',
  ],
])('rejects %s with BAD_USER_INPUT naming the argument', async (_label, variables, field, reason) => {
  const { body } = await list(variables);
  // Only the list is nulled: a root list is nullable, so one refusal never wipes sibling fields.
  expect(body.data).toEqual({ elderlyCareInstitutions: null });
  expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, reason });
});

describe('childcare (卫健 filings, 教育 托班)', () => {
  const CHILDCARE = `query Childcare($filter: ChildcareInstitutionFilter) {
    childcareInstitutions(filter: $filter, first: 50) {
      totalCount
      edges { node { id registrationAuthority filing { number status serviceTypes places inclusive } staff { total certified certifiedShare } region { code } } }
    }
  }`;

  it('lists childcare institutions with their filings, filtered by filing status', async () => {
    const all = await hub.graphql<
      {
        childcareInstitutions: {
          totalCount: number;
          edges: Array<{ node: { filing: { status: string; number: string | null } } }>;
        };
      },
      Record<string, unknown>
    >(CHILDCARE, {});
    expect(all.body.errors).toBeUndefined();
    const [{ n }] = (await departments.query<{ n: string }>('SELECT count(*) AS n FROM health.childcare_institution')) as [
      { n: string },
    ];
    expect(all.body.data!.childcareInstitutions.totalCount).toBe(Number(n));
    const filed = await hub.graphql<
      { childcareInstitutions: { edges: Array<{ node: { filing: { status: string; number: string | null } } }> } },
      Record<string, unknown>
    >(CHILDCARE, {
      filter: { filingStatuses: ['FILED'] },
    });
    expect(filed.body.data!.childcareInstitutions.edges.length).toBeGreaterThan(0);
    for (const { node } of filed.body.data!.childcareInstitutions.edges) {
      expect(node.filing.status).toBe('FILED');
      expect(node.filing.number).toEqual(expect.any(String));
    }
  });

  it('refuses more filing statuses than a department filter takes with BAD_USER_INPUT naming the argument', async () => {
    const { body } = await hub.graphql<Record<string, unknown>, Record<string, unknown>>(CHILDCARE, {
      filter: { filingStatuses: Array(501).fill('FILED') },
    });
    expect(body.data).toEqual({ childcareInstitutions: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.filingStatuses',
      reason: 'TOO_MANY_VALUES',
    });
    const many = await hub.graphql<{ childcareInstitutions: { totalCount: number } }, Record<string, unknown>>(CHILDCARE, {
      filter: { filingStatuses: Array(500).fill('FILED') },
    });
    const filed = await hub.graphql<{ childcareInstitutions: { totalCount: number } }, Record<string, unknown>>(CHILDCARE, {
      filter: { filingStatuses: ['FILED'] },
    });
    expect(many.body.errors).toBeUndefined();
    expect(many.body.data!.childcareInstitutions.totalCount).toBe(filed.body.data!.childcareInstitutions.totalCount);
  });

  it('shows the showcase child in a kindergarten 托班 from education', async () => {
    const { SHOWCASE } = await import('../seeds/showcase');
    const { body } = await hub.graphql<
      {
        person: {
          childcare: {
            nurseryClass: { kindergarten: { name: string; nurseryClassPlaces: number; ownership: string } } | null;
            institution: unknown;
          };
        };
      },
      Record<string, never>
    >(`{
      person(citizenId: "${SHOWCASE.NURSERY_CHILD.citizenId}") {
        childcare { institution { enrolledOn } nurseryClass { enrolledOn kindergarten { name nurseryClassPlaces ownership } } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.person.childcare.nurseryClass!.kindergarten.nurseryClassPlaces).toBeGreaterThan(0);
  });
});

describe('a cursor of one list given to another', () => {
  const page = (list: keyof typeof LISTS, after: string | null) =>
    hub.graphql<Record<string, { edges: Array<{ cursor: string; node: unknown }> } | null>, { after: string | null }>(
      `query ($after: String) { ${LISTS[list]} }`,
      { after },
    );
  const LISTS = {
    elderlyCareInstitutions: 'elderlyCareInstitutions(first: 2, after: $after) { edges { cursor node { id } } }',
    persons: 'persons(first: 2, after: $after, filter: { regionCode: "500103" }) { edges { cursor node { citizenId } } }',
    elderlyRoster:
      'persons(first: 2, after: $after, filter: { elderly: { livingAlone: true } }) { edges { cursor node { citizenId } } }',
    childcareInstitutions: 'childcareInstitutions(first: 2, after: $after) { edges { cursor node { id } } }',
    kindergartens: 'kindergartens(first: 2, after: $after) { edges { cursor node { id } } }',
  } as const;
  const rootOf = (list: keyof typeof LISTS) => (list === 'elderlyRoster' ? 'persons' : list);
  const PAIRS: Array<[keyof typeof LISTS, keyof typeof LISTS]> = [
    ['elderlyCareInstitutions', 'persons'],
    ['persons', 'elderlyCareInstitutions'],
    ['persons', 'elderlyRoster'],
    ['elderlyRoster', 'persons'],
    ['kindergartens', 'childcareInstitutions'],
    ['childcareInstitutions', 'kindergartens'],
  ];

  it.each(PAIRS)('a cursor of %s is INVALID_CURSOR on %s, and still works on its own list', async (from, to) => {
    const first = await page(from, null);
    expect(first.body.errors).toBeUndefined();
    const cursor = first.body.data![rootOf(from)]!.edges[0]!.cursor;
    const wrong = await page(to, cursor);
    expect(wrong.body.data).toEqual({ [rootOf(to)]: null });
    expect(wrong.body.errors).toHaveLength(1);
    expect(wrong.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after', reason: 'INVALID_CURSOR' });
    // On its own list it continues after that edge (with the next edge, if the list has one).
    const own = await page(from, cursor);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data![rootOf(from)]!.edges[0]?.node).toEqual(first.body.data![rootOf(from)]!.edges[1]?.node);
  });
});

it('a page of facilities with their regions costs one department call, whatever its size', async () => {
  const calls = () => departmentCalls(hub);
  const before = await calls();
  const { body } = await list({ first: 50 });
  expect(body.errors).toBeUndefined();
  expect(body.data!.elderlyCareInstitutions.edges.length).toBeGreaterThan(0);
  expect(body.data!.elderlyCareInstitutions.edges.every((e) => e.node.region !== null)).toBe(true);
  expect((await calls()) - before).toBe(1);
});

it('lists kindergartens with their 托班 places and enrolment from education', async () => {
  const { body } = await hub.graphql<
    {
      kindergartens: {
        totalCount: number;
        edges: Array<{ node: { id: string; nurseryClassPlaces: number; nurseryClassEnrolled: number } }>;
      };
    },
    Record<string, never>
  >(
    '{ kindergartens(filter: { regionCode: "500103" }, first: 200) { totalCount edges { node { id nurseryClassPlaces nurseryClassEnrolled } } } }',
  );
  expect(body.errors).toBeUndefined();
  const rows = await departments.query<{ id: string; enrolled: string }>(
    `SELECT k.kindergarten_id AS id, count(e.citizen_id) AS enrolled FROM education.kindergarten k
       LEFT JOIN education.nursery_enrolment e USING (kindergarten_id) GROUP BY 1 ORDER BY 1`,
  );
  expect(body.data!.kindergartens.totalCount).toBe(rows.length);
  const enrolledById = new Map(rows.map((r) => [r.id, Number(r.enrolled)]));
  expect(body.data!.kindergartens.edges.length).toBeGreaterThan(0);
  for (const { node } of body.data!.kindergartens.edges) {
    expect(node.nurseryClassEnrolled).toBe(enrolledById.get(node.id));
    expect(node.nurseryClassEnrolled).toBeLessThanOrEqual(node.nurseryClassPlaces);
  }
});
