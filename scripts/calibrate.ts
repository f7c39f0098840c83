/**
 * Calibration check: loads the synthetic data set at `--scale S` (default 0.01) into a departments database of
 * its own, starts the sandbox departments, and counts the Yuzhong figures THROUGH THE HUB'S CONNECTORS
 * (connectors.config.yaml, aggregates over HTTP and SQL), comparing each with the expected figure for that scale
 * (seeds/figures.ts: exact at scale 1, proportional below). Prints one row per figure; exits 1 on any mismatch.
 *
 *   npm run calibrate -- --scale 1        (DATABASE_URL's server, or the embedded one)
 */
import path from 'node:path';
import { Registry } from 'prom-client';
import { loadConnectorsConfig } from '../connectors/config';
import { ConnectorMetrics } from '../connectors/metrics';
import { createConnectorRegistry } from '../connectors/registry';
import type { AggregateRow } from '../connectors/contract';
import { departmentsDatabaseUrl, prepareDepartmentsDatabase } from '../departments/database';
import { startSandboxDepartments } from '../departments/supervisor';
import { sumMeasure as sum } from '../resolvers/region-statistics';
import { scaleFigures } from '../seeds/figures';
import { REFERENCE_DATE } from '../seeds/calendar';
import { loadSyntheticData } from '../seeds/sandbox';
import { loadDemoData } from '../seeds/demo';
import { keptRegionTree, READ_EVERY_TIME } from '../resolvers/loaders';
import { createPrismaClient } from '../prisma/client';
import { AggregateCache, registryReader } from '../indicators/aggregate-cache';
import { syncDefinitionsFile } from '../indicators/definitions';
import { computeIndicatorValues } from '../indicators/engine';

/**
 * The plan's 21 rows computed by the indicator engine for 渝中区 2022: the baselines the document's own figures
 * determine must be reproduced at scale 1 (rows 1-8 except 7, 18, 19, 20); where the plan publishes another
 * figure (rows 7, 9, 18, 19) the row shows both and the difference; other rows are reported as computed.
 */
const MUST_MATCH_AT_SCALE_1: Record<string, number> = {
  ELDERLY_CARE_BEDS: 1915,
  BEDS_PER_1000_ELDERLY: 16.5,
  NURSING_BEDS: 716,
  STREET_CENTRES: 11,
  SAFETY_NET_BEDS: 325,
  COMMUNITY_STATIONS: 68,
  NURSING_BED_SHARE: 37.4,
  // The document's own figures where it publishes another one: 100 pilot beds, 325/1915, 1011/588.7, 181 + 830.
  HOME_CARE_BEDS: 100,
  GOVERNMENT_OPERATED_BED_SHARE: 17,
  CHILDCARE_PLACES_PER_1000: 1.72,
  CHILDCARE_PLACES: 1011,
};

async function indicatorRows(
  connectors: ReturnType<typeof createConnectorRegistry>,
  hubUrl: string,
  scale: number,
): Promise<number> {
  const prisma = createPrismaClient(hubUrl);
  try {
    await loadDemoData(prisma);
    await syncDefinitionsFile(prisma);
    const cache = new AggregateCache(prisma, registryReader(connectors), 0);
    const started = Date.now();
    const { values, departmentCalls } = await computeIndicatorValues(
      {
        prisma,
        kept: READ_EVERY_TIME,
        regions: keptRegionTree(READ_EVERY_TIME, prisma),
        cache,
        clock: () => new Date(),
        referenceDate: REFERENCE_DATE,
        suppressionThreshold: 5,
      },
      { regionCodes: ['500103'], periods: ['2022', '202212'] },
      { consumerCode: null, regionScope: null, recordLevel: true },
    );
    const ms = Date.now() - started;
    process.stdout.write(`\nthe 21 indicators for 渝中区 500103, 2022 (${departmentCalls} department calls, ${ms} ms):\n`);
    let mismatches = 0;
    for (const v of values.filter((x) => (x.period === '2022') !== (x.definition.code === 'MONTHLY_VISIT_RATE'))) {
      const want = MUST_MATCH_AT_SCALE_1[v.definition.code];
      const checked = scale === 1 && want !== undefined;
      const ok = !checked || v.value === want;
      if (!ok) mismatches++;
      const published = v.baseline === null ? '—' : String(v.baseline);
      const difference =
        v.differenceFromBaseline === null || v.differenceFromBaseline === 0
          ? ''
          : `  Δ ${v.differenceFromBaseline > 0 ? '+' : ''}${v.differenceFromBaseline}`;
      const fraction = v.denominator === null ? `${v.numerator ?? '—'}` : `${v.numerator}/${v.denominator}`;
      process.stdout.write(
        `${checked ? (ok ? 'ok      ' : 'MISMATCH') : '        '}  ${String(v.definition.row).padStart(2)} ${v.definition.code.padEnd(44)} ${v.status.padEnd(8)} ` +
          `computed ${String(v.value ?? '—').padStart(8)}  published ${published.padStart(6)}${difference}  (${fraction})` +
          `${v.identityChecks.some((c) => !c.holds) ? '  IDENTITY VIOLATED' : ''}\n`,
      );
      if (v.identityChecks.some((c) => !c.holds)) mismatches++;
    }
    return mismatches;
  } finally {
    await prisma.$disconnect();
  }
}

