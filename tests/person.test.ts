/**
 * `person(citizenId)` across departments, through the real HTTP endpoint and a running sandbox: identity and
 * household from 公安, the elderly profile from 民政 (SQL exchange), health services from 卫健, insurance from 医保,
 * the card from 人社. Batching is asserted on the connector call counters; partial failure on one department.
 */
import { SHOWCASE } from '../seeds/showcase';
import { PersonOverviewDocument, ShowcaseInfantDocument, ShowcaseNurseryChildDocument } from './generated/graphql';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { startTestHub, type TestHub } from './helpers/hub';
import { departmentCalls } from './helpers/metrics';
import { startTcpProxy, viaProxy, type TcpProxy } from './helpers/tcp-proxy';

jest.setTimeout(60_000);

let departments: TestDepartments;
let hub: TestHub;
// Public security is reached through a proxy that records what the hub sends it.
let publicSecurity: TcpProxy;
let sentToPublicSecurity: Buffer[] = [];

beforeAll(async () => {
  departments = await startTestDepartments('person');
  const url = new URL(departments.connectorEnv.PUBLIC_SECURITY_URL!);
  publicSecurity = await startTcpProxy(url.hostname, Number(url.port), (chunk) => sentToPublicSecurity.push(chunk));
  hub = await startTestHub(
    { HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') },
    { ...departments.connectorEnv, PUBLIC_SECURITY_URL: viaProxy(url.toString(), publicSecurity) },
  );
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await publicSecurity?.close();
  await departments?.stop();
});

/** The JSON bodies of the `POST <path>` requests in HTTP/1.1 bytes a client sent. */
function postedBodies(bytes: Buffer, path: string): unknown[] {
  const text = bytes.toString('utf8');
  const bodies: unknown[] = [];
  for (const request of text.split(/(?=^POST )/m)) {
    if (!request.startsWith(`POST ${path} `)) continue;
    const [head, rest] = [request.slice(0, request.indexOf('\r\n\r\n')), request.slice(request.indexOf('\r\n\r\n') + 4)];
    const length = Number(/^content-length: *(\d+)/im.exec(head)![1]);
    bodies.push(JSON.parse(Buffer.from(rest, 'utf8').subarray(0, length).toString('utf8')));
  }
  return bodies;
}

/** Calls of one operation, of every outcome (a failed or timed-out call counts too). */
const calls = (connector: string, operation: string) => departmentCalls(hub, { connector, operation });

describe('person(citizenId)', () => {
  it('joins the showcase elderly person across five departments', async () => {
    const { body } = await hub.graphql(PersonOverviewDocument, { citizenId: SHOWCASE.ELDERLY.citizenId });
    expect(body.errors).toBeUndefined();
    const person = body.data!.person!;
    expect(person).toMatchObject({
      citizenId: SHOWCASE.ELDERLY.citizenId,
      sex: 'FEMALE',
      birthDate: '1938-03-15',
      region: { parent: { name: '解放碑街道' } },
      household: { residenceType: 'REGISTERED_RESIDENT' },
    });
    expect(person.age).toBeGreaterThanOrEqual(88);
    expect(person.elderlyProfile).toMatchObject({ minimumLiving: true, livingAlone: true });
    expect(person.elderlyProfile!.assessments!.map((a) => [a.level, a.assessedOn])).toEqual([
      [3, '2022-06-15'],
      [2, '2021-06-10'],
    ]);
    expect(person.elderlyProfile!.assessments![0]!.label).toContain('重度');
    expect(new Set(person.elderlyProfile!.subsidies!.map((s) => s.kind))).toEqual(
      new Set(['AGED_ALLOWANCE', 'NURSING_SUBSIDY', 'SERVICE_SUBSIDY']),
    );
    expect(person.elderlyProfile!.careArrangement).toMatchObject({
      kind: 'HOME_CARE_BED',
      institution: { name: expect.any(String) },
    });
    expect(person.health.familyDoctorContract).not.toBeNull();
    expect(person.health.annualChecks!.map((c) => c.year)).toEqual([2022, 2021]);
    expect(person.insurance).not.toBeNull();
  });

  it('returns an infant with vaccinations and no elderly profile', async () => {
    const { body } = await hub.graphql(PersonOverviewDocument, { citizenId: SHOWCASE.INFANT.citizenId });
    expect(body.errors).toBeUndefined();
    expect(body.data!.person!.elderlyProfile).toBeNull();
    const codes = body.data!.person!.health.vaccinations!.map((v) => v.vaccineCode);
    expect(codes).toEqual(expect.arrayContaining(['HepB', 'BCG']));
  });

  it('shows the showcase infant as managed on 2022-12-31, and no infant health once past 3', async () => {
    const { body } = await hub.graphql<
      {
        person: {
          health: {
            then: {
              managementStatus: string;
              newbornVisit: { doneOn: string | null };
              checks: Array<{ ageMonths: number; status: string }>;
            } | null;
            now: unknown;
          };
        };
      },
      Record<string, never>
    >(`{
      person(citizenId: "${SHOWCASE.INFANT.citizenId}") {
        health {
          then: infantHealth(asOf: "2022-12-31") { managementStatus newbornVisit { doneOn } checks { ageMonths status } vaccinations { vaccineCode } }
          now: infantHealth { managementStatus }
        }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const then = body.data!.person.health.then!;
    expect(then.managementStatus).toBe('MANAGED');
    expect(then.newbornVisit.doneOn).toEqual(expect.any(String));
    expect(then.checks.filter((c) => c.status === 'DONE').map((c) => c.ageMonths)).toEqual([1, 3, 6]);
    expect(body.data!.person.health.now).toBeNull();
  });

  it('returns null without an error for a valid citizen ID nobody is registered under', async () => {
    const { body } = await hub.graphql(PersonOverviewDocument, { citizenId: '11010519491231002X' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.person).toBeNull();
  });

  it.each([
    ['LENGTH', '5001031938031502'],
    ['FORMAT', '50010319380315026A'],
    ['BIRTH_DATE', '500103193802300261'],
    ['CHECK_DIGIT', '500103193803150262'],
  ])('rejects an invalid citizen ID (%s) with BAD_USER_INPUT before asking any department', async (problem, citizenId) => {
    const before = await departmentCalls(hub);
    const { body } = await hub.graphql(PersonOverviewDocument, { citizenId });
    expect(body.data!.person).toBeNull();
    expect(body.errors![0]).toMatchObject({
      path: ['person'],
      extensions: { code: 'BAD_USER_INPUT', field: 'citizenId', reason: `CITIZEN_ID_${problem}` },
    });
    expect(await departmentCalls(hub)).toBe(before);
  });

  it('batches: three people in one request make one call per department and entity', async () => {
    const ids = [SHOWCASE.ELDERLY.citizenId, SHOWCASE.INFANT.citizenId, SHOWCASE.NURSERY_CHILD.citizenId];
    const query = `query Three {
      ${ids.map((id, i) => `p${i}: person(citizenId: "${id}") { name elderlyProfile { livingAlone assessments { level } } health { vaccinations { dose } familyDoctorContract { team } } insurance { status } }`).join('\n')}
    }`;
    const operations = [
      ['public-security', 'person.batchGet'],
      ['civil-affairs', 'elderlyProfile.batchGet'],
      ['civil-affairs', 'capabilityAssessment.batchGet'],
      ['health', 'vaccination.batchGet'],
      ['health', 'familyDoctorContract.batchGet'],
      ['medical-insurance', 'enrolment.batchGet'],
    ] as const;
    const before = await Promise.all(operations.map(([c, o]) => calls(c, o)));
    const { body } = await hub.graphql(query);
    expect(body.errors).toBeUndefined();
    const after = await Promise.all(operations.map(([c, o]) => calls(c, o)));
    expect(after.map((n, i) => n - before[i]!)).toEqual(operations.map(() => 1));
  });

  it('with civil affairs down, returns everything else and errors at exactly the elderly-profile path', async () => {
    await departments.setFaults('civil-affairs', { errorRate: 1 });
    try {
      const { body } = await hub.graphql(PersonOverviewDocument, { citizenId: SHOWCASE.ELDERLY.citizenId });
      expect(body.data!.person!.name).toBeTruthy();
      expect(body.data!.person!.elderlyProfile).toBeNull();
      expect(body.data!.person!.health.familyDoctorContract).not.toBeNull();
      expect(body.errors!.map((e) => e.path)).toEqual([['person', 'elderlyProfile']]);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', connector: 'civil-affairs' });
    } finally {
      await departments.clearFaults('civil-affairs');
    }
  });
});

describe('showcase documents (README)', () => {
  it('ShowcaseInfant shows a managed infant with checks and vaccinations', async () => {
    const { body } = await hub.graphql(ShowcaseInfantDocument, { citizenId: SHOWCASE.INFANT.citizenId, asOf: '2022-12-31' });
    expect(body.errors).toBeUndefined();
    const infant = body.data!.person!.health.infantHealth!;
    expect(infant.managementStatus).toBe('MANAGED');
    expect(infant.checks).toHaveLength(9);
    expect(infant.vaccinations!.length).toBeGreaterThanOrEqual(10);
  });

  it('ShowcaseNurseryChild shows a child in a kindergarten 托班', async () => {
    const { body } = await hub.graphql(ShowcaseNurseryChildDocument, { citizenId: SHOWCASE.NURSERY_CHILD.citizenId });
    expect(body.errors).toBeUndefined();
    expect(body.data!.person!.childcare.nurseryClass!.kindergarten!.name).toEqual(expect.any(String));
    expect(body.data!.person!.health.vaccinations!.length).toBeGreaterThan(0);
  });
});

describe('persons(filter, first, after)', () => {
  const PERSONS = `query Persons($filter: PersonFilter!, $first: Int) {
    persons(filter: $filter, first: $first) {
      totalCount
      edges { node { citizenId age household { residenceType } elderlyProfile { livingAlone assessments { level } }
        health { familyDoctorContract { team } annualChecks { year } } childcare { nurseryClass { enrolledOn } } insurance { status } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type Persons = {
    persons: {
      totalCount: number;
      edges: Array<{ node: { citizenId: string; age: number; household: { residenceType: string } } }>;
    };
  };

  it('lists resident people aged 60+ in a street, with five departments joined in one call each', async () => {
    const [street] = await departments.query<{ code: string }>(
      'SELECT substr(region_code, 1, 9) AS code FROM public_security.person GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
    );
    const [{ n }] = (await departments.query<{ n: string }>(
      `SELECT count(*) AS n FROM public_security.person WHERE region_code LIKE $1 AND residence_type <> 'REGISTERED_ONLY'
         AND birth_date <= (current_date - interval '60 years')::date`,
      [`${street!.code}%`],
    )) as [{ n: string }];
    expect(Number(n)).toBeGreaterThan(0);
    const operations = [
      ['public-security', 'person.search'],
      ['civil-affairs', 'elderlyProfile.batchGet'],
      ['civil-affairs', 'capabilityAssessment.batchGet'],
      ['health', 'familyDoctorContract.batchGet'],
      ['health', 'elderlyHealthCheck.batchGet'],
      ['education', 'nurseryEnrolment.batchGet'],
      ['medical-insurance', 'enrolment.batchGet'],
    ] as const;
    const before = await Promise.all(operations.map(([c, o]) => calls(c, o)));
    const { body } = await hub.graphql<Persons, Record<string, unknown>>(PERSONS, {
      filter: { regionCode: street!.code, ageMin: 60, residence: 'RESIDENT' },
      first: 100,
    });
    expect(body.errors).toBeUndefined();
    const page = body.data!.persons;
    expect(page.totalCount).toBe(Number(n));
    expect(page.edges.length).toBe(Math.min(100, Number(n)));
    for (const { node } of page.edges) {
      expect(node.age).toBeGreaterThanOrEqual(60);
      expect(node.household.residenceType).not.toBe('REGISTERED_ONLY');
    }
    const after = await Promise.all(operations.map(([c, o]) => calls(c, o)));
    expect(after.map((count, i) => count - before[i]!)).toEqual(operations.map(() => 1));
  });

  it.each([
    ['an empty age range', { ageMin: 70, ageMax: 60 }, 'filter.ageMin', 'EMPTY_AGE_RANGE'],
    ['a negative age', { ageMin: -1 }, 'filter.ageMin', 'AGE_OUT_OF_RANGE'],
    ['a malformed region', { regionCode: 'x' }, 'filter.regionCode', 'MALFORMED_REGION_CODE'],
  ])('rejects %s with BAD_USER_INPUT', async (_label, filter, field, reason) => {
    const { body } = await hub.graphql<Persons, Record<string, unknown>>(PERSONS, { filter, first: 10 });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, reason });
  });

  it('caps first at 200 with a clear error', async () => {
    const { body } = await hub.graphql<Persons, Record<string, unknown>>(PERSONS, { filter: {}, first: 201 });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first', reason: 'PAGE_TOO_LARGE' });
  });
});

describe('persons: projection push-down to public security (issue 13)', () => {
  const NODE = `citizenId sex birthDate age region { code }
    household { householdId address headCitizenId relationToHead residenceType registeredOn } health { annualChecks { year } }`;

  it('asks for the fields the query reads, and answers them as the whole record does', async () => {
    sentToPublicSecurity = [];
    const { body } = await hub.graphql<{ persons: { edges: Array<{ node: { citizenId: string } }> } }, Record<string, never>>(
      `{ persons(filter: { regionCode: "500103", ageMin: 60 }, first: 5) { edges { node { ${NODE} } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const [search, ...more] = postedBodies(Buffer.concat(sentToPublicSecurity), '/v1/person:search') as Array<{
      fields?: string[];
    }>;
    expect(more).toHaveLength(0);
    // The selected fields, the record's key and id (citizenId) and updatedAt: no name, phone or ethnicity.
    expect([...search!.fields!].sort()).toEqual(
      [
        'address',
        'birthDate',
        'citizenId',
        'householdHeadId',
        'householdId',
        'regionCode',
        'registeredOn',
        'relationToHead',
        'residenceType',
        'sex',
        'updatedAt',
      ].sort(),
    );
    const nodes = body.data!.persons.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(5);
    // The same people looked up one by one (a batchGet of whole records) answer the same.
    const lookups = await hub.graphql<Record<string, unknown>, Record<string, never>>(
      `{ ${nodes.map((node, i) => `p${i}: person(citizenId: "${node.citizenId}") { ${NODE} }`).join(' ')} }`,
    );
    expect(lookups.body.errors).toBeUndefined();
    expect(nodes).toEqual(nodes.map((_node, i) => lookups.body.data![`p${i}`]));
  });
});

describe('persons with elderly criteria (民政 roster)', () => {
  const ELDERLY = `query Elderly($filter: PersonFilter!, $first: Int) {
    persons(filter: $filter, first: $first) {
      totalCount
      edges { node { citizenId name elderlyProfile { livingAlone minimumLiving assessments { level assessedOn } } } }
    }
  }`;
  type Elderly = {
    persons: {
      totalCount: number;
      edges: Array<{
        node: {
          citizenId: string;
          name: string;
          elderlyProfile: {
            livingAlone: boolean;
            minimumLiving: boolean;
            assessments: Array<{ level: number; assessedOn: string }>;
          };
        };
      }>;
    };
  };

  it('lists the elderly living alone in the district: exact totalCount, two department calls per page', async () => {
    const [{ n }] = (await departments.query<{ n: string }>(
      "SELECT count(*) AS n FROM civil_affairs.elderly_profile WHERE living_alone AND region_code LIKE '500103%'",
    )) as [{ n: string }];
    expect(Number(n)).toBeGreaterThan(0);
    const before = await Promise.all([
      calls('civil-affairs', 'elderlyProfile.search'),
      calls('public-security', 'person.batchGet'),
    ]);
    const { body } = await hub.graphql<Elderly, Record<string, unknown>>(ELDERLY, {
      filter: { regionCode: '500103', elderly: { livingAlone: true } },
      first: 50,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.persons.totalCount).toBe(Number(n));
    expect(body.data!.persons.edges.length).toBe(Math.min(50, Number(n)));
    expect(body.data!.persons.edges.every((e) => e.node.elderlyProfile.livingAlone)).toBe(true);
    const after = await Promise.all([
      calls('civil-affairs', 'elderlyProfile.search'),
      calls('public-security', 'person.batchGet'),
    ]);
    expect(after.map((count, i) => count - before[i]!)).toEqual([1, 1]);
  });

  it('finds the showcase elderly person by 低保, 独居 and 失能 level 3 in her street', async () => {
    const { body } = await hub.graphql<Elderly, Record<string, unknown>>(ELDERLY, {
      filter: {
        regionCode: '500103003',
        ageMin: 80,
        elderly: { minimumLiving: true, livingAlone: true, disabilityLevelAtLeast: 3 },
      },
      first: 200,
    });
    expect(body.errors).toBeUndefined();
    const ids = body.data!.persons.edges.map((e) => e.node.citizenId);
    expect(ids).toContain(SHOWCASE.ELDERLY.citizenId);
    for (const { node } of body.data!.persons.edges) {
      const latest = [...node.elderlyProfile.assessments].sort((a, b) => b.assessedOn.localeCompare(a.assessedOn))[0]!;
      expect(latest.level).toBeGreaterThanOrEqual(3);
    }
  });

  it.each([
    [
      'a residence filter',
      { residence: 'REGISTERED', elderly: { livingAlone: true } },
      'filter.elderly',
      'UNSUPPORTED_COMBINATION',
    ],
    [
      'a level out of range',
      { elderly: { disabilityLevelAtLeast: 5 } },
      'filter.elderly.disabilityLevelAtLeast',
      'LEVEL_OUT_OF_RANGE',
    ],
  ])('rejects %s with BAD_USER_INPUT', async (_label, filter, field, reason) => {
    const { body } = await hub.graphql<Elderly, Record<string, unknown>>(ELDERLY, { filter, first: 10 });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, reason });
  });
});
