/**
 * Benchmark: all 21 indicators × 渝中区 and its 11 streets (2022) on the full-scale synthetic data set (scale 1),
 * through the hub's HTTP endpoint, side by side with the floor: the same figures computed by one SQL query per
 * indicator directly on the department databases (no hub, no connector, no cache).
 *
 * - cold: every connector's data version bumped first (notifyDepartmentChange, as when a department reports a
 *   change), so each department aggregate the request needs is fetched again;
 * - warm, computed again: the same figures asked in a new way each time (the 21 codes shuffled), so that every
 *   value is computed again from the cached aggregates and a run persisted; warm, the same request: answered
 *   with the earlier computation (the engine reuses a computation whose inputs are all unchanged);
 * - department calls per request, per connector, from the hub's /metrics (`<aggregate>.aggregate` operations);
 * - the floor, cold (first run of each query) and warm (best of the repeats), and its figures compared with the
 *   hub's value by value (rounded to each indicator's decimals), so a fast wrong answer cannot pass.
 * Goal (issue 12): cold < 1 s, warm < 20 ms, ≤ 1 call per connector per request.
 *
 *   npm run bench:indicators -- --cold 5 --warm 50
 */
import pg from 'pg';
import { DEFAULT_DEMO_API_KEY } from '../server/config';
import { BENCH_OPS_KEY, option, startBenchDepartments, startBenchHub } from './support';

const SCALE = 1;
const DISTRICT = '500103';
const CONNECTORS = ['public-security', 'health', 'civil-affairs', 'education'];

const VALUES = `query Bench($codes: [String!]) { indicatorValues(codes: $codes, regionCodes: ["${DISTRICT}"], parentCode: "${DISTRICT}", regionLevel: STREET, periods: ["2022"]) {
  indicator { code factor decimals } regionCode value status } }`;

interface Value {
  indicator: { code: string; factor: number; decimals: number };
  regionCode: string;
  value: number | null;
  status: string;
}

// ------------------------------------------------------------------------------------------------ the floor

/** A metric as SQL: rows (region_code, x) and how they aggregate. */
interface SqlMetric {
  rows: string;
  agg: 'count(*)' | 'sum(x)' | 'count(DISTINCT x)';
}
const m = (rows: string, agg: SqlMetric['agg'] = 'count(*)'): SqlMetric => ({ rows, agg });
const facilities = (where = 'true') => m(`SELECT region_code, 1 AS x FROM civil_affairs.institution WHERE ${where}`);
const beds = (column: string, where = 'true') =>
  m(`SELECT region_code, ${column} AS x FROM civil_affairs.institution WHERE ${where}`, 'sum(x)');
const elderly = (where: string) => m(`SELECT region_code, 1 AS x FROM civil_affairs.elderly_status WHERE ${where}`);
const residents = (where = 'true') =>
  m(`SELECT region_code, 1 AS x FROM public_security.person WHERE residence_type <> 'REGISTERED_ONLY' AND ${where}`);
const CARE = `kind IN ('FULL_CARE_INSTITUTION', 'STREET_CENTRE', 'COMMUNITY_STATION')`;
const places = (filed: string, kindergartens: string) =>
  m(
    `SELECT region_code, places AS x FROM health.childcare_institution WHERE filing_status = 'FILED' AND ${filed}
     UNION ALL SELECT region_code, nursery_class_places FROM education.kindergarten WHERE ${kindergartens}`,
    'sum(x)',
  );
const UNDER3 = `birth_date BETWEEN DATE '2020-01-01' AND DATE '2022-12-31'`;

