/**
 * Indicators through the HTTP endpoint, on a small hand-made data set in the sandbox departments (every
 * expected figure below is worked out by hand from the rows inserted here, never from the engine). Reference
 * date 2022-12-31. Streets A = 500103001 (communities A1 …003, A2 …011), B = 500103003 (B1 …016).
 */
import { createHmac } from 'node:crypto';
import { makeCitizenId } from '../domain/citizen-id';
import { CONNECTOR_NAMES } from '../connectors/department-interface';
import { createConsumer } from '../resolvers/consumers';
import { scrapeMetrics } from './helpers/metrics';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { consumerHeaders, DEMO_HEADERS, startTestHub, TEST_AUDIT_HMAC_KEY, type TestHub } from './helpers/hub';

jest.setTimeout(60_000);

const A = '500103001';
const B = '500103003';
const A1 = `${A}003`;
const A2 = `${A}011`;
const B1 = `${B}016`;

const id = (birth: string, seq: number, sex: 'M' | 'F' = 'F') => makeCitizenId('500103', birth, seq, sex);
const P1 = id('1940-01-01', 1);
const P2 = id('1950-01-01', 2);
const P3 = id('1955-01-01', 3);
const P4 = id('1990-01-01', 4);
const P5 = id('2021-03-01', 5);
const P6 = id('2020-06-01', 6);
const P7 = id('1962-12-31', 7);
const P8 = id('1963-01-01', 8);
const P9 = id('1945-01-01', 9);
const E4 = id('1948-01-01', 10);
const E5 = id('1949-01-01', 11);
const E6 = id('1947-01-01', 12);

let departments: TestDepartments;
let hub: TestHub;
const keys: Record<string, string> = {};

