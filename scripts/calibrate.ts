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
      ['60岁及以上 aged 60+', expected.aged60Plus, sum(population, 'persons', (r) => resident(r) && Number(r.birthYear) <= referenceYear - 60)],
      ['0-3岁婴幼儿 under 3', expected.under3, sum(population, 'persons', (r) => resident(r) && Number(r.birthYear) >= referenceYear - 2)],
      ['户籍非常住 registered only', expected.registeredOnly, sum(population, 'persons', (r) => r.residenceType === 'REGISTERED_ONLY')],
      ['养老服务设施 facilities', expected.fullCarePublic.facilities + expected.fullCarePrivate.facilities + expected.streetCentres.facilities + expected.communityStations + expected.seniorUniversities + expected.teachingPoints + expected.communityCanteens, sum(beds, 'facilities')],
      ['全托养老机构 full-care institutions', expected.fullCarePublic.facilities + expected.fullCarePrivate.facilities, sum(beds, 'facilities', kind('FULL_CARE_INSTITUTION'))],
      ['公办养老机构 public institutions', expected.fullCarePublic.facilities, sum(beds, 'facilities', (r) => r.kind === 'FULL_CARE_INSTITUTION' && r.ownership === 'PUBLIC')],
      ['街道养老服务中心 street centres', expected.streetCentres.facilities, sum(beds, 'facilities', kind('STREET_CENTRE'))],
      ['社区养老服务站 community stations', expected.communityStations, sum(beds, 'facilities', kind('COMMUNITY_STATION'))],
      ['配套服务设施 supporting facilities', expected.seniorUniversities + expected.teachingPoints + expected.communityCanteens, sum(beds, 'facilities', kind('SUPPORTING_FACILITY'))],
      ['全托养老床位 full-care beds', expected.fullCarePublic.beds + expected.fullCarePrivate.beds + expected.streetCentres.beds, sum(beds, 'bedsTotal')],
      ['公办养老床位 public beds', expected.fullCarePublic.beds, sum(beds, 'bedsTotal', (r) => r.ownership === 'PUBLIC')],
      ['机构养老床位 private institution beds', expected.fullCarePrivate.beds, sum(beds, 'bedsTotal', (r) => r.kind === 'FULL_CARE_INSTITUTION' && r.ownership === 'PRIVATE')],
      ['养老服务中心床位 centre beds', expected.streetCentres.beds, sum(beds, 'bedsTotal', kind('STREET_CENTRE'))],
      ['护理型床位 nursing beds', expected.nursingBeds, sum(beds, 'bedsNursing')],
      ['托育机构 childcare institutions', expected.childcare.institutions, sum(childcare, 'institutions')],
      ['托育机构托位 childcare places', expected.childcare.places, sum(childcare, 'places')],
      ['幼儿园托位 kindergarten places', expected.kindergartenPublicNursery.places + expected.kindergartenPrivateNursery.places, sum(nursery, 'places')],
      ['公办幼儿园托位 public kindergarten places', expected.kindergartenPublicNursery.places, sum(nursery, 'places', (r) => r.ownership === 'PUBLIC')],
    ];
    process.stdout.write(`calibration at scale ${scale} (data generated and loaded in ${(loadedMs / 1000).toFixed(1)} s), counted through the connectors:\n`);
    let mismatches = 0;
    for (const [figure, want, got] of rows) {
      const ok = want === got;
      if (!ok) mismatches++;
      process.stdout.write(`${ok ? 'ok      ' : 'MISMATCH'}  ${figure.padEnd(40)} expected ${String(want).padStart(7)}  counted ${String(got).padStart(7)}\n`);
    }
    process.stdout.write(`calibration: ${rows.length - mismatches} figures match, ${mismatches} differ\n`);
    return mismatches === 0 ? 0 : 1;
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
