/**
 * Region scope through the HTTP endpoint, one table per scope level: a consumer scoped to the city 重庆市
 * (500000), the district 渝中区 (500103), a street (9 digits) or a community (12 digits) sees, in lists, lookups and
 * statistics, exactly what lies under its region (domain/regions.ts `contains`, the one containment rule).
 *
 * Fixtures: the synthetic data is all in 渝中区, so the test adds copies of a person and of a facility placed in
 * another community of the same street, another street, another district of the city (大渡口区 500104) and another
 * city (成都 510104). Expected sets and counts come from the departments' storage, by literal prefixes written in
 * the table (not computed by the code under test).
 *
 * A lookup outside the scope answers exactly as one of a key nobody is registered under (`null`, no error), so the
 * scope tells a consumer nothing about records it may not see; a refused personal lookup is still audited with the
 * person asked about as its subject.
 */
import { subjectHash } from '../domain/audit-chain';
import { makeCitizenId } from '../domain/citizen-id';
import { createConsumer } from '../resolvers/consumers';
import { SHOWCASE } from '../seeds/showcase';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { TEST_AUDIT_HMAC_KEY, consumerHeaders, startTestHub, type TestHub } from './helpers/hub';

jest.setTimeout(60_000);

let departments: TestDepartments;
let hub: TestHub;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const suffix = `${process.pid}`;

type Place = 'home' | 'otherCommunity' | 'otherStreet' | 'otherDistrict' | 'otherCity';
type Level = 'city' | 'district' | 'street' | 'community';

/** Where each fixture lies (12-digit community codes), filled in from the showcase person's community. */
const places = {} as Record<Place, string>;
const personAt = {} as Record<Place, string>;
const institutionAt = {} as Record<Place, string>;
const keys = {} as Record<Level, string>;

/** The scope's region code and the literal prefix its records start with. */
const scopeOf = (level: Level): { code: string; prefix: string } => {
  switch (level) {
    case 'city':
      return { code: '500000', prefix: '50' };
    case 'district':
      return { code: '500103', prefix: '500103' };
    case 'street':
      return { code: places.home.slice(0, 9), prefix: places.home.slice(0, 9) };
    case 'community':
      return { code: places.home, prefix: places.home };
  }
};

// scope level → the fixtures inside it (the others are outside).
const INSIDE: Record<Level, Place[]> = {
  city: ['home', 'otherCommunity', 'otherStreet', 'otherDistrict'],
  district: ['home', 'otherCommunity', 'otherStreet'],
  street: ['home', 'otherCommunity'],
  community: ['home'],
};
const PLACES: Place[] = ['home', 'otherCommunity', 'otherStreet', 'otherDistrict', 'otherCity'];
const LEVELS: Level[] = ['city', 'district', 'street', 'community'];

const GRANTS = [
  { item: 'PS_IDENTITY', purposes: ['ELDERLY_CARE_SERVICE'] },
  { item: 'PS_DEMOGRAPHICS' },
  { item: 'PS_POPULATION_STATISTICS' },
  { item: 'CA_CARE_INSTITUTIONS' },
  { item: 'CA_ELDERLY_CARE_STATISTICS' },
];

const gql = (level: Level, query: string, variables?: Record<string, unknown>) =>
  hub.graphql<Json, Record<string, unknown>>(query, variables, consumerHeaders(keys[level], 'ELDERLY_CARE_SERVICE'));

async function count(sql: string, values: unknown[]): Promise<number> {
  const [row] = await departments.query<{ n: string }>(sql, values);
  return Number(row!.n);
}