async function loadHandMadeData() {
  const q = (sql: string, values?: unknown[]) => departments.query(sql, values);
  await q(`TRUNCATE civil_affairs.meal_assistance, civil_affairs.care_arrangement, civil_affairs.monthly_visit, civil_affairs.subsidy,
           civil_affairs.capability_assessment, civil_affairs.elderly_profile, civil_affairs.institution CASCADE`);
  await q(
    `TRUNCATE health.childcare_enrolment, health.childcare_institution, health.infant_visit, health.birth_certificate CASCADE`,
  );
  await q(`TRUNCATE education.nursery_enrolment, education.kindergarten CASCADE`);
  await q(`TRUNCATE public_security.birth_registration, public_security.person CASCADE`);
  const person = (citizen: string, birth: string, region: string, residence: string) =>
    q(
      `INSERT INTO public_security.person (citizen_id, name, sex, birth_date, region_code, address, household_id, household_head_id, relation_to_head, residence_type, registered_on)
       VALUES ($1::text, '测试', 'F', $2::date, $3::text, '重庆市渝中区测试路1号', $1::text, $1::text, '户主', $4::text, '2000-01-01')`,
      [citizen, birth, region, residence],
    );
  await person(P1, '1940-01-01', A1, 'REGISTERED_RESIDENT');
  await person(P2, '1950-01-01', A1, 'RESIDENT_ONLY');
  await person(P3, '1955-01-01', A2, 'REGISTERED_ONLY');
  await person(P4, '1990-01-01', A2, 'REGISTERED_RESIDENT');
  await person(P5, '2021-03-01', B1, 'REGISTERED_RESIDENT');
  await person(P6, '2020-06-01', B1, 'RESIDENT_ONLY');
  await person(P7, '1962-12-31', B1, 'REGISTERED_RESIDENT');
  await person(P8, '1963-01-01', B1, 'REGISTERED_RESIDENT');
  await person(P9, '1945-01-01', B1, 'REGISTERED_ONLY');

  const facility = (
    fid: string,
    kind: string,
    subtype: string | null,
    ownership: string,
    region: string,
    beds: [number, number, number],
  ) =>
    q(
      `INSERT INTO civil_affairs.institution (institution_id, name, kind, subtype, ownership, operator, region_code, address, care_modes,
         beds_total, beds_nursing, beds_safety_net, beds_inclusive, beds_occupied, medical_contract)
       VALUES ($1::text, $1::text, $2::text, $3::text, $4::text, '运营方', $5::text, '地址', ARRAY['FULL_TIME'], $6::int, $7::int, $8::int, 0, 0, true)`,
      [fid, kind, subtype, ownership, region, ...beds],
    );
  await facility('F1', 'FULL_CARE_INSTITUTION', null, 'PUBLIC', A1, [10, 4, 10]);
  await facility('F2', 'FULL_CARE_INSTITUTION', null, 'PRIVATE', B1, [20, 6, 0]);
  await facility('SC_A', 'STREET_CENTRE', null, 'PRIVATE', `${A}000`, [10, 2, 0]);
  await facility('CS1', 'COMMUNITY_STATION', null, 'PRIVATE', A1, [0, 0, 0]);
  await facility('CS2', 'COMMUNITY_STATION', null, 'PUBLIC', A2, [0, 0, 0]);
  await facility('CANTEEN', 'SUPPORTING_FACILITY', 'COMMUNITY_CANTEEN', 'PRIVATE', A2, [0, 0, 0]);

  const profile = (
    citizen: string,
    region: string,
    birth: string,
    flags: { sh?: boolean; ml?: boolean; alone?: boolean },
    level: number | null,
  ) =>
    q(
      `INSERT INTO civil_affairs.elderly_profile (citizen_id, special_hardship, minimum_living, economic_difficulty, living_alone, empty_nest,
         family_planning_special, region_code, birth_date, sex, capability_level)
       VALUES ($1::text, $2::boolean, $3::boolean, $2::boolean OR $3::boolean, $4::boolean, $4::boolean, false, $5::text, $6::date, 'F', $7::int)`,
      [citizen, flags.sh ?? false, flags.ml ?? false, flags.alone ?? false, region, birth, level],
    );
  await profile(P1, A1, '1940-01-01', { sh: true }, 3);
  await profile(P2, A1, '1950-01-01', { sh: true }, 2);
  await profile(P7, B1, '1962-12-31', { ml: true }, null);
  await profile(E4, B1, '1948-01-01', { alone: true }, 1);
  await profile(E5, A2, '1949-01-01', {}, null);
  await profile(E6, A2, '1947-01-01', { alone: true }, 0);
  // P2 (特困, level 2, at home) declined central care; P1's willingness is not recorded (counted as willing).
  await q(`UPDATE civil_affairs.elderly_profile SET central_care_willing = false WHERE citizen_id = $1`, [P2]);
  const care = (citizen: string, kind: string, institution: string, since: string) =>
    q(`INSERT INTO civil_affairs.care_arrangement (citizen_id, kind, institution_id, since) VALUES ($1, $2, $3, $4)`, [
      citizen,
      kind,
      institution,
      since,
    ]);
  await care(P1, 'INSTITUTION', 'F1', '2021-05-01');
  await care(P7, 'HOME_CARE_BED', 'SC_A', '2022-03-01');
  await care(E5, 'INSTITUTION', 'F2', '2020-01-01');
  await q(
    `INSERT INTO civil_affairs.subsidy (subsidy_id, citizen_id, kind, amount_yuan, period_start, period_end) VALUES
           ('S1', $1, 'SERVICE_SUBSIDY', 100, '2022-01-01', '2022-06-30'), ('S2', $2, 'SERVICE_SUBSIDY', 100, '2020-01-01', '2021-12-31')`,
    [P2, E4],
  );
  const visit = (vid: string, citizen: string, month: string) =>
    q(
      `INSERT INTO civil_affairs.monthly_visit (visit_id, citizen_id, month, visited_on, visitor_org) VALUES ($1::text, $2::text, $3::date, $3::date, '社工站')`,
      [vid, citizen, month],
    );
  await visit('V1', P2, '2022-12-01');
  await visit('V2', P7, '2022-12-01');
  await visit('V3', P1, '2022-12-01');
  await visit('V4', E4, '2022-11-01');

  const childcare = (cid: string, region: string, authority: string, status: string, places: number) =>
    q(
      `INSERT INTO health.childcare_institution (institution_id, name, region_code, address, operator, registration_authority, filing_number,
         filing_status, service_types, places, inclusive, enrolled, staff_total, staff_certified, medical_contract)
       VALUES ($1::text, $1::text, $2::text, '地址', '运营方', $3::text, CASE WHEN $4::text = 'FILED' THEN 'B-' || $1::text END, $4::text, ARRAY['FULL_DAY'], $5::int, true, 0, 1, 1, true)`,
      [cid, region, authority, status, places],
    );
  await childcare('C1', A1, 'PUBLIC_SECTOR', 'FILED', 10);
  await childcare('C2', B1, 'MARKET_REGULATION', 'FILED', 20);
  await childcare('C3', A1, 'PUBLIC_SECTOR', 'PENDING', 50);
  await q(
    `INSERT INTO education.kindergarten (kindergarten_id, name, region_code, address, ownership, inclusive, nursery_class_places, nursery_class_enrolled)
           VALUES ('K1', 'K1', $1, '地址', 'PUBLIC', true, 5, 0), ('K2', 'K2', $2, '地址', 'PRIVATE', true, 7, 0)`,
    [A2, B1],
  );

  const certificate = (child: string, birth: string) =>
    q(
      `INSERT INTO health.birth_certificate (certificate_number, child_name, sex, birth_date, birth_weight_g, hospital, mother_citizen_id, region_code, child_citizen_id)
       VALUES ('Q' || $1::text, '婴儿', 'F', $2::date, 3200, '医院', $3::text, $4::text, $1::text)`,
      [child, birth, P4, B1],
    );
  await certificate(P5, '2021-03-01');
  await certificate(P6, '2020-06-01');
  const infantVisit = (child: string, age: number, done: string | null) =>
    q(
      `INSERT INTO health.infant_visit (visit_id, citizen_id, kind, age_months, done_on, organisation) VALUES ($1::text || '-' || $2::int, $1::text, $3::text, $2::int, $4::date, '中心')`,
      [child, age, age === 0 ? 'NEWBORN_HOME_VISIT' : 'CHECK', done],
    );
  // P5 (born 2021-03-01): everything due is done → MANAGED. P6 (born 2020-06-01): the 24-month check (due
  // 2022-06-01) was not done and is more than a month overdue → NOT_MANAGED.
  for (const age of [0, 1, 3, 6, 8, 12, 18]) await infantVisit(P5, age, '2022-01-01');
  for (const age of [0, 1, 3, 6, 8, 12, 18]) await infantVisit(P6, age, '2021-01-01');
  await infantVisit(P6, 24, null);
}

const VALUES = `query Values($codes: [String!], $regionCodes: [String!], $regionLevel: RegionLevel, $parentCode: String, $periods: [String!]!, $basis: PopulationBasis) {
  indicatorValues(codes: $codes, regionCodes: $regionCodes, regionLevel: $regionLevel, parentCode: $parentCode, periods: $periods, basis: $basis) {
    indicator { code version } regionCode period value numerator denominator basis status notes baseline target targetYear attainment targetStatus
    differenceFromBaseline definitionVersion runId identityChecks { holds value parts } inputs { metric kind connector cache }
  }
}`;

type Row = {
  indicator: { code: string; version: number };
  regionCode: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  basis: string | null;
  status: string;
  notes: string[];
  baseline: number | null;
  target: number | null;
  targetYear: number | null;
  attainment: number | null;
  targetStatus: string;
  differenceFromBaseline: number | null;
  definitionVersion: number;
  runId: string;
  identityChecks: Array<{ holds: boolean; value: number | null; parts: number | null }>;
  inputs: Array<{ metric: string; kind: string; connector: string | null; cache: string | null }>;
};

async function values(variables: Record<string, unknown>, headers?: Record<string, string>) {
  const response = await hub.graphql<{ indicatorValues: Row[] | null }, Record<string, unknown>>(VALUES, variables, headers);
  return response;
}
async function rows(variables: Record<string, unknown>, headers?: Record<string, string>): Promise<Row[]> {
  const response = await values(variables, headers);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.indicatorValues!;
}
const find = (list: Row[], code: string, region = '500103', period = '2022') => {
  const row = list.find((r) => r.indicator.code === code && r.regionCode === region && r.period === period);
  if (!row) throw new Error(`no row ${code} ${region} ${period}`);
  return row;
};

