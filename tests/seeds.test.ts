/**
 * The synthetic department data set (seeds/): pure helpers, determinism, calibration at scale 0.01 counted in
 * the loaded tables, citizen IDs, the file formats (--out / --from) with validation, and all-or-nothing loading.
 *
 * Needs DATABASE_URL (run with `npx tsx scripts/with-database.ts --test -- jest tests/seeds.test.ts`, or
 * `npm test`). It loads into a departments database of its own on that server, with reader roles of its own,
 * so it never touches another test file's sandbox. Nothing here reads the clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { departmentsDatabaseUrl, prepareDepartmentsDatabase } from '../departments/database';
import { parseCitizenId } from '../domain/citizen-id';
import { apportion } from '../seeds/apportion';
import { addMonths, ageOn, birthDayRangeForAge, fromDay, REFERENCE_DATE, toDay } from '../seeds/calendar';
import { datasetChecksum } from '../seeds/checksum';
import { parseCsv, splitJsonArray } from '../seeds/csv';
import { generateDataset } from '../seeds/dataset';
import { canonicalText, copyField, csvField, decodeCsvField } from '../seeds/encoding';
import { scaleFigures } from '../seeds/figures';
import { CitizenIdAllocator } from '../seeds/identity';
import { catalogueProblems, countRows, loadDataset } from '../seeds/load';
import { drawGivenName, drawSurname, KNOWN_SURNAMES } from '../seeds/names';
import { ORIGIN_REGION_CODES } from '../seeds/places';
import { DEFAULT_SEED, Random } from '../seeds/random';
import { SHOWCASE } from '../seeds/showcase';
import { parseSeedArgs, runSeedCommand, UsageError, type CommandDeps } from '../seeds/command';
import { rowsOf, TABLE_ORDER, tableSpec, type Dataset, type TableKey } from '../seeds/tables';
import { crossCheck, validateRows } from '../seeds/validation';
import { hubDatabaseUrl, onServer as onServerOf } from './helpers/database';

const FAR_FUTURE = new Date(Date.UTC(9999, 0, 1));

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `seeds-${label}-`));
}

// ------------------------------------------------------------------------------------------------ pure helpers

describe('apportion', () => {
  it('splits a total exactly, proportionally, deterministically', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(17420, [0.92, 1, 1.08]).reduce((a, b) => a + b, 0)).toBe(17420);
    expect(apportion(7, [5, 0, 2])).toEqual([5, 0, 2]);
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
  });

  it('respects minimums and caps, and refuses an infeasible split', () => {
    expect(apportion(3, [100, 1, 1], { min: 1 })).toEqual([1, 1, 1]);
    expect(apportion(10, [10, 1], { caps: [4, 10] })).toEqual([4, 6]);
    expect(() => apportion(2, [1, 1, 1], { min: 1 })).toThrow(/cannot apportion/);
    expect(() => apportion(10, [1, 1], { caps: [3, 3] })).toThrow(/cannot apportion/);
  });
});

describe('Random', () => {
  it('gives the same sequence for the same seed and independent streams per fork label', () => {
    const a = new Random(42);
    const b = new Random(42);
    const seqA = Array.from({ length: 20 }, () => a.int(0, 1000));
    expect(Array.from({ length: 20 }, () => b.int(0, 1000))).toEqual(seqA);
    const f1 = new Random(42).fork('households');
    const f2 = new Random(42).fork('households');
    const g = new Random(42).fork('facilities');
    const s1 = Array.from({ length: 10 }, () => f1.float());
    expect(Array.from({ length: 10 }, () => f2.float())).toEqual(s1);
    expect(Array.from({ length: 10 }, () => g.float())).not.toEqual(s1);
  });

  it('samples distinct indexes by weight and never one of weight zero', () => {
    const r = new Random(1);
    const picked = r.sampleWeighted([1, 0, 5, 0, 2, 3], 4);
    expect(new Set(picked).size).toBe(4);
    expect(picked).not.toContain(1);
    expect(picked).not.toContain(3);
    expect(r.sampleWeighted([0, 0, 1], 3)).toEqual([2]);
  });
});

describe('calendar', () => {
  it('computes ages in completed years relative to the reference date', () => {
    expect(REFERENCE_DATE).toBe('2022-12-31');
    expect(ageOn('1962-12-31')).toBe(60);
    expect(ageOn('1963-01-01')).toBe(59);
    expect(ageOn('2020-01-01')).toBe(2);
    expect(ageOn('2019-12-31')).toBe(3);
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(1);
  });

  it('adds months clamping to the end of shorter months, and round-trips day numbers', () => {
    expect(addMonths('2022-01-31', 1)).toBe('2022-02-28');
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29');
    expect(addMonths('2022-12-15', 1)).toBe('2023-01-15');
    for (const date of ['1900-03-01', '1969-12-31', '1970-01-01', '2000-02-29', '2022-12-31']) {
      expect(fromDay(toDay(date))).toBe(date);
    }
    const [first, last] = birthDayRangeForAge(60);
    expect([fromDay(first), fromDay(last)]).toEqual(['1962-01-01', '1962-12-31']);
  });
});

describe('scaleFigures', () => {
  it('is exactly the published Yuzhong figures at scale 1', () => {
    const f = scaleFigures(1);
    expect([f.residentPopulation, f.aged60Plus, f.under3]).toEqual([588_700, 116_300, 17_420]);
    const facilities =
      f.fullCarePublic.facilities +
      f.fullCarePrivate.facilities +
      f.streetCentres.facilities +
      f.communityStations +
      f.seniorUniversities +
      f.teachingPoints +
      f.communityCanteens;
    expect(facilities).toBe(148);
    expect(f.fullCarePublic.beds + f.fullCarePrivate.beds + f.streetCentres.beds).toBe(1915);
    expect([f.fullCarePublic.beds, f.fullCarePrivate.beds, f.streetCentres.beds, f.nursingBeds]).toEqual([325, 717, 873, 716]);
    expect(f.childcare).toEqual({ institutions: 3, places: 181 });
    expect(f.kindergartenPublicNursery.places + f.kindergartenPrivateNursery.places).toBe(830);
  });

  it('scales proportionally with at least one facility of each kind and one bed per bed-offering facility', () => {
    const f = scaleFigures(0.01);
    expect([f.residentPopulation, f.aged60Plus, f.under3, f.registeredOnly]).toEqual([5887, 1163, 174, 235]);
    expect([f.fullCarePublic, f.fullCarePrivate, f.streetCentres]).toEqual([
      { facilities: 1, beds: 3 },
      { facilities: 1, beds: 7 },
      { facilities: 1, beds: 9 },
    ]);
    expect([f.communityStations, f.seniorUniversities, f.teachingPoints, f.communityCanteens]).toEqual([1, 1, 1, 1]);
    expect(f.nursingBeds).toBe(7);
    const tiny = scaleFigures(0.001);
    expect(tiny.fullCarePublic).toEqual({ facilities: 1, beds: 1 });
    expect(() => scaleFigures(0)).toThrow();
    expect(() => scaleFigures(1.5)).toThrow();
  });
});

describe('identities and names', () => {
  it('allocates unique valid citizen IDs agreeing with birth date, sex and region, never a reserved one', () => {
    const allocator = new CitizenIdAllocator(new Random(3));
    allocator.reserve(SHOWCASE.INFANT.citizenId);
    const ids = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const sex = i % 2 === 0 ? 'M' : 'F';
      const id = allocator.allocate('500103', SHOWCASE.INFANT.birthDate, sex);
      const parsed = parseCitizenId(id, FAR_FUTURE);
      expect(parsed.ok && parsed.value).toMatchObject({ regionCode: '500103', birthDate: SHOWCASE.INFANT.birthDate, sex });
      ids.add(id);
    }
    expect(ids.size).toBe(600);
    expect(ids.has(SHOWCASE.INFANT.citizenId)).toBe(false);
  });

  it('gives the showcase people valid IDs matching their birth dates and sexes', () => {
    for (const person of Object.values(SHOWCASE)) {
      const parsed = parseCitizenId(person.citizenId, FAR_FUTURE);
      expect(parsed.ok && parsed.value).toMatchObject({ regionCode: '500103', birthDate: person.birthDate, sex: person.sex });
    }
  });

  it('draws known surnames and 1-2 character given names', () => {
    const r = new Random(9);
    for (let i = 0; i < 200; i++) {
      expect(KNOWN_SURNAMES.has(drawSurname(r))).toBe(true);
      const given = drawGivenName(r, i % 2 ? 'M' : 'F', i % 3 ? '1950-01-01' : '2021-01-01');
      expect([...given].length).toBeGreaterThanOrEqual(1);
      expect([...given].length).toBeLessThanOrEqual(2);
    }
  });
});

describe('file encodings', () => {
  it('parses RFC 4180 CSV with line numbers, quoted newlines, CRLF, a BOM, and null vs empty string', () => {
    const { records, problems } = parseCsv('\ufeffa,b,c\r\n1,"x, ""y""",\r\n2,"line\nbreak",""\n');
    expect(problems).toEqual([]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(records[1]!.fields).toEqual([
      { text: '1', quoted: false },
      { text: 'x, "y"', quoted: true },
      { text: '', quoted: false },
    ]);
    expect(records[2]!.fields[1]!.text).toBe('line\nbreak');
    expect(decodeCsvField('', false, 'text')).toEqual({ ok: true, value: null });
    expect(decodeCsvField('', true, 'text')).toEqual({ ok: true, value: '' });
    expect(decodeCsvField('["FULL_DAY"]', true, 'text[]')).toEqual({ ok: true, value: ['FULL_DAY'] });
    expect(decodeCsvField('1.5', false, 'integer')).toEqual({ ok: false, reason: 'must be an integer' });
    expect(parseCsv('a,b\n1,x"y\n2,"open\n').problems).toEqual([
      { line: 2, message: expect.stringMatching(/malformed/) },
      { line: 3, message: 'a quoted field is not closed' },
    ]);
  });

  it('writes CSV fields that read back to the same values', () => {
    for (const value of ['plain', 'a,b', 'say "hi"', '', ' padded ', ['FULL_TIME', 'DAY_CARE']]) {
      const text = csvField(value);
      const [record] = parseCsv(`${text}\n`).records;
      const field = record!.fields[0]!;
      const decoded = decodeCsvField(field.text, field.quoted, Array.isArray(value) ? 'text[]' : 'text');
      expect(decoded).toEqual({ ok: true, value });
    }
    expect(csvField(null)).toBe('');
  });

  it('splits a JSON array into elements with the line each starts on', () => {
    const { elements, problems } = splitJsonArray('[\n{"a":"x]"},\n{"b":[1,2]}\n]\n');
    expect(problems).toEqual([]);
    expect(elements.map((e) => [e.line, JSON.parse(e.text)])).toEqual([
      [2, { a: 'x]' }],
      [3, { b: [1, 2] }],
    ]);
    expect(splitJsonArray('{"a":1}').problems).toHaveLength(1);
  });

  it('encodes COPY fields and canonical timestamps', () => {
    expect(copyField('a\tb\\c\nd', 'text')).toBe('a\\tb\\\\c\\nd');
    expect(copyField(null, 'text')).toBe('\\N');
    expect(copyField(['FULL_DAY', 'HALF_DAY'], 'text[]')).toBe('{"FULL_DAY","HALF_DAY"}');
    expect(copyField(true, 'boolean')).toBe('t');
    expect(canonicalText('2022-12-31T18:00:00+08:00', 'timestamptz')).toBe(canonicalText('2022-12-31T10:00:00Z', 'timestamptz'));
  });
});

describe('command-line options', () => {
  it('accepts the documented options and rejects bad combinations', () => {
    expect(parseSeedArgs([])).toMatchObject({ scale: 0.01, seed: DEFAULT_SEED, checksum: false, format: 'csv' });
    expect(parseSeedArgs(['--scale', '1', '--seed', '7', '--out', 'x', '--format', 'json'])).toMatchObject({
      scale: 1,
      seed: 7,
      out: 'x',
      format: 'json',
    });
    for (const bad of [
      ['--scale', '0'],
      ['--scale', '2'],
      ['--scale', 'abc'],
      ['--seed', '-1'],
      ['--format', 'xml', '--out', 'x'],
      ['--format', 'csv'],
      ['--from', 'x', '--scale', '0.1'],
      ['--bogus'],
    ]) {
      expect(() => parseSeedArgs(bad)).toThrow(UsageError);
    }
  });

  it('says to set DATABASE_URL or use the database wrapper when loading without it', async () => {
    const { io, err } = captureIo();
    expect(await runSeedCommand(['--scale', '0.001'], {}, io)).toBe(2);
    expect(err.join('\n')).toMatch(/DATABASE_URL is not set/);
    expect(err.join('\n')).toContain('tsx scripts/with-database.ts -- npm run seed -- --scale 0.001');
  });
});

// ------------------------------------------------------------------------------------------------ generation

function validateDataset(dataset: Dataset) {
  const tables: Parameters<typeof crossCheck>[0] = {};
  const problems = [];
  for (const key of TABLE_ORDER) {
    const file = tableSpec(key).qualifiedName;
    const result = validateRows(
      key,
      file,
      rowsOf(dataset, key).map((row, i) => ({ line: i + 1, row })),
    );
    problems.push(...result.problems);
    tables[key] = { file, rows: result.valid };
  }
  return [...problems, ...crossCheck(tables)];
}

describe('generated data set', () => {
  const small = generateDataset({ scale: 0.01 });

  it('is deterministic: the same scale and seed give the same checksum, another seed another one', () => {
    const again = generateDataset({ scale: 0.01 });
    expect(datasetChecksum(again.dataset)).toBe(datasetChecksum(small.dataset));
    expect(datasetChecksum(generateDataset({ scale: 0.01, seed: 7 }).dataset)).not.toBe(datasetChecksum(small.dataset));
    expect(datasetChecksum(generateDataset({ scale: 0.002 }).dataset)).not.toBe(datasetChecksum(small.dataset));
  });

  it('passes its own validation: every row, keys and references', () => {
    expect(validateDataset(small.dataset)).toEqual([]);
  });

  it.each([0.0001, 0.01])('holds the showcase people at scale %p', (scale) => {
    const { dataset } = scale === 0.01 ? small : generateDataset({ scale });
    const ids = new Set(dataset.person.map((p) => p.citizen_id));
    for (const person of Object.values(SHOWCASE)) expect(ids.has(person.citizenId)).toBe(true);
    const elderly = SHOWCASE.ELDERLY.citizenId;
    expect(dataset.capabilityAssessment.filter((a) => a.citizen_id === elderly).map((a) => a.level)).toEqual([2, 3]);
    expect(new Set(dataset.subsidy.filter((s) => s.citizen_id === elderly).map((s) => s.kind))).toEqual(
      new Set(['AGED_ALLOWANCE', 'NURSING_SUBSIDY', 'SERVICE_SUBSIDY']),
    );
    expect(dataset.familyDoctorContract.some((c) => c.citizen_id === elderly)).toBe(true);
    const infant = SHOWCASE.INFANT.citizenId;
    expect(dataset.birthCertificate.some((c) => c.child_citizen_id === infant)).toBe(true);
    expect(dataset.infantVisit.filter((v) => v.citizen_id === infant).map((v) => [v.age_months, v.done_on !== null])).toEqual([
      [0, true],
      [1, true],
      [3, true],
      [6, true],
    ]);
    expect(dataset.vaccination.filter((v) => v.citizen_id === infant)).toHaveLength(11);
    expect(dataset.nurseryEnrolment.some((e) => e.citizen_id === SHOWCASE.NURSERY_CHILD.citizenId)).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------ database

const hubUrl = hubDatabaseUrl();
const testDbUrl = (() => {
  const url = new URL(departmentsDatabaseUrl(hubUrl, {}));
  url.pathname += '_seeds';
  return url.toString();
})();
const tag = `seeds_${process.pid}`;
const readers = {
  'civil-affairs': { user: `${tag}_civil_affairs_reader`, password: `${tag}-ca` },
  education: { user: `${tag}_education_reader`, password: `${tag}-ed` },
};
const deps: CommandDeps = { prepare: (url) => prepareDepartmentsDatabase(url, { readers }) };
const env = { DATABASE_URL: hubUrl, DEPARTMENTS_DATABASE_URL: testDbUrl };

const onServer = (sql: string) => onServerOf(testDbUrl, sql);

async function dropAll(): Promise<void> {
  await onServer(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(new URL(testDbUrl).pathname.slice(1))} WITH (FORCE)`);
  for (const { user } of Object.values(readers)) await onServer(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(user)}`);
}

let db: pg.Client;
async function one<T extends pg.QueryResultRow>(sql: string): Promise<T> {
  return (await db.query<T>(sql)).rows[0]!;
}

describe('loaded into the departments database', () => {
  const figures = scaleFigures(0.01);
  let loadedCounts: Record<TableKey, number>;

  beforeAll(async () => {
    await dropAll();
    const { io, err } = captureIo();
    const code = await runSeedCommand(['--scale', '0.01'], env, io, deps);
    if (code !== 0) throw new Error(err.join('\n'));
    db = new pg.Client({ connectionString: testDbUrl });
    await db.connect();
    loadedCounts = await countRows(testDbUrl);
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await dropAll();
  });

  it('matches the catalogue to the database tables, column for column', async () => {
    expect(await catalogueProblems(db)).toEqual([]);
    for (const key of TABLE_ORDER) {
      const spec = tableSpec(key);
      const { rows } = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [spec.schema, spec.name],
      );
      expect(rows.map((r) => r.column_name)).toEqual(spec.columnNames);
    }
  });

  it('reproduces the scaled population figures exactly', async () => {
    const counts = await one<{ resident: string; aged60: string; under3: string; away: string }>(`
      SELECT count(*) FILTER (WHERE residence_type <> 'REGISTERED_ONLY') AS resident,
             count(*) FILTER (WHERE residence_type <> 'REGISTERED_ONLY' AND birth_date <= DATE '${REFERENCE_DATE}' - INTERVAL '60 years') AS aged60,
             count(*) FILTER (WHERE residence_type <> 'REGISTERED_ONLY' AND birth_date > DATE '${REFERENCE_DATE}' - INTERVAL '3 years') AS under3,
             count(*) FILTER (WHERE residence_type = 'REGISTERED_ONLY') AS away
        FROM public_security.person`);
    expect(Object.values(counts).map(Number)).toEqual([
      figures.residentPopulation,
      figures.aged60Plus,
      figures.under3,
      figures.registeredOnly,
    ]);
    expect([figures.residentPopulation, figures.aged60Plus, figures.under3]).toEqual([5887, 1163, 174]);
    expect(Number((await one<{ n: string }>('SELECT count(*) AS n FROM civil_affairs.elderly_profile')).n)).toBe(
      figures.aged60Plus,
    );
  });

  it('reproduces the scaled facility, bed and place figures', async () => {
    const { rows } = await db.query<{ kind: string; subtype: string | null; ownership: string; n: string; beds: string }>(`
      SELECT kind, subtype, ownership, count(*) AS n, sum(beds_total) AS beds
        FROM civil_affairs.institution GROUP BY kind, subtype, ownership`);
    const facility = (kind: string, subtype: string | null, ownership?: string) =>
      rows
        .filter((r) => r.kind === kind && r.subtype === subtype && (!ownership || r.ownership === ownership))
        .reduce((s, r) => ({ n: s.n + Number(r.n), beds: s.beds + Number(r.beds) }), { n: 0, beds: 0 });
    expect(facility('FULL_CARE_INSTITUTION', null, 'PUBLIC')).toEqual({
      n: figures.fullCarePublic.facilities,
      beds: figures.fullCarePublic.beds,
    });
    expect(facility('FULL_CARE_INSTITUTION', null, 'PRIVATE')).toEqual({
      n: figures.fullCarePrivate.facilities,
      beds: figures.fullCarePrivate.beds,
    });
    expect(facility('STREET_CENTRE', null, 'PRIVATE')).toEqual({
      n: figures.streetCentres.facilities,
      beds: figures.streetCentres.beds,
    });
    expect(facility('COMMUNITY_STATION', null).n).toBe(figures.communityStations);
    expect(facility('SUPPORTING_FACILITY', 'SENIOR_UNIVERSITY').n).toBe(figures.seniorUniversities);
    expect(facility('SUPPORTING_FACILITY', 'TEACHING_POINT').n).toBe(figures.teachingPoints);
    expect(facility('SUPPORTING_FACILITY', 'COMMUNITY_CANTEEN').n).toBe(figures.communityCanteens);
    const beds = await one<{ nursing: string; star4: string; over: string }>(`
      SELECT sum(beds_nursing) AS nursing, count(*) FILTER (WHERE star_level = 4) AS star4,
             count(*) FILTER (WHERE beds_occupied > beds_total OR beds_nursing > beds_total) AS over
        FROM civil_affairs.institution`);
    expect([Number(beds.nursing), Number(beds.star4), Number(beds.over)]).toEqual([figures.nursingBeds, 1, 0]);
    const childcare = await one<{ n: string; places: string; filed: string }>(
      `SELECT count(*) AS n, sum(places) AS places, count(filing_number) AS filed FROM health.childcare_institution`,
    );
    expect([childcare.n, childcare.places, childcare.filed].map(Number)).toEqual([
      figures.childcare.institutions,
      figures.childcare.places,
      figures.childcare.institutions,
    ]);
    const nursery = await one<{ places: string }>('SELECT sum(nursery_class_places) AS places FROM education.kindergarten');
    expect(Number(nursery.places)).toBe(figures.kindergartenPublicNursery.places + figures.kindergartenPrivateNursery.places);
  });

  it('keeps people records consistent with facilities: residents = beds_occupied, enrolments ≤ places', async () => {
    const mismatched = await one<{ n: string }>(`
      SELECT count(*) AS n FROM civil_affairs.institution i
       WHERE i.beds_occupied <> (SELECT count(*) FROM civil_affairs.care_arrangement c
                                  WHERE c.institution_id = i.institution_id AND c.kind = 'INSTITUTION')`);
    expect(Number(mismatched.n)).toBe(0);
    const homeCare = await one<{ n: string }>(
      `SELECT count(*) AS n FROM civil_affairs.care_arrangement WHERE kind = 'HOME_CARE_BED'`,
    );
    expect(Number(homeCare.n)).toBe(figures.homeCareBeds);
    const enrolled = await one<{ n: string }>(`
      SELECT count(*) AS n FROM health.childcare_institution i
       WHERE i.enrolled <> (SELECT count(*) FROM health.childcare_enrolment e WHERE e.institution_id = i.institution_id)
          OR i.enrolled > i.places`);
    expect(Number(enrolled.n)).toBe(0);
    const overfull = await one<{ n: string }>(`
      SELECT count(*) AS n FROM education.kindergarten k
       WHERE k.nursery_class_places < (SELECT count(*) FROM education.nursery_enrolment e WHERE e.kindergarten_id = k.kindergarten_id)`);
    expect(Number(overfull.n)).toBe(0);
  });

  it('gives everyone a valid citizen ID agreeing with sex, birth date and registration', async () => {
    const { rows } = await db.query<{ citizen_id: string; sex: string; birth_date: string; residence_type: string }>(
      `SELECT citizen_id, sex, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, residence_type FROM public_security.person`,
    );
    expect(rows).toHaveLength(loadedCounts.person);
    const wrong = rows.filter((r) => {
      const parsed = parseCitizenId(r.citizen_id, new Date(Date.UTC(2023, 0, 1)));
      if (!parsed.ok) return true;
      const region = parsed.value.regionCode;
      const regionOk = r.residence_type === 'RESIDENT_ONLY' ? ORIGIN_REGION_CODES.has(region) : region === '500103';
      return parsed.value.sex !== r.sex || parsed.value.birthDate !== r.birth_date || !regionOk;
    });
    expect(wrong).toHaveLength(0);
    const households = await one<{ bad: string }>(`
      SELECT count(*) AS bad FROM (
        SELECT household_id FROM public_security.person GROUP BY household_id
        HAVING count(*) FILTER (WHERE relation_to_head = '户主') <> 1
            OR count(DISTINCT household_head_id) <> 1
            OR bool_or(relation_to_head = '户主' AND citizen_id <> household_head_id)) h`);
    expect(Number(households.bad)).toBe(0);
  });

  it('has plausible rates for the 60+ (exact shares for the counted flags)', async () => {
    const p = await one<Record<string, string>>(`
      SELECT count(*) AS n, count(*) FILTER (WHERE special_hardship) AS sh, count(*) FILTER (WHERE minimum_living) AS ml,
             count(*) FILTER (WHERE economic_difficulty) AS ec, count(*) FILTER (WHERE living_alone) AS alone,
             count(*) FILTER (WHERE empty_nest) AS nest
        FROM civil_affairs.elderly_profile`);
    const n = Number(p.n);
    expect([Number(p.sh), Number(p.ml), Number(p.ec)]).toEqual([
      Math.round(0.003 * n),
      Math.round(0.02 * n),
      Math.round(0.05 * n),
    ]);
    expect(Number(p.alone) / n).toBeGreaterThan(0.07);
    expect(Number(p.alone) / n).toBeLessThan(0.13);
    expect(Number(p.nest) / n).toBeGreaterThan(0.18);
    expect(Number(p.nest) / n).toBeLessThan(0.32);
    const severe = await one<{ n: string }>(`
      SELECT count(*) AS n FROM (SELECT DISTINCT ON (citizen_id) level FROM civil_affairs.capability_assessment
                                  ORDER BY citizen_id, assessed_on DESC) latest WHERE level >= 2`);
    expect(Number(severe.n)).toBe(Math.round(0.05 * n));
  });

  it('reports every bad row of --from with file, line and reason, and loads nothing', async () => {
    const dir = tempDir('bad');
    try {
      expect(await runSeedCommand(['--scale', '0.002', '--out', dir], env, captureIo().io, deps)).toBe(0);
      const personFile = path.join(dir, 'public_security', 'person.csv');
      const lines = fs.readFileSync(personFile, 'utf8').split('\n');
      const fields = lines[4]!.split(',');
      fields[0] = fields[0]!.slice(0, 17) + (fields[0]![17] === '0' ? '1' : '0'); // wrong check digit
      lines[4] = fields.join(',');
      const other = lines[6]!.split(',');
      other[2] = 'X'; // bad sex
      lines[6] = other.join(',');
      fs.writeFileSync(personFile, lines.join('\n'));
      const institutionFile = path.join(dir, 'civil_affairs', 'institution.csv');
      const inst = fs.readFileSync(institutionFile, 'utf8').split('\n');
      inst[1] = inst[1]!.replace(/,(\d+),(\d+),(\d+),(\d+),(\d+),(true|false),/, ',$1,$2,$3,$4,-5,$6,'); // negative beds_occupied
      fs.writeFileSync(institutionFile, inst.join('\n'));

      const { io, err } = captureIo();
      expect(await runSeedCommand(['--from', dir], env, io, deps)).toBe(1);
      const report = err.join('\n');
      expect(report).toContain(`${personFile}:5: citizen_id: not a valid citizen ID: check digit is wrong`);
      expect(report).toContain(`${personFile}:7: sex:`);
      expect(report).toContain(`${institutionFile}:2: beds_occupied:`);
      expect(report).toMatch(/3 problem\(s\) in 2 file\(s\); nothing was loaded/);
      // No value is quoted: the broken citizen ID does not appear in the report.
      expect(report).not.toContain(fields[0]);
      expect(await countRows(testDbUrl)).toEqual(loadedCounts);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips --out then --from (JSON and CSV): same counts loaded, same checksum', async () => {
    const generated = generateDataset({ scale: 0.002 }).dataset;
    const checksum = datasetChecksum(generated);
    for (const format of ['json', 'csv']) {
      const dir = tempDir(format);
      try {
        expect(await runSeedCommand(['--scale', '0.002', '--out', dir, '--format', format], env, captureIo().io, deps)).toBe(0);
        const sums = captureIo();
        expect(await runSeedCommand(['--from', dir, '--checksum'], env, sums.io, deps)).toBe(0);
        expect(sums.out).toEqual([checksum]);
        if (format === 'json') {
          const { io, err } = captureIo();
          expect(await runSeedCommand(['--from', dir], env, io, deps)).toBe(0);
          expect(err.join('\n')).not.toMatch(/problem/);
          const counts = await countRows(testDbUrl);
          for (const key of TABLE_ORDER) expect([key, counts[key]]).toEqual([key, generated[key].length]);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('loads a data set written before a column was added (CSV and JSON): the new column is null', async () => {
    const generated = generateDataset({ scale: 0.002 }).dataset;
    const checksum = datasetChecksum(generated);
    for (const format of ['csv', 'json'] as const) {
      const dir = tempDir(`older-${format}`);
      try {
        expect(await runSeedCommand(['--scale', '0.002', '--out', dir, '--format', format], env, captureIo().io, deps)).toBe(0);
        // As `seed --out` wrote elderly profiles before 集中供养意愿 existed: without central_care_willing.
        const file = path.join(dir, 'civil_affairs', `elderly_profile.${format}`);
        const text = fs.readFileSync(file, 'utf8');
        const older =
          format === 'csv'
            ? text
                .split('\n')
                .map((line) => line.split(',').slice(0, -1).join(','))
                .join('\n')
            : text.replaceAll(',"central_care_willing":null', '');
        expect(older).not.toContain('central_care_willing');
        expect(older).not.toEqual(text);
        fs.writeFileSync(file, older);
        const sums = captureIo();
        expect(await runSeedCommand(['--from', dir, '--checksum'], env, sums.io, deps)).toBe(0);
        expect(sums.out).toEqual([checksum]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('leaves the planner statistics and the visibility map of what it loaded (autovacuum may be off: it is on the development machine)', async () => {
    const client = new pg.Client({ connectionString: testDbUrl });
    await client.connect();
    try {
      await client.query('SELECT pg_stat_reset()');
      const { dataset } = generateDataset({ scale: 0.001 });
      expect((await loadDataset(testDbUrl, dataset)).loaded).toBe(true);
      const { rows } = await client.query<{ analyzed: boolean; vacuumed: boolean; estimate: number }>(
        `SELECT s.last_analyze IS NOT NULL AS analyzed, s.last_vacuum IS NOT NULL AS vacuumed, c.reltuples AS estimate
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
          WHERE s.schemaname = 'public_security' AND s.relname = 'person'`,
      );
      expect(rows).toEqual([{ analyzed: true, vacuumed: true, estimate: dataset.person.length }]);
    } finally {
      await client.end();
    }
  });

  it('loads all or nothing: a load that fails in the database leaves the previous data', async () => {
    const before = await countRows(testDbUrl);
    const { dataset } = generateDataset({ scale: 0.001 });
    // A repeated primary key passes no validation here on purpose: the database rejects it mid-load.
    const broken: Dataset = { ...dataset, vaccination: [...dataset.vaccination, dataset.vaccination[0]!] };
    await expect(loadDataset(testDbUrl, broken)).rejects.toThrow(/duplicate key/);
    expect(await countRows(testDbUrl)).toEqual(before);
    // Only-if-empty does nothing on a loaded database.
    expect((await loadDataset(testDbUrl, dataset, { onlyIfEmpty: true })).loaded).toBe(false);
    expect(await countRows(testDbUrl)).toEqual(before);
  });
});