/** The 21 rows as [numerator, denominator?]; null where no department holds the figure (reported, monthly only). */
const FLOOR: Record<string, [SqlMetric, SqlMetric?] | null> = {
  ELDERLY_CARE_BEDS: [beds('beds_total')],
  BEDS_PER_1000_ELDERLY: [beds('beds_total'), residents(`birth_date <= DATE '1962-12-31'`)],
  NURSING_BEDS: [beds('beds_nursing')],
  STREET_CENTRES: [facilities(`kind = 'STREET_CENTRE'`)],
  SAFETY_NET_BEDS: [beds('beds_safety_net')],
  COMMUNITY_STATIONS: [facilities(`kind = 'COMMUNITY_STATION'`)],
  HOME_CARE_BEDS: [elderly(`care_kind = 'HOME_CARE_BED'`)],
  NURSING_BED_SHARE: [beds('beds_nursing'), beds('beds_total')],
  GOVERNMENT_OPERATED_BED_SHARE: [beds('beds_total', `ownership = 'PUBLIC'`), beds('beds_total')],
  SOCIALLY_OPERATED_FACILITY_RATE: [facilities(`${CARE} AND ownership = 'PRIVATE'`), facilities(CARE)],
  DISABLED_SPECIAL_HARDSHIP_CENTRAL_CARE_RATE: [
    elderly(`special_hardship AND capability_level >= 2 AND care_kind = 'INSTITUTION'`),
    elderly('special_hardship AND capability_level >= 2 AND NOT declines_central_care'),
  ],
  // Communities of the region tree are the hub's (one more query, on the hub database).
  MEAL_ASSISTANCE_COMMUNITY_COVERAGE: [
    m(
      `SELECT region_code, region_code AS x FROM civil_affairs.institution WHERE subtype = 'COMMUNITY_CANTEEN' AND region_code NOT LIKE '%000'`,
      'count(DISTINCT x)',
    ),
  ],
  BASIC_ELDERLY_SERVICE_COVERAGE: [
    m(
      `SELECT region_code, citizen_id AS x FROM civil_affairs.service_receipt WHERE starts_on <= DATE '2022-12-31' AND ends_on >= DATE '2022-01-01'`,
      'count(DISTINCT x)',
    ),
    elderly('special_difficulty'),
  ],
  MONTHLY_VISIT_RATE: null,
  NEW_RESIDENTIAL_AREA_FACILITY_COMPLIANCE: null,
  CARE_WORKER_TRAINING: null,
  IT_SERVICE_COMMUNITY_COVERAGE: null,
  CHILDCARE_PLACES_PER_1000: [places('true', 'true'), residents()],
  CHILDCARE_PLACES: [places('true', 'true')],
  PUBLIC_CHILDCARE_PLACES: [places(`registration_authority = 'PUBLIC_SECTOR'`, `ownership = 'PUBLIC'`)],
  INFANT_HEALTH_MANAGEMENT_RATE: [
    m(`SELECT region_code, 1 AS x FROM health.infant_management WHERE ${UNDER3} AND managed_until >= DATE '2022-12-31'`),
    residents(UNDER3),
  ],
};