/**
 * Every department's cached aggregates retired, as a department's change notice retires them (on every instance):
 * through the mutation a department calls, as the demo consumer (an administrator).
 */
async function forgetAggregates() {
  for (const connector of CONNECTOR_NAMES) {
    const { body } = await hub.graphql<unknown, unknown>(
      'mutation Changed($c: String!) { notifyDepartmentChange(connector: $c) }',
      {
        c: connector,
      },
    );
    expect(body.errors).toBeUndefined();
  }
}

/** Department calls for aggregates so far, per connector (single and batched). */
async function aggregateCalls(): Promise<Record<string, number>> {
  const metrics = await scrapeMetrics(hub);
  return Object.fromEntries(
    CONNECTOR_NAMES.map((connector) => [
      connector,
      metrics.samples
        .filter(
          (m) =>
            m.name === 'hub_connector_requests_total' &&
            m.labels.connector === connector &&
            (m.labels.operation === 'aggregates.batch' || m.labels.operation!.endsWith('.aggregate')),
        )
        .reduce((total, m) => total + m.value, 0),
    ]),
  );
}

beforeAll(async () => {
  departments = await startTestDepartments('indicators', 0.0005);
  await loadHandMadeData();
  hub = await startTestHub(
    { HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml'), HUB_INDICATOR_CACHE_TTL_MS: '600000' },
    departments.connectorEnv,
  );
  await forgetAggregates();
  // The hub database may be an earlier run's (DATABASE_URL is never dropped): only this file reports values.
  await hub.prisma.indicatorReportedValue.deleteMany();
  const suffix = Date.now().toString(36);
  const register = async (name: string, input: Record<string, unknown>) => {
    const { apiKey } = await createConsumer(hub.prisma, {
      code: `${name}-${suffix}`,
      name,
      department: '测试 Test',
      ...input,
    } as never);
    keys[name] = apiKey;
  };
  await register('stats', { purposes: ['STATISTICS'], grants: [{ item: 'PS_POPULATION_STATISTICS' }] });
  await register('street-a', { purposes: ['STATISTICS'], regionCode: A, grants: [] });
  await register('reporter-a', { purposes: ['STATISTICS'], regionCode: A, roles: ['REPORTER'], grants: [] });
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

describe('the 21 rules on hand-made data (district 500103, 2022)', () => {
  let district: Row[];
  beforeAll(async () => {
    district = await rows({ regionCodes: ['500103'], periods: ['2022'] });
  });

  it("answers all 21 indicators, in the plan's order, with the fixed codes", () => {
    expect(district.map((r) => r.indicator.code)).toEqual([
      'ELDERLY_CARE_BEDS',
      'BEDS_PER_1000_ELDERLY',
      'NURSING_BEDS',
      'STREET_CENTRES',
      'SAFETY_NET_BEDS',
      'COMMUNITY_STATIONS',
      'HOME_CARE_BEDS',
      'NURSING_BED_SHARE',
      'GOVERNMENT_OPERATED_BED_SHARE',
      'SOCIALLY_OPERATED_FACILITY_RATE',
      'DISABLED_SPECIAL_HARDSHIP_CENTRAL_CARE_RATE',
      'MEAL_ASSISTANCE_COMMUNITY_COVERAGE',
      'BASIC_ELDERLY_SERVICE_COVERAGE',
      'MONTHLY_VISIT_RATE',
      'NEW_RESIDENTIAL_AREA_FACILITY_COMPLIANCE',
      'CARE_WORKER_TRAINING',
      'IT_SERVICE_COMMUNITY_COVERAGE',
      'CHILDCARE_PLACES_PER_1000',
      'CHILDCARE_PLACES',
      'PUBLIC_CHILDCARE_PLACES',
      'INFANT_HEALTH_MANAGEMENT_RATE',
    ]);
  });

  it('facilities and beds (rows 1, 3-6, 8-10)', () => {
    // beds 10 + 20 + 10 = 40; nursing 4 + 6 + 2 = 12; safety-net 10; public beds 10 (F1).
    expect(find(district, 'ELDERLY_CARE_BEDS')).toMatchObject({ value: 40, numerator: 40, denominator: null, status: 'OK' });
    expect(find(district, 'NURSING_BEDS').value).toBe(12);
    expect(find(district, 'STREET_CENTRES').value).toBe(1);
    expect(find(district, 'SAFETY_NET_BEDS').value).toBe(10);
    expect(find(district, 'COMMUNITY_STATIONS').value).toBe(2);
    expect(find(district, 'NURSING_BED_SHARE')).toMatchObject({ value: 30, numerator: 12, denominator: 40 });
    expect(find(district, 'GOVERNMENT_OPERATED_BED_SHARE')).toMatchObject({ value: 25, numerator: 10, denominator: 40 });
    // F1 public, F2 private, SC_A private, CS1 private, CS2 public: 3 of 5 socially operated (the canteen is not a care kind).
    expect(find(district, 'SOCIALLY_OPERATED_FACILITY_RATE')).toMatchObject({ value: 60, numerator: 3, denominator: 5 });
  });

  it('beds per 1000 elderly: RESIDENT by default, REGISTERED on request (row 2)', async () => {
    // Resident 60+ on 2022-12-31: P1, P2, P7 (born 1962-12-31) = 3; registered 60+: P1, P3, P7, P9 = 4.
    expect(find(district, 'BEDS_PER_1000_ELDERLY')).toMatchObject({
      value: 13333.3,
      numerator: 40,
      denominator: 3,
      basis: 'RESIDENT',
    });
    const registered = await rows({
      codes: ['BEDS_PER_1000_ELDERLY'],
      regionCodes: ['500103'],
      periods: ['2022'],
      basis: 'REGISTERED',
    });
    expect(registered).toEqual([expect.objectContaining({ value: 10000, denominator: 4, basis: 'REGISTERED' })]);
  });

  it("home-care beds are placed by the elderly person's region, not the serving centre's (row 7)", async () => {
    expect(find(district, 'HOME_CARE_BEDS').value).toBe(1);
    const streets = await rows({ codes: ['HOME_CARE_BEDS'], regionCodes: [A, B], periods: ['2022'] });
    expect(streets.map((r) => [r.regionCode, r.numerator])).toEqual([
      [A, 0],
      [B, 1],
    ]);
  });

  it('central care of disabled 特困 (row 11): in an institution / level ≥ 2 who have not declined it', () => {
    expect(find(district, 'DISABLED_SPECIAL_HARDSHIP_CENTRAL_CARE_RATE')).toMatchObject({
      value: 100,
      numerator: 1,
      denominator: 1,
    });
  });

  it('meal-assistance community coverage (row 12): communities with a canteen / communities of the tree', async () => {
    const communities = await hub.prisma.region.count({ where: { level: 'COMMUNITY', code: { startsWith: '500103' } } });
    expect(communities).toBeGreaterThan(1);
    const row = find(district, 'MEAL_ASSISTANCE_COMMUNITY_COVERAGE');
    expect(row).toMatchObject({ numerator: 1, denominator: communities, value: Math.round(1000 / communities) / 10 });
  });

  it('basic elderly service coverage (row 13): served during 2022 / in special difficulty', () => {
    // In special difficulty: P1, P2 (特困), P7 (低保), E4, E6 (独居) = 5. Served in 2022: P1 (institution), P2
    // (subsidy to 2022-06-30), P7 (home-care bed), E4 (its subsidy ended 2021-12-31, but a visit in November); E6 nothing.
    expect(find(district, 'BASIC_ELDERLY_SERVICE_COVERAGE')).toMatchObject({ value: 80, numerator: 4, denominator: 5 });
  });

  it('monthly visit rate (row 14): monthly periods only; a month without records is NO_DATA', async () => {
    // At home and in special difficulty: P2, P7, E4, E6 (P1 lives in F1) = 4. December: P2, P7 visited (P1's visit is
    // in an institution); November: E4; January: no visit records at all.
    const months = await rows({
      codes: ['MONTHLY_VISIT_RATE'],
      regionCodes: ['500103'],
      periods: ['202212', '202211', '202201', '2022'],
    });
    expect(months.map((r) => [r.period, r.status, r.value, r.numerator, r.denominator])).toEqual([
      ['202212', 'OK', 50, 2, 4],
      ['202211', 'OK', 25, 1, 4],
      ['202201', 'NO_DATA', null, null, 4],
      ['2022', 'NO_DATA', null, null, null],
    ]);
  });

  it('childcare places, public places and places per 1000 (rows 18-20), with the identity checked', () => {
    // Filed: C1 10 + C2 20 (C3 is pending); kindergartens 5 + 7; residents P1, P2, P4, P5, P6, P7, P8 = 7.
    expect(find(district, 'CHILDCARE_PLACES')).toMatchObject({
      value: 42,
      identityChecks: [{ holds: true, value: 42, parts: 42 }],
    });
    expect(find(district, 'PUBLIC_CHILDCARE_PLACES').value).toBe(15);
    expect(find(district, 'CHILDCARE_PLACES_PER_1000')).toMatchObject({ value: 6000, numerator: 42, denominator: 7 });
  });

  it('infant health management rate (row 21): MANAGED under-3s / resident under-3s', () => {
    expect(find(district, 'INFANT_HEALTH_MANAGEMENT_RATE')).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
  });

  it('reported indicators without a report are NO_DATA (rows 15-17)', () => {
    expect(find(district, 'CARE_WORKER_TRAINING')).toMatchObject({ status: 'NO_DATA', value: null });
  });

  it('carries the published baseline, the 2025 target, attainment and the difference', () => {
    // Row 1: baseline 1915, target 4000: (40 - 1915) / (4000 - 1915) < 0 → BEHIND.
    const beds = find(district, 'ELDERLY_CARE_BEDS');
    expect(beds).toMatchObject({
      baseline: 1915,
      target: 4000,
      targetYear: 2025,
      differenceFromBaseline: 40 - 1915,
      targetStatus: 'BEHIND',
    });
    expect(beds.attainment).toBeCloseTo((40 - 1915) / (4000 - 1915), 6);
    // Row 9 decreases towards 30: 25 ≤ 30 is MET.
    expect(find(district, 'GOVERNMENT_OPERATED_BED_SHARE').targetStatus).toBe('MET');
  });

  it('streets under a parent in one call, one department call per metric set', async () => {
    await forgetAggregates();
    const streets = await rows({
      codes: ['ELDERLY_CARE_BEDS', 'NURSING_BEDS'],
      parentCode: '500103',
      regionLevel: 'STREET',
      periods: ['2022'],
    });
    expect(new Set(streets.map((r) => r.regionCode)).size).toBe(11);
    expect(find(streets, 'ELDERLY_CARE_BEDS', A).value).toBe(20); // F1 10 + SC_A 10
    expect(find(streets, 'ELDERLY_CARE_BEDS', B).value).toBe(20);
    const run = await hub.prisma.indicatorRun.findUnique({ where: { id: streets[0]!.runId } });
    const event = run!.event as { inputs: Array<{ name: string; facets: { cache: string } }> };
    expect(event.inputs.map((i) => [i.name, i.facets.cache])).toEqual([['beds', 'MISS']]);
    const again = await rows({ codes: ['ELDERLY_CARE_BEDS'], parentCode: '500103', regionLevel: 'STREET', periods: ['2022'] });
    expect(again[0]!.inputs).toEqual([expect.objectContaining({ connector: 'civil-affairs', cache: 'HIT' })]);
  });

  it('all 21 rows for the district and its 11 streets cost one department call per connector', async () => {
    await forgetAggregates();
    const before = await aggregateCalls();
    const list = await rows({ regionCodes: ['500103'], parentCode: '500103', regionLevel: 'STREET', periods: ['2022'] });
    const after = await aggregateCalls();
    expect(Object.fromEntries(CONNECTOR_NAMES.map((c) => [c, after[c]! - before[c]!]))).toEqual({
      'public-security': 1,
      health: 1,
      'civil-affairs': 1,
      education: 1,
      'medical-insurance': 0,
      'social-security': 0,
    });
    expect(list).toHaveLength(21 * 12);
    const run = await hub.prisma.indicatorRun.findUnique({ where: { id: list[0]!.runId } });
    const event = run!.event as { inputs: Array<{ namespace: string; name: string; facets: { cache: string } }> };
    // Facilities and beds (rows 1-6, 8-10, 12), elderly status (7, 11, 13), services of 2022 (13), population (2, 18, 21),
    // childcare institutions and managed infants (19-21), nursery classes (19, 20): seven aggregates, each fetched once.
    expect(event.inputs.map((i) => `${i.namespace}/${i.name}:${i.facets.cache}`).sort()).toEqual([
      'connector:civil-affairs/basicServices:MISS',
      'connector:civil-affairs/beds:MISS',
      'connector:civil-affairs/elderlyStatus:MISS',
      'connector:education/nurseryPlaces:MISS',
      'connector:health/childcarePlaces:MISS',
      'connector:health/infantManagement:MISS',
      'connector:public-security/population:MISS',
    ]);
  });
});

describe('periods', () => {
  it('resolves relative periods against the reference date 2022-12-31', async () => {
    const list = await rows({
      codes: ['ELDERLY_CARE_BEDS'],
      regionCodes: ['500103'],
      periods: ['THIS_YEAR', 'LAST_YEAR', 'THIS_QUARTER', 'THIS_MONTH', '2023'],
    });
    expect(list.map((r) => [r.period, r.status, r.value])).toEqual([
      ['2022', 'OK', 40],
      ['2021', 'NO_DATA', null], // the register is the state of the reference year
      ['2022Q4', 'OK', 40],
      ['202212', 'OK', 40],
      ['2023', 'NO_DATA', null],
    ]);
  });

  it('refuses a malformed period, code or region with BAD_USER_INPUT naming the argument', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ regionCodes: ['500103'], periods: ['2022', '2022Q5'] }, 'periods.1', 'MALFORMED_PERIOD'],
      [{ regionCodes: ['500103'], periods: ['202213'] }, 'periods.0', 'MALFORMED_PERIOD'],
      [{ codes: ['NO_SUCH'], regionCodes: ['500103'], periods: ['2022'] }, 'codes.0', 'UNKNOWN_INDICATOR'],
      [{ regionCodes: ['5001'], periods: ['2022'] }, 'regionCodes.0', 'MALFORMED_REGION_CODE'],
      [{ regionCodes: ['500199'], periods: ['2022'] }, 'regionCodes.0', 'UNKNOWN_REGION'],
      [{ periods: ['2022'] }, 'regionCodes', 'NO_REGION'],
    ];
    const runsBefore = await hub.prisma.indicatorRun.count();
    const answers = await Promise.all(cases.map(([variables]) => values(variables)));
    expect(answers.map((a) => a.body.errors?.[0]?.extensions)).toEqual(
      cases.map(([, field, reason]) => expect.objectContaining({ code: 'BAD_USER_INPUT', field, reason })),
    );
    expect(await hub.prisma.indicatorRun.count()).toBe(runsBefore);
  });
});