function parseScale(argv: string[]): number {
  const at = argv.indexOf('--scale');
  const scale = at === -1 ? 0.01 : Number(argv[at + 1]);
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be a number in (0, 1]');
  return scale;
}

async function main(): Promise<number> {
  const scale = parseScale(process.argv.slice(2));
  const hubUrl = process.env.DATABASE_URL;
  if (!hubUrl) throw new Error('DATABASE_URL is not set: run `npm run calibrate`, which provides it');
  const url = new URL(departmentsDatabaseUrl(hubUrl, {}));
  url.pathname += '_calibration';
  const departmentsDbUrl = url.toString();

  const started = Date.now();
  await prepareDepartmentsDatabase(departmentsDbUrl);
  await loadSyntheticData(departmentsDbUrl, { scale });
  const loadedMs = Date.now() - started;
  const sandbox = await startSandboxDepartments({ departmentsDbUrl, ports: 0, skipPrepare: true, output: 'ignore' });
  const configs = loadConnectorsConfig(path.resolve(__dirname, '..', 'connectors.config.yaml'), {
    ...process.env,
    ...sandbox.connectorEnv,
  });
  const connectors = createConnectorRegistry(
    configs.map((c) => ({ ...c, limits: { ...c.limits, timeoutMs: 60_000, healthCheckIntervalMs: 0 } })),
    new ConnectorMetrics(new Registry()),
  );
  try {
    await connectors.start();
    const district = { regionCode: '500103' };
    const [population, beds, childcare, nursery] = await Promise.all([
      connectors.get('public-security').aggregate('population', { ...district, groupBy: ['birthYear', 'residenceType'] }),
      connectors.get('civil-affairs').aggregate('beds', { ...district, groupBy: ['kind', 'ownership'] }),
      connectors.get('health').aggregate('childcarePlaces', { ...district, groupBy: [] }),
      connectors.get('education').aggregate('nurseryPlaces', { ...district, groupBy: ['ownership'] }),
    ]);
    const expected = scaleFigures(scale);
    // The reference date is 31 December, so "aged 60+" and "under 3" on it are exact in birth years.
    const referenceYear = Number(REFERENCE_DATE.slice(0, 4));
    const resident = (r: AggregateRow) => r.residenceType !== 'REGISTERED_ONLY';
    const kind = (k: string) => (r: AggregateRow) => r.kind === k;
    const rows: Array<[string, number, number]> = [
      ['常住人口 resident population', expected.residentPopulation, sum(population, 'persons', resident)],
      [
        '60岁及以上 aged 60+',
        expected.aged60Plus,
        sum(population, 'persons', (r) => resident(r) && Number(r.birthYear) <= referenceYear - 60),
      ],
      [
        '0-3岁婴幼儿 under 3',
        expected.under3,
        sum(population, 'persons', (r) => resident(r) && Number(r.birthYear) >= referenceYear - 2),
      ],
      [
        '户籍非常住 registered only',
        expected.registeredOnly,
        sum(population, 'persons', (r) => r.residenceType === 'REGISTERED_ONLY'),
      ],
      [
        '养老服务设施 facilities',
        expected.fullCarePublic.facilities +
          expected.fullCarePrivate.facilities +
          expected.streetCentres.facilities +
          expected.communityStations +
          expected.seniorUniversities +
          expected.teachingPoints +
          expected.communityCanteens,
        sum(beds, 'facilities'),
      ],
      [
        '全托养老机构 full-care institutions',
        expected.fullCarePublic.facilities + expected.fullCarePrivate.facilities,
        sum(beds, 'facilities', kind('FULL_CARE_INSTITUTION')),
      ],
      [
        '公办养老机构 public institutions',
        expected.fullCarePublic.facilities,
        sum(beds, 'facilities', (r) => r.kind === 'FULL_CARE_INSTITUTION' && r.ownership === 'PUBLIC'),
      ],
      ['街道养老服务中心 street centres', expected.streetCentres.facilities, sum(beds, 'facilities', kind('STREET_CENTRE'))],
      ['社区养老服务站 community stations', expected.communityStations, sum(beds, 'facilities', kind('COMMUNITY_STATION'))],
      [
        '配套服务设施 supporting facilities',
        expected.seniorUniversities + expected.teachingPoints + expected.communityCanteens,
        sum(beds, 'facilities', kind('SUPPORTING_FACILITY')),
      ],
      [
        '全托养老床位 full-care beds',
        expected.fullCarePublic.beds + expected.fullCarePrivate.beds + expected.streetCentres.beds,
        sum(beds, 'bedsTotal'),
      ],
      ['公办养老床位 public beds', expected.fullCarePublic.beds, sum(beds, 'bedsTotal', (r) => r.ownership === 'PUBLIC')],
      [
        '机构养老床位 private institution beds',
        expected.fullCarePrivate.beds,
        sum(beds, 'bedsTotal', (r) => r.kind === 'FULL_CARE_INSTITUTION' && r.ownership === 'PRIVATE'),
      ],
      ['养老服务中心床位 centre beds', expected.streetCentres.beds, sum(beds, 'bedsTotal', kind('STREET_CENTRE'))],
      ['护理型床位 nursing beds', expected.nursingBeds, sum(beds, 'bedsNursing')],
      ['托育机构 childcare institutions', expected.childcare.institutions, sum(childcare, 'institutions')],
      ['托育机构托位 childcare places', expected.childcare.places, sum(childcare, 'places')],
      [
        '幼儿园托位 kindergarten places',
        expected.kindergartenPublicNursery.places + expected.kindergartenPrivateNursery.places,
        sum(nursery, 'places'),
      ],
      [
        '公办幼儿园托位 public kindergarten places',
        expected.kindergartenPublicNursery.places,
        sum(nursery, 'places', (r) => r.ownership === 'PUBLIC'),
      ],
    ];
    process.stdout.write(
      `calibration at scale ${scale} (data generated and loaded in ${(loadedMs / 1000).toFixed(1)} s), counted through the connectors:\n`,
    );
    let mismatches = 0;
    for (const [figure, want, got] of rows) {
      const ok = want === got;
      if (!ok) mismatches++;
      process.stdout.write(
        `${ok ? 'ok      ' : 'MISMATCH'}  ${figure.padEnd(40)} expected ${String(want).padStart(7)}  counted ${String(got).padStart(7)}\n`,
      );
    }
    process.stdout.write(`calibration: ${rows.length - mismatches} figures match, ${mismatches} differ\n`);
    const indicatorMismatches = await indicatorRows(connectors, hubUrl, scale);
    process.stdout.write(
      `indicators: ${indicatorMismatches === 0 ? 'every checked baseline reproduced' : `${indicatorMismatches} differ`}${scale === 1 ? '' : ' (baselines are checked at scale 1)'}\n`,
    );
    return mismatches === 0 && indicatorMismatches === 0 ? 0 : 1;
  } finally {
    await connectors.stop();
    await sandbox.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`calibration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