beforeAll(async () => {
  departments = await startTestDepartments('region_scope');
  hub = await startTestHub({ HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') }, departments.connectorEnv);
  const [home] = await departments.query<{ region_code: string }>(
    'SELECT region_code FROM public_security.person WHERE citizen_id = $1',
    [SHOWCASE.ELDERLY.citizenId],
  );
  places.home = home!.region_code;
  const street = places.home.slice(0, 9);
  const regions = await hub.prisma.region.findMany({ where: { level: 'COMMUNITY' }, orderBy: { code: 'asc' } });
  places.otherCommunity = regions.find((r) => r.code.startsWith(street) && r.code !== places.home)!.code;
  places.otherStreet = regions.find((r) => !r.code.startsWith(street))!.code;
  places.otherDistrict = '500104001001';
  places.otherCity = '510104001001';
  // A copy of the showcase person and of a facility at each place (the person at home is the showcase person).
  personAt.home = SHOWCASE.ELDERLY.citizenId;
  for (const [index, place] of PLACES.entries()) {
    if (place !== 'home') {
      personAt[place] = makeCitizenId('500103', '1931-02-03', 971 + 2 * index, 'F');
      await departments.query(
        `INSERT INTO public_security.person
         SELECT (jsonb_populate_record(NULL::public_security.person,
                  to_jsonb(p) || jsonb_build_object('citizen_id', $1::text, 'region_code', $2::text))).*
         FROM public_security.person p WHERE p.citizen_id = $3`,
        [personAt[place], places[place], SHOWCASE.ELDERLY.citizenId],
      );
    }
    institutionAt[place] = `SCOPE-TEST-${place}-${suffix}`;
    await departments.query(
      `INSERT INTO civil_affairs.institution
       SELECT (jsonb_populate_record(NULL::civil_affairs.institution,
                to_jsonb(i) || jsonb_build_object('institution_id', $1::text, 'region_code', $2::text))).*
       FROM civil_affairs.institution i ORDER BY i.institution_id LIMIT 1`,
      [institutionAt[place], places[place]],
    );
  }
  for (const level of LEVELS) {
    const { apiKey } = await createConsumer(hub.prisma, {
      code: `scope-${level}-${suffix}`,
      name: `Scope ${level}`,
      department: '测试 Test',
      purposes: ['ELDERLY_CARE_SERVICE'],
      grants: GRANTS,
      regionCode: scopeOf(level).code,
    });
    keys[level] = apiKey;
  }
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

describe.each(LEVELS)('a consumer scoped to a %s', (level) => {
  const inside = (place: Place) => INSIDE[level].includes(place);

  it('finds by lookup exactly the people inside its region; one outside answers as an unregistered ID does', async () => {
    const query = 'query ($id: String!) { person(citizenId: $id) { citizenId name } }';
    const unregistered = await gql(level, query, { id: makeCitizenId('500103', '1931-02-03', 999, 'M') });
    expect(unregistered.body).toEqual({ data: { person: null } });
    for (const place of PLACES) {
      const { status, body } = await gql(level, query, { id: personAt[place] });
      expect(status).toBe(200);
      if (inside(place)) expect(body).toEqual({ data: { person: { citizenId: personAt[place], name: expect.any(String) } } });
      else expect({ place, body }).toEqual({ place, body: unregistered.body });
    }
  });

  it('audits a refused lookup with the person asked about as its subject (and returns nothing of them)', async () => {
    const outside = PLACES.find((place) => !inside(place))!;
    const response = await gql(level, 'query ($id: String!) { person(citizenId: $id) { name } }', { id: personAt[outside] });
    expect(response.body).toEqual({ data: { person: null } });
    const event = await hub.prisma.auditEvent.findFirst({ where: { requestId: response.headers.get('x-request-id')! } });
    expect(event).toMatchObject({
      consumerCode: `scope-${level}-${suffix}`,
      subjects: [subjectHash(TEST_AUDIT_HMAC_KEY, personAt[outside])],
    });
  });

  it('finds by lookup exactly the facilities inside its region; one outside answers as an unknown id does', async () => {
    const query = 'query ($id: String!) { elderlyCareInstitution(id: $id) { id } }';
    const unknown = await gql(level, query, { id: `SCOPE-TEST-none-${suffix}` });
    expect(unknown.body).toEqual({ data: { elderlyCareInstitution: null } });
    for (const place of PLACES) {
      const { body } = await gql(level, query, { id: institutionAt[place] });
      if (inside(place)) expect(body).toEqual({ data: { elderlyCareInstitution: { id: institutionAt[place] } } });
      else expect({ place, body }).toEqual({ place, body: unknown.body });
    }
  });

  it('lists exactly the people and facilities under its region, with exact totals', async () => {
    const { prefix } = scopeOf(level);
    const persons = await gql(level, '{ persons(first: 200, filter: {}) { totalCount edges { node { citizenId } } } }');
    expect(persons.body.errors).toBeUndefined();
    const expected = await departments.query<{ citizen_id: string }>(
      'SELECT citizen_id FROM public_security.person WHERE region_code LIKE $1 ORDER BY citizen_id',
      [`${prefix}%`],
    );
    expect(persons.body.data!.persons.totalCount).toBe(expected.length);
    const ids = persons.body.data!.persons.edges.map((e: Json) => e.node.citizenId);
    expect(ids).toEqual(expected.slice(0, 200).map((row) => row.citizen_id));
    const institutions = await gql(level, '{ elderlyCareInstitutions(first: 200) { totalCount edges { node { id } } } }');
    expect(institutions.body.errors).toBeUndefined();
    const stored = await count('SELECT count(*) AS n FROM civil_affairs.institution WHERE region_code LIKE $1', [`${prefix}%`]);
    expect(institutions.body.data!.elderlyCareInstitutions.totalCount).toBe(stored);
    expect(institutions.body.data!.elderlyCareInstitutions.edges).toHaveLength(stored);
  });

  it.each(PLACES)('lists the fixtures of %s by region filter only when inside its region', async (place) => {
    const persons = await gql(
      level,
      'query ($r: String) { persons(first: 5, filter: { regionCode: $r }) { totalCount edges { node { citizenId } } } }',
      {
        r: places[place],
      },
    );
    const institutions = await gql(
      level,
      'query ($r: String) { elderlyCareInstitutions(first: 200, filter: { regionCode: $r }) { edges { node { id } } } }',
      {
        r: places[place],
      },
    );
    expect(persons.body.errors).toBeUndefined();
    expect(institutions.body.errors).toBeUndefined();
    const personIds = persons.body.data!.persons.edges.map((e: Json) => e.node.citizenId);
    const institutionIds = institutions.body.data!.elderlyCareInstitutions.edges.map((e: Json) => e.node.id);
    if (inside(place)) {
      const stored = await count('SELECT count(*) AS n FROM public_security.person WHERE region_code = $1', [places[place]]);
      expect(persons.body.data!.persons.totalCount).toBe(stored);
      if (place !== 'home') expect(personIds).toContain(personAt[place]);
      expect(institutionIds).toContain(institutionAt[place]);
    } else {
      expect(persons.body.data!.persons).toEqual({ totalCount: 0, edges: [] });
      expect(institutionIds).toEqual([]);
    }
  });

  it('answers the statistics of the regions inside its scope, and refuses those of wider regions', async () => {
    const query = `query ($code: String!) { region(code: $code) { code population { resident } elderlyCare { facilities } } }`;
    const regionsOf = { city: '500000', district: '500103', street: places.home.slice(0, 9), community: places.home };
    const allowedLevels = LEVELS.slice(LEVELS.indexOf(level));
    for (const regionLevel of LEVELS) {
      const code = regionsOf[regionLevel];
      const { body } = await gql(level, query, { code });
      if (allowedLevels.includes(regionLevel)) {
        expect({ code, errors: body.errors }).toEqual({ code, errors: undefined });
        const prefix = regionLevel === 'city' ? '50' : code;
        const resident = await count(
          `SELECT count(*) AS n FROM public_security.person WHERE region_code LIKE $1 AND residence_type IN ('REGISTERED_RESIDENT', 'RESIDENT_ONLY')`,
          [`${prefix}%`],
        );
        const facilities = await count('SELECT count(*) AS n FROM civil_affairs.institution WHERE region_code LIKE $1', [
          `${prefix}%`,
        ]);
        expect(body.data!.region).toEqual({ code, population: { resident }, elderlyCare: { facilities } });
      } else {
        expect(body.data!.region).toEqual({ code, population: null, elderlyCare: null });
        expect(body.errors!.map((e) => [e.path!.join('.'), e.extensions!.code, e.extensions!.reason]).sort()).toEqual([
          ['region.elderlyCare', 'FORBIDDEN', 'OUTSIDE_REGION_SCOPE'],
          ['region.population', 'FORBIDDEN', 'OUTSIDE_REGION_SCOPE'],
        ]);
      }
    }
  });
});