describe('access: suppression and region scope', () => {
  it('suppresses small counts of people below district level for a statistics consumer, not at district level', async () => {
    const headers = consumerHeaders(keys.stats!, 'STATISTICS');
    const list = await rows(
      { codes: ['MONTHLY_VISIT_RATE', 'ELDERLY_CARE_BEDS'], regionCodes: ['500103', B], periods: ['202212'] },
      headers,
    );
    expect(list.map((r) => [r.indicator.code, r.regionCode, r.status, r.value, r.numerator])).toEqual([
      ['MONTHLY_VISIT_RATE', '500103', 'OK', 50, 2],
      ['MONTHLY_VISIT_RATE', B, 'SUPPRESSED', null, null], // 1 of 2 people in street B
      ['ELDERLY_CARE_BEDS', '500103', 'OK', 40, 40],
      ['ELDERLY_CARE_BEDS', B, 'OK', 20, 20], // beds are not people
    ]);
    // The demo consumer reads records: nothing suppressed.
    const demo = await rows({ codes: ['MONTHLY_VISIT_RATE'], regionCodes: [B], periods: ['202212'] });
    expect(demo[0]).toMatchObject({ status: 'OK', value: 50, numerator: 1, denominator: 2 });
  });

  it('gives a consumer with a region scope only the regions inside it', async () => {
    const list = await rows(
      { codes: ['ELDERLY_CARE_BEDS'], parentCode: '500103', regionLevel: 'STREET', periods: ['2022'] },
      consumerHeaders(keys['street-a']!, 'STATISTICS'),
    );
    expect(list.map((r) => [r.regionCode, r.value])).toEqual([[A, 20]]);
    const district = await rows(
      { codes: ['ELDERLY_CARE_BEDS'], regionCodes: ['500103'], periods: ['2022'] },
      consumerHeaders(keys['street-a']!, 'STATISTICS'),
    );
    expect(district).toEqual([]);
  });
});