/** One SQL statement: the figure for the district (street null) and for each street. */
function floorSql(numerator: SqlMetric, denominator: SqlMetric | undefined, factor: number): string {
  const side = (name: string, metric: SqlMetric) =>
    `${name} AS (SELECT left(region_code, 9) AS s, ${metric.agg}::numeric AS v FROM (${metric.rows}) t
       WHERE region_code LIKE '${DISTRICT}%' GROUP BY GROUPING SETS ((left(region_code, 9)), ()))`;
  if (!denominator) return `WITH ${side('n', numerator)} SELECT s, v FROM n`;
  return `WITH ${side('n', numerator)}, ${side('d', denominator)}
    SELECT d.s, CASE WHEN d.v = 0 THEN NULL ELSE ${factor} * coalesce(n.v, 0) / d.v END AS v
      FROM d LEFT JOIN n ON n.s IS NOT DISTINCT FROM d.s`;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

async function floor(departments: pg.Client, hub: pg.Client, hubValues: Value[], repeats: number) {
  const definitions = new Map(hubValues.map((v) => [v.indicator.code, v.indicator]));
  const communities = await hub.query<{ s: string | null; n: string }>(
    `SELECT left(code, 9) AS s, count(*) AS n FROM region WHERE level = 'COMMUNITY' AND code LIKE '${DISTRICT}%' GROUP BY GROUPING SETS ((left(code, 9)), ())`,
  );
  const communityCount = new Map(communities.rows.map((r) => [r.s, Number(r.n)]));
  let coldMs = 0;
  let warmMs = 0;
  let queries = 0;
  const figures = new Map<string, number | null>();
  for (const [code, metrics] of Object.entries(FLOOR)) {
    if (!metrics) continue;
    const { factor, decimals } = definitions.get(code)!;
    const sql = floorSql(metrics[0], metrics[1], factor);
    let best = Infinity;
    let rows: Array<{ s: string | null; v: string | null }> = [];
    for (let i = 0; i <= repeats; i++) {
      const started = process.hrtime.bigint();
      rows = (await departments.query<{ s: string | null; v: string | null }>(sql)).rows;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (i === 0) coldMs += ms;
      else best = Math.min(best, ms);
    }
    warmMs += best;
    queries++;
    const byStreet = new Map(rows.map((r) => [r.s, r.v === null ? null : Number(r.v)]));
    for (const region of new Set(hubValues.map((v) => v.regionCode))) {
      const key = region === DISTRICT ? null : region;
      let value = byStreet.has(key) ? byStreet.get(key)! : metrics[1] ? null : 0;
      if (code === 'MEAL_ASSISTANCE_COMMUNITY_COVERAGE') {
        const total = communityCount.get(key) ?? 0;
        value = total === 0 ? null : (100 * (value ?? 0)) / total;
      }
      figures.set(`${code}/${region}`, value === null ? null : round(value, decimals));
    }
  }
  let compared = 0;
  const mismatches: string[] = [];
  for (const v of hubValues) {
    const key = `${v.indicator.code}/${v.regionCode}`;
    if (!figures.has(key)) continue;
    compared++;
    const want = figures.get(key)!;
    if (want !== v.value) mismatches.push(`${key}: hub ${v.value} (${v.status}), floor ${want}`);
  }
  return { coldMs, warmMs, queries, compared, mismatches };
}

// ------------------------------------------------------------------------------------------------- the hub

/**
 * Aggregate calls made so far per connector, and the seconds spent in them (health checks and record reads
 * left out), from the hub's /metrics.
 */
async function aggregateCalls(url: string, series = 'hub_connector_requests_total'): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_OPS_KEY}` } })).text();
  const calls = new Map<string, number>();
  for (const match of text.matchAll(new RegExp(`^${series}\\{([^}]*)\\} ([\\d.e+-]+)`, 'gm'))) {
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    // One aggregate, or several in one call (connectors/transports/transport.ts BATCH_AGGREGATE_OPERATION).
    if (!String(labels.operation).endsWith('.aggregate') && labels.operation !== 'aggregates.batch') continue;
    calls.set(labels.connector, (calls.get(labels.connector) ?? 0) + Number(match[2]));
  }
  return calls;
}
const aggregateSeconds = (url: string) => aggregateCalls(url, 'hub_connector_request_duration_seconds_sum');

const headers = { 'content-type': 'application/json', authorization: `Bearer ${DEFAULT_DEMO_API_KEY}`, 'x-purpose': 'DEMO' };

async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = (await (
    await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) })
  ).json()) as {
    data?: T;
    errors?: unknown;
  };
  if (body.errors || !body.data) throw new Error(`query failed: ${JSON.stringify(body).slice(0, 400)}`);
  return body.data;
}

/** `codes`: the 21 codes in some order (all of them when null): a request the hub has not answered before. */
async function timed(url: string, codes: string[] | null = null): Promise<{ ms: number; values: Value[] }> {
  const started = process.hrtime.bigint();
  const data = await graphql<{ indicatorValues: Value[] }>(url, VALUES, { codes });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, values: data.indicatorValues };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : String(Math.round(ms)));

async function main(): Promise<void> {
  const coldRuns = option('cold', 5);
  const warmRuns = option('warm', 50);
  const { sandbox, hubDatabaseUrl, departmentsDbUrl } = await startBenchDepartments('_bench_scale1', SCALE, 'bench:indicators');
  // As a service manager runs the hub (NODE_ENV=production), pinned to core 0; BENCH_HUB_NODE_ARGS adds node
  // options (e.g. --cpu-prof).
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const hub = await startBenchHub(sandbox.connectorEnv, { NODE_ENV: 'production' }, nodeArgs);
  const hubBase = hub.url;
  const departments = new pg.Client({ connectionString: departmentsDbUrl });
  const hubDb = new pg.Client({ connectionString: hubDatabaseUrl });
  try {
    await departments.connect();
    await hubDb.connect();
    const invalidate = async () => {
      for (const connector of CONNECTORS)
        await graphql(hubBase, `mutation { notifyDepartmentChange(connector: "${connector}") }`);
    };
    // One warm-up (JIT, pools, definitions), then cold and warm runs, each with its department calls.
    await invalidate();
    const probe = await timed(hubBase);
    if (probe.values.length !== 21 * 12) throw new Error(`expected 252 values, got ${probe.values.length}`);
    const cold: number[] = [];
    const coldCalls: Array<Map<string, number>> = [];
    const coldCallMs: Array<Map<string, number>> = [];
    for (let i = 0; i < coldRuns; i++) {
      await invalidate();
      const [before, secondsBefore] = await Promise.all([aggregateCalls(hubBase), aggregateSeconds(hubBase)]);
      cold.push((await timed(hubBase)).ms);
      const [after, secondsAfter] = await Promise.all([aggregateCalls(hubBase), aggregateSeconds(hubBase)]);
      coldCalls.push(new Map(CONNECTORS.map((c) => [c, (after.get(c) ?? 0) - (before.get(c) ?? 0)])));
      coldCallMs.push(new Map(CONNECTORS.map((c) => [c, ((secondsAfter.get(c) ?? 0) - (secondsBefore.get(c) ?? 0)) * 1000])));
    }
    // Warm, computed again: the 21 codes in a new order each time, a request no earlier computation answered,
    // so every value is computed again from the cached aggregates and a new run is persisted. Warm, the same
    // request: answered with the earlier computation of it (engine contract).
    const codes = [...new Set(probe.values.map((v) => v.indicator.code))];
    const shuffled = () =>
      codes
        .map((c) => [Math.random(), c] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, c]) => c);
    const recomputed: number[] = [];
    const warm: number[] = [];
    const beforeWarm = await aggregateCalls(hubBase);
    let last = probe.values;
    for (let i = 0; i < warmRuns; i++) {
      const run = await timed(hubBase, shuffled());
      if (run.values.length !== probe.values.length) throw new Error(`expected ${probe.values.length} values`);
      recomputed.push(run.ms);
    }
    for (let i = 0; i < warmRuns; i++) {
      const run = await timed(hubBase);
      warm.push(run.ms);
      last = run.values;
    }
    const afterWarm = await aggregateCalls(hubBase);
    const warmCalls = CONNECTORS.reduce((n, c) => n + (afterWarm.get(c) ?? 0) - (beforeWarm.get(c) ?? 0), 0) / (2 * warmRuns);
    const floorResult = await floor(departments, hubDb, last, 5);

    const perConnector = CONNECTORS.map((c) => `${c} ${median(coldCalls.map((calls) => calls.get(c)!))}`).join(', ');
    const coldTotal = median(coldCalls.map((calls) => [...calls.values()].reduce((a, b) => a + b, 0)));
    const callTime = CONNECTORS.map((c) => `${c} ${fmt(median(coldCallMs.map((ms) => ms.get(c)!)))}`).join(', ');
    const maxPerConnector = Math.max(...coldCalls.flatMap((calls) => [...calls.values()]));
    process.stdout.write(
      `\n21 indicators × ${DISTRICT} + 11 streets, 2022 (252 values), scale ${SCALE}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n` +
        '| | hub cold | hub warm, computed again | hub warm, same request | floor cold (Σ 1 SQL query per indicator) | floor warm |\n|---|---|---|---|---|---|\n' +
        `| latency ms (median of ${coldRuns} cold, ${warmRuns} + ${warmRuns} warm) | ${fmt(median(cold))} | ${fmt(median(recomputed))} | ${fmt(median(warm))} | ${fmt(floorResult.coldMs)} (${floorResult.queries} queries) | ${fmt(floorResult.warmMs)} |\n` +
        `| department calls per request | ${coldTotal} (${perConnector}) | ${warmCalls} | ${warmCalls} | — | — |\n` +
        `| of which department time, ms (calls run at the same time) | ${callTime} | — | — | — | — |\n\n` +
        `hub cold / floor cold: ${(median(cold) / floorResult.coldMs).toFixed(2)}×; hub warm (computed again) / floor warm: ${(median(recomputed) / floorResult.warmMs).toFixed(3)}×\n` +
        `goal: cold < 1000 ms ${median(cold) < 1000 ? 'met' : 'NOT met'}; warm < 20 ms (computed again) ${median(recomputed) < 20 ? 'met' : 'NOT met'}; ` +
        `≤ 1 call per connector ${maxPerConnector <= 1 ? 'met' : `NOT met (up to ${maxPerConnector})`}\n` +
        `floor figures compared with the hub's: ${floorResult.compared} values, ${floorResult.mismatches.length} mismatches\n`,
    );
    for (const line of floorResult.mismatches.slice(0, 20)) process.stdout.write(`  MISMATCH ${line}\n`);
    if (floorResult.mismatches.length) process.exitCode = 1;
  } finally {
    await departments.end().catch(() => undefined);
    await hubDb.end().catch(() => undefined);
    await hub.stop();
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