describe('definitions, reported values and runs', () => {
  const EDIT = `mutation Edit($code: String!, $changes: IndicatorDefinitionChanges!, $note: String!) {
    updateIndicatorDefinition(code: $code, changes: $changes, changeNote: $note) { code version decimals numerator }
  }`;
  const REPORT = `mutation Report($code: String!, $region: String!, $period: String!, $value: Float!, $evidence: String!) {
    reportIndicatorValue(code: $code, regionCode: $region, period: $period, value: $value, evidence: $evidence) { id code value reportedBy }
  }`;

  it('an edit by an administrator makes a new version, audited, and values say which version computed them', async () => {
    const before = await hub.graphql<{ indicators: Array<{ code: string; version: number }> }, unknown>(
      `{ indicators(codes: ["NURSING_BED_SHARE"]) { code version } }`,
    );
    const version = before.body.data!.indicators[0]!.version;
    const edited = await hub.graphql<{ updateIndicatorDefinition: { version: number; decimals: number } }, unknown>(EDIT, {
      code: 'NURSING_BED_SHARE',
      changes: { decimals: 2 },
      note: '按两位小数发布 publish with two decimals',
    });
    expect(edited.body.errors).toBeUndefined();
    expect(edited.body.data!.updateIndicatorDefinition).toMatchObject({ version: version + 1, decimals: 2 });
    const [row] = await rows({ codes: ['NURSING_BED_SHARE'], regionCodes: ['500103'], periods: ['2022'] });
    expect(row).toMatchObject({ definitionVersion: version + 1, value: 30 });
    const audit = await hub.prisma.auditEvent.findFirst({ where: { operationName: 'Edit' }, orderBy: { seq: 'desc' } });
    expect(audit).toMatchObject({ outcome: 'OK' });
    // A bad edit changes nothing.
    const bad = await hub.graphql<unknown, unknown>(EDIT, { code: 'NURSING_BED_SHARE', changes: { factor: 7 }, note: 'x' });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'changes.factor',
      reason: 'INVALID_DEFINITION',
    });
    expect(await hub.prisma.indicatorDefinition.count({ where: { code: 'NURSING_BED_SHARE' } })).toBe(version + 1);
  });

  it('an edit that breaks a declared identity is reported on every value', async () => {
    await hub.graphql(EDIT, { code: 'CHILDCARE_PLACES', changes: { numerator: 'filedChildcarePlaces' }, note: 'test' });
    const [row] = await rows({ codes: ['CHILDCARE_PLACES'], regionCodes: ['500103'], periods: ['2022'] });
    expect(row!.identityChecks).toEqual([{ holds: false, value: 30, parts: 42 }]);
    expect(row!.notes.join(' ')).toMatch(/identity violated/);
    await hub.graphql(EDIT, { code: 'CHILDCARE_PLACES', changes: { numerator: 'childcarePlaces' }, note: 'restore' });
  });

  it('reported values: refused without the REPORTER or ADMIN role, validated, audited, REPORTED in lineage', async () => {
    const refused = await hub.graphql<unknown, unknown>(
      REPORT,
      { code: 'CARE_WORKER_TRAINING', region: '500103', period: '2022', value: 130, evidence: '培训台账' },
      consumerHeaders(keys.stats!, 'STATISTICS'),
    );
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const computed = await hub.graphql<unknown, unknown>(REPORT, {
      code: 'ELDERLY_CARE_BEDS',
      region: '500103',
      period: '2022',
      value: 1,
      evidence: '台账',
    });
    expect(computed.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
      reason: 'NOT_REPORTED_INDICATOR',
    });
    const reported = await hub.graphql<{ reportIndicatorValue: { value: number } }, unknown>(REPORT, {
      code: 'CARE_WORKER_TRAINING',
      region: '500103',
      period: '2022',
      value: 130,
      evidence: '2022年养老护理员培训台账',
    });
    expect(reported.body.errors).toBeUndefined();
    const [row] = await rows({ codes: ['CARE_WORKER_TRAINING'], regionCodes: ['500103'], periods: ['2022'] });
    expect(row).toMatchObject({
      status: 'OK',
      value: 130,
      inputs: [{ metric: 'reported', kind: 'REPORTED', connector: null, cache: null }],
    });
    const audit = await hub.prisma.auditEvent.findFirst({ where: { operationName: 'Report' }, orderBy: { seq: 'desc' } });
    expect(audit).toMatchObject({ outcome: 'OK' });
    expect(await hub.prisma.indicatorReportedValue.count({ where: { code: 'CARE_WORKER_TRAINING' } })).toBe(1);
  });

  it('reported values by a REPORTER consumer: inside its region scope only, recorded as its report', async () => {
    const reporter = consumerHeaders(keys['reporter-a']!, 'STATISTICS');
    const report = (region: string, value: number) =>
      hub.graphql<{ reportIndicatorValue: { value: number; reportedBy: string } }, unknown>(
        REPORT,
        { code: 'IT_SERVICE_COMMUNITY_COVERAGE', region, period: '2022', value, evidence: '街道智慧养老覆盖台账' },
        reporter,
      );
    const outside = await report('500103', 80);
    expect(outside.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'regionCode',
      reason: 'OUTSIDE_REGION_SCOPE',
    });
    const inside = await report(A, 75);
    expect(inside.body.errors).toBeUndefined();
    expect(inside.body.data!.reportIndicatorValue).toMatchObject({
      value: 75,
      reportedBy: expect.stringMatching(/^reporter-a-/),
    });
    const stored = await hub.prisma.indicatorReportedValue.findMany({ where: { code: 'IT_SERVICE_COMMUNITY_COVERAGE' } });
    expect(stored.map((r) => [r.regionCode, r.value])).toEqual([[A, 75]]);
    const [row] = await rows({ codes: ['IT_SERVICE_COMMUNITY_COVERAGE'], regionCodes: [A], periods: ['2022'] });
    expect(row).toMatchObject({ status: 'OK', value: 75, inputs: [{ kind: 'REPORTED' }] });
    // Both attempts audited (the refused one too), as any administration.
    const events = await hub.prisma.auditEvent.findMany({
      where: { operationName: 'Report', consumerCode: inside.body.data!.reportIndicatorValue.reportedBy },
      select: { outcome: true },
    });
    expect(events.map((e) => e.outcome).sort()).toEqual(['FAILED', 'OK']);
  });

  it('persists each computation as an OpenLineage-style run event', async () => {
    const [row] = await rows({ codes: ['CHILDCARE_PLACES_PER_1000'], regionCodes: ['500103'], periods: ['2022'] });
    const run = await hub.graphql<{ indicatorRun: { id: string; eventType: string; event: string } | null }, unknown>(
      `query Run($id: String!) { indicatorRun(id: $id) { id eventType event } }`,
      { id: row!.runId },
    );
    expect(run.body.errors).toBeUndefined();
    const event = JSON.parse(run.body.data!.indicatorRun!.event) as {
      job: { name: string; facets: { definitions: Array<{ code: string }> } };
      inputs: Array<{ namespace: string; name: string; facets: { query: { regionCode: string } } }>;
      outputs: Array<{ facets: { values: Array<{ value: number }> } }>;
    };
    expect(event.job.facets.definitions.map((d) => d.code)).toEqual(['CHILDCARE_PLACES_PER_1000']);
    expect(event.inputs.map((i) => i.namespace).sort()).toEqual([
      'connector:education',
      'connector:health',
      'connector:public-security',
    ]);
    expect(event.outputs[0]!.facets.values).toEqual([expect.objectContaining({ value: 6000 })]);
  });

  it('the same request over unchanged inputs is answered by the same run; a new report or a department change makes a new one', async () => {
    const request = {
      codes: ['ELDERLY_CARE_BEDS', 'NEW_RESIDENTIAL_AREA_FACILITY_COMPLIANCE'],
      regionCodes: ['500103'],
      periods: ['2021', '2022'],
    };
    const runIds = (list: Row[]) => [...new Set(list.map((r) => r.runId))];
    const first = await rows(request);
    const runsAfterFirst = await hub.prisma.indicatorRun.count();
    const second = await rows(request);
    expect(runIds(second)).toEqual(runIds(first));
    expect(second).toEqual(first);
    expect(await hub.prisma.indicatorRun.count()).toBe(runsAfterFirst);

    const reported = await hub.graphql<unknown, unknown>(REPORT, {
      code: 'NEW_RESIDENTIAL_AREA_FACILITY_COMPLIANCE',
      region: '500103',
      period: '2021',
      value: 92.5,
      evidence: '2021年新建居住区配套验收台账',
    });
    expect(reported.body.errors).toBeUndefined();
    const third = await rows(request);
    expect(runIds(third)).toHaveLength(1);
    expect(runIds(third)).not.toEqual(runIds(first));
    expect(find(third, 'NEW_RESIDENTIAL_AREA_FACILITY_COMPLIANCE', '500103', '2021')).toMatchObject({
      status: 'OK',
      value: 92.5,
    });

    // Civil affairs' data version bumped in the database, as another hub instance does when the department
    // reports a change: this instance hears of it (NOTIFY) and computes again, with the definitions still kept.
    await hub.prisma.$executeRaw`
      INSERT INTO department_data_version (connector, version) VALUES ('civil-affairs', 2)
      ON CONFLICT (connector) DO UPDATE SET version = department_data_version.version + 1, changed_at = now()`;
    let fourth = third;
    for (let waited = 0; runIds(fourth)[0] === runIds(third)[0] && waited < 5000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      fourth = await rows(request);
    }
    expect(runIds(fourth)).toHaveLength(1);
    expect(runIds(fourth)).not.toEqual(runIds(third));
    expect(find(fourth, 'ELDERLY_CARE_BEDS').inputs).toEqual([expect.objectContaining({ cache: 'MISS' })]);
    expect(await hub.prisma.indicatorRun.count()).toBe(runsAfterFirst + 2);
  });
});

describe('a department down', () => {
  afterAll(async () => {
    await departments.clearFaults('health');
  });

  it('makes the rows that need it PARTIAL with the error at their path; the other rows are returned', async () => {
    await forgetAggregates();
    await departments.setFaults('health', { outage: true });
    const response = await values({
      codes: ['ELDERLY_CARE_BEDS', 'CHILDCARE_PLACES'],
      regionCodes: ['500103'],
      periods: ['2022'],
    });
    const list = response.body.data!.indicatorValues!;
    expect(list.map((r) => [r.indicator.code, r.status, r.value])).toEqual([
      ['ELDERLY_CARE_BEDS', 'OK', 40],
      ['CHILDCARE_PLACES', 'PARTIAL', null],
    ]);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        path: ['indicatorValues', 1, 'value'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', connector: 'health' }),
      }),
    ]);
  });
});

describe('drill-down: the records behind a value', () => {
  const DRILL = `query Drill($code: String!, $regionCode: String!, $period: String!, $side: IndicatorSide!, $basis: PopulationBasis, $first: Int, $after: String) {
    indicatorDrillDown(code: $code, regionCode: $regionCode, period: $period, side: $side, basis: $basis, first: $first, after: $after) {
      code metric parts totalCount pageInfo { hasNextPage endCursor }
      edges { cursor metric recordType contribution facility { id } childcareInstitution { id } kindergarten { id } person { citizenId name } }
    }
  }`;
  type Edge = {
    metric: string;
    recordType: string;
    contribution: number;
    facility: { id: string } | null;
    childcareInstitution: { id: string } | null;
    kindergarten: { id: string } | null;
    person: { citizenId: string | null; name: string | null } | null;
  };
  type Drill = {
    code: string;
    metric: string;
    parts: string[];
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Edge[];
  };
  const drill = (variables: Record<string, unknown>, headers: Record<string, string> = DEMO_HEADERS) =>
    hub.graphql<{ indicatorDrillDown: Drill | null }, Record<string, unknown>>(
      DRILL,
      { period: '2022', first: 50, ...variables },
      headers,
    );
  const auditOf = (response: { headers: Headers }) =>
    hub.prisma.auditEvent.findFirst({ where: { requestId: response.headers.get('x-request-id')! } });
  const hash = (citizenId: string) => createHmac('sha256', TEST_AUDIT_HMAC_KEY).update(citizenId, 'utf8').digest('hex');

  it('lists the facilities behind a sum: totalCount is the records, their contributions add up to the numerator', async () => {
    const [value] = await rows({ codes: ['ELDERLY_CARE_BEDS'], regionCodes: ['500103'], periods: ['2022'] });
    const response = await drill({ code: 'ELDERLY_CARE_BEDS', regionCode: '500103', side: 'NUMERATOR' });
    expect(response.body.errors).toBeUndefined();
    const result = response.body.data!.indicatorDrillDown!;
    expect(result.edges.map((e) => [e.facility!.id, e.contribution]).sort()).toEqual([
      ['CANTEEN', 0],
      ['CS1', 0],
      ['CS2', 0],
      ['F1', 10],
      ['F2', 20],
      ['SC_A', 10],
    ]);
    expect(result.totalCount).toBe(6);
    expect(result.edges.reduce((total, e) => total + e.contribution, 0)).toBe(value!.numerator);
    expect(value!.numerator).toBe(40);
    // Facilities are not personal data: no audit event.
    expect(await auditOf(response)).toBeNull();
  });

  it("lists the people behind a count: totalCount equals the value's denominator, for either population basis", async () => {
    for (const [basis, people] of [
      ['RESIDENT', [P1, P2, P7]],
      ['REGISTERED', [P1, P3, P7, P9]],
    ] as const) {
      const [value] = await rows({ codes: ['BEDS_PER_1000_ELDERLY'], regionCodes: ['500103'], periods: ['2022'], basis });
      const response = await drill({ code: 'BEDS_PER_1000_ELDERLY', regionCode: '500103', side: 'DENOMINATOR', basis });
      expect(response.body.errors).toBeUndefined();
      const result = response.body.data!.indicatorDrillDown!;
      expect(result.totalCount).toBe(value!.denominator);
      expect(result.totalCount).toBe(people.length);
      // In citizen-ID order, as every list of people.
      expect(result.edges.map((e) => [e.recordType, e.person!.citizenId, e.contribution])).toEqual(
        [...people].sort().map((p) => ['PERSON', p, 1]),
      );
      // A record-level consumer reads the people in full; the read is audited with each person as a subject.
      const event = await auditOf(response);
      expect(event).toMatchObject({ outcome: 'OK' });
      expect([...event!.subjects].sort()).toEqual(people.map(hash).sort());
    }
  });

  it("reads people another department counts (civil affairs' home-care beds, health's managed infants) from the population register", async () => {
    const [beds, infants] = await rows({
      codes: ['HOME_CARE_BEDS', 'INFANT_HEALTH_MANAGEMENT_RATE'],
      regionCodes: ['500103'],
      periods: ['2022'],
    });
    const homeCare = (await drill({ code: 'HOME_CARE_BEDS', regionCode: '500103', side: 'NUMERATOR' })).body.data!
      .indicatorDrillDown!;
    expect(homeCare.totalCount).toBe(beds!.numerator);
    expect(homeCare.edges.map((e) => e.person!.citizenId)).toEqual([P7]);
    const managed = (await drill({ code: 'INFANT_HEALTH_MANAGEMENT_RATE', regionCode: '500103', side: 'NUMERATOR' })).body.data!
      .indicatorDrillDown!;
    expect(managed.totalCount).toBe(infants!.numerator);
    expect(managed.edges.map((e) => e.person!.citizenId)).toEqual([P5]);
  });

  it('pages a composite across its parts (filed institutions, then nursery classes) with one cursor', async () => {
    const [value] = await rows({ codes: ['CHILDCARE_PLACES'], regionCodes: [B], periods: ['2022'] });
    const first = (await drill({ code: 'CHILDCARE_PLACES', regionCode: B, side: 'NUMERATOR', first: 1 })).body.data!
      .indicatorDrillDown!;
    expect(first.parts).toEqual(['filedChildcarePlaces', 'nurseryClassPlaces']);
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(first.edges.map((e) => [e.recordType, e.childcareInstitution?.id, e.contribution])).toEqual([
      ['CHILDCARE_INSTITUTION', 'C2', 20],
    ]);
    const second = (
      await drill({ code: 'CHILDCARE_PLACES', regionCode: B, side: 'NUMERATOR', first: 1, after: first.pageInfo.endCursor })
    ).body.data!.indicatorDrillDown!;
    expect(second).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect(second.edges.map((e) => [e.recordType, e.kindergarten?.id, e.contribution])).toEqual([['KINDERGARTEN', 'K2', 7]]);
    expect(20 + 7).toBe(value!.numerator);
  });

  it('an aggregate-only (STATISTICS) consumer sees the figure but not the people: identities masked, the read audited', async () => {
    const headers = consumerHeaders(keys.stats!, 'STATISTICS');
    const [value] = await rows({ codes: ['BEDS_PER_1000_ELDERLY'], regionCodes: ['500103'], periods: ['2022'] }, headers);
    expect(value).toMatchObject({ status: 'OK', denominator: 3 });
    const response = await drill({ code: 'BEDS_PER_1000_ELDERLY', regionCode: '500103', side: 'DENOMINATOR' }, headers);
    const result = response.body.data!.indicatorDrillDown!;
    expect(result.totalCount).toBe(3);
    // The consumer's pseudonyms (nothing of the numbers); the surname and a star.
    const pseudonyms = result.edges.map((e) => e.person!.citizenId);
    expect(pseudonyms).toEqual([P1, P2, P7].map(() => expect.stringMatching(/^psn_[a-z2-7]{16}$/)));
    expect(new Set(pseudonyms).size).toBe(3);
    expect(result.edges.map((e) => e.person!.name)).toEqual(['测*', '测*', '测*']);
    const event = await auditOf(response);
    expect(event).toMatchObject({ consumerCode: expect.stringMatching(/^stats-/), purpose: 'STATISTICS' });
    expect(event!.catalogueItems).not.toContain('PS_IDENTITY');
  });

  it("refuses what has no records, no denominator or lies outside the consumer's scope, naming the argument", async () => {
    const refused = async (variables: Record<string, unknown>, headers?: Record<string, string>) => {
      const response = await drill(variables, headers);
      expect(response.body.data?.indicatorDrillDown ?? null).toBeNull();
      return response.body.errors![0]!.extensions;
    };
    expect(await refused({ code: 'ELDERLY_CARE_BEDS', regionCode: '500103', side: 'DENOMINATOR' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'side',
      reason: 'NO_DENOMINATOR',
    });
    expect(await refused({ code: 'CARE_WORKER_TRAINING', regionCode: '500103', side: 'NUMERATOR' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'side',
      reason: 'DRILL_DOWN_UNAVAILABLE',
    });
    expect(await refused({ code: 'NOPE', regionCode: '500103', side: 'NUMERATOR' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
    });
    expect(await refused({ code: 'HOME_CARE_BEDS', regionCode: '500103', side: 'NUMERATOR', period: '2019' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'period',
      reason: 'NO_DATA',
    });
    expect(
      await refused(
        { code: 'HOME_CARE_BEDS', regionCode: B, side: 'NUMERATOR' },
        consumerHeaders(keys['street-a']!, 'STATISTICS'),
      ),
    ).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OUTSIDE_REGION_SCOPE',
    });
  });
});
