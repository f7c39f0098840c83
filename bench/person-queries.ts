/**
 * Benchmark: the hub under load on three queries as the demo consumer (every request authenticated, every field
 * guarded by the catalogue, every personal read audited before it is answered), against the sandbox departments:
 * the list of 100 elderly-care institutions with 16 fields at scale 1 (query 1 of issue 13, the same rows and
 * fields a PostGraphile peer answers), and the showcase person and a `persons(first: 100)` query with five
 * departments nested at scale 0.1. The hub is pinned to one core (taskset -c 0), the load generator (autocannon)
 * and departments run on the other. Each run first checks that the query answers real data without errors, so a
 * fast error page can never pass as speed; it prints requests/s, p50/p99 latency, connector calls per request,
 * non-2xx answers and the hub's peak RSS, then ratios measured side by side in the same run.
 *
 * Two comparisons:
 * - default: DataLoader batching on, and off (HUB_LOADER_MAX_BATCH=1);
 * - `--baseline DIR`: this tree against the hub in DIR (an earlier commit, e.g. `git archive <commit> | tar -x -C
 *   DIR`, with `node_modules` and `prisma/generated` linked or copied in), alternately A B A B for `--rounds`
 *   rounds; the baseline hub uses its own hub database (DATABASE_URL + `_baseline`), so migrations never mix.
 *
 *   npm run bench -- --seconds 10 --connections 8 [--baseline DIR] [--rounds 2] [--only institutions,persons]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { SHOWCASE } from '../seeds/showcase';
import { DEFAULT_DEMO_API_KEY } from '../server/config';
import pg from 'pg';
import { INSTITUTIONS_HUB, PERSONS_FIRST_100 } from './queries';
import { BENCH_OPS_KEY, connectorCalls, freePort, option, startBenchDepartments, textOption } from './support';

const ROOT = path.resolve(__dirname, '..');

/* eslint-disable @typescript-eslint/no-explicit-any -- the checks read answers of queries written here */
interface Scenario {
  /** The data set's scale (each scale is its own sandbox and its own runs of the hub). */
  scale: number;
  query: string;
  variables: Record<string, unknown>;
  check: (data: any) => boolean;
}

const SCENARIOS: Record<string, Scenario & { group: string }> = {
  'institutions(first: 100)': {
    group: 'institutions',
    scale: 1,
    // The same 100 rows and 16 fields as the PostGraphile peer reads (bench/peer.ts).
    query: INSTITUTIONS_HUB,
    variables: {},
    check: (data: any) =>
      data?.elderlyCareInstitutions?.edges?.length === 100 &&
      data.elderlyCareInstitutions.edges.every((edge: any) => typeof edge.node.name === 'string' && edge.node.beds),
  },
  'showcase person': {
    group: 'persons',
    scale: 0.1,
    query: `query Showcase($id: String!) { person(citizenId: $id) { name age region { name } household { address }
      elderlyProfile { livingAlone assessments { level label } subsidies { kind amountYuan } careArrangement { kind } }
      health { familyDoctorContract { team } annualChecks { year } } insurance { status } socialSecurityCard { status } } }`,
    variables: { id: SHOWCASE.ELDERLY.citizenId },
    check: (data: any) => data?.person?.elderlyProfile?.assessments?.length > 0,
  },
  'persons(first: 100)': { group: 'persons', scale: 0.1, ...PERSONS_FIRST_100 },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  callsPerRequest: number;
  non2xx: number;
  rssMb: number;
}

/** One hub to measure: where its code is, its hub database, and its loader batch size. */
interface Build {
  label: string;
  root: string;
  databaseUrl: string;
  maxBatch: number;
}

interface Load {
  seconds: number;
  connections: number;
}

async function runHub(build: Build, scenarios: string[], connectorEnv: Record<string, string>, load: Load) {
  const port = await freePort();
  const env = {
    ...process.env,
    ...connectorEnv,
    DATABASE_URL: build.databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    HUB_ENV: 'test',
    HUB_OPS_KEY: BENCH_OPS_KEY,
    LOG_LEVEL: 'warn',
    HUB_SANDBOX_DEPARTMENTS: 'false',
    HUB_MIGRATE_ON_START: 'true',
    HUB_LOADER_MAX_BATCH: String(build.maxBatch),
    // The load generator is one consumer: the per-consumer rate limit would measure itself.
    HUB_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const pinned = fs.existsSync('/usr/bin/taskset');
  const command = pinned ? ['taskset', '-c', '0', process.execPath] : [process.execPath];
  // The hub's output goes to a file, named in the error when the hub stops before the run is over.
  const logFile = path.join(os.tmpdir(), `bench-hub-${port}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = spawn(command[0]!, [...command.slice(1), '--import', 'tsx', 'demo/main.ts'], {
    cwd: build.root,
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const alive = () => {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${build.label}: the hub stopped (${child.exitCode ?? child.signalCode}); its output is in ${logFile}`);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      alive();
      if (i > 240) throw new Error(`${build.label}: the hub did not start within 60 s`);
      if (
        await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const results: Record<string, Result> = {};
    for (const name of scenarios) {
      const scenario = SCENARIOS[name]!;
      const body = JSON.stringify({ query: scenario.query, variables: scenario.variables });
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${DEFAULT_DEMO_API_KEY}`,
        'x-purpose': 'DEMO',
      };
      const request = { method: 'POST' as const, headers, body };
      const probe = (await (await fetch(`${url}/graphql`, request)).json()) as { data?: unknown; errors?: unknown };
      if (probe.errors || !scenario.check(probe.data))
        throw new Error(`${build.label}, ${name}: the query did not answer real data: ${JSON.stringify(probe).slice(0, 300)}`);
      await autocannon({ url: `${url}/graphql`, ...request, connections: load.connections, duration: 2 }); // warm-up
      const before = await connectorCalls(url);
      const run = await autocannon({ url: `${url}/graphql`, ...request, connections: load.connections, duration: load.seconds });
      alive();
      const after = await connectorCalls(url);
      results[name] = {
        rps: Math.round(run.requests.average),
        p50: run.latency.p50,
        p99: run.latency.p99,
        callsPerRequest: Math.round(((after - before) / Math.max(1, run.requests.total)) * 100) / 100,
        non2xx: run.non2xx + run.errors,
        rssMb: 0,
      };
    }
    const rssMb = peakRssMb(child.pid!);
    for (const result of Object.values(results)) result.rssMb = rssMb;
    fs.rmSync(logFile, { force: true });
    return { results, pinned };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Creates the baseline's own hub database on first use (its hub migrates it at start). */
async function ensureDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const load = { seconds: option('seconds', 10), connections: option('connections', 8) };
  const baselineRoot = textOption('baseline');
  const rounds = baselineRoot ? option('rounds', 2) : 1;
  const groups = (textOption('only') ?? 'institutions,persons').split(',');
  const hubDatabaseUrl = process.env.DATABASE_URL;
  if (!hubDatabaseUrl) throw new Error('DATABASE_URL is not set: run `npm run bench`, which provides it');
  let builds: Build[];
  if (baselineRoot) {
    const baselineUrl = new URL(hubDatabaseUrl);
    baselineUrl.pathname += '_baseline';
    await ensureDatabase(baselineUrl.toString());
    builds = [
      { label: 'this tree', root: ROOT, databaseUrl: hubDatabaseUrl, maxBatch: 1000 },
      { label: 'baseline', root: path.resolve(baselineRoot), databaseUrl: baselineUrl.toString(), maxBatch: 1000 },
    ];
  } else {
    builds = [
      { label: 'batched', root: ROOT, databaseUrl: hubDatabaseUrl, maxBatch: 1000 },
      { label: 'unbatched', root: ROOT, databaseUrl: hubDatabaseUrl, maxBatch: 1 },
    ];
  }
  const names = Object.keys(SCENARIOS).filter((name) => groups.includes(SCENARIOS[name]!.group));
  const scales = [...new Set(names.map((name) => SCENARIOS[name]!.scale))];
  // results[build][scenario]: one Result per round.
  const results = new Map(builds.map((build) => [build.label, new Map(names.map((name) => [name, [] as Result[]]))]));
  let pinned = false;
  for (const scale of scales) {
    const scenarios = names.filter((name) => SCENARIOS[name]!.scale === scale);
    const suffix = scale === 1 ? '_bench_scale1' : `_bench`;
    const { sandbox } = await startBenchDepartments(suffix, scale, 'bench');
    try {
      for (let round = 0; round < rounds; round++) {
        for (const build of builds) {
          const run = await runHub(build, scenarios, sandbox.connectorEnv, load);
          pinned = run.pinned;
          for (const name of scenarios) {
            const r = run.results[name]!;
            results.get(build.label)!.get(name)!.push(r);
            process.stdout.write(`${name}, ${build.label}, round ${round + 1}: ${r.rps} req/s, p99 ${r.p99} ms\n`);
          }
        }
      }
    } finally {
      await sandbox.stop();
    }
  }
  process.stdout.write(
    `\n${load.seconds} s per run, ${load.connections} connections, ${rounds} round(s) A B, hub ${pinned ? 'pinned to core 0' : 'not pinned'}, ` +
      `node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`,
  );
  process.stdout.write(
    '| query | scale | hub | req/s | p50 ms | p99 ms | connector calls/req | non-2xx | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const name of names) {
    for (const build of builds) {
      for (const r of results.get(build.label)!.get(name)!) {
        process.stdout.write(
          `| ${name} | ${SCENARIOS[name]!.scale} | ${build.label} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.callsPerRequest} | ${r.non2xx} | ${r.rssMb} |\n`,
        );
      }
    }
  }
  const [a, b] = builds as [Build, Build];
  process.stdout.write(`\n${a.label} / ${b.label}, measured side by side in this run (means over rounds):\n`);
  for (const name of names) {
    const ra = results.get(a.label)!.get(name)!;
    const rb = results.get(b.label)!.get(name)!;
    const rps = mean(ra.map((r) => r.rps)) / Math.max(1, mean(rb.map((r) => r.rps)));
    const p99 = mean(ra.map((r) => r.p99)) / Math.max(0.01, mean(rb.map((r) => r.p99)));
    const calls = mean(rb.map((r) => r.callsPerRequest)) / Math.max(0.01, mean(ra.map((r) => r.callsPerRequest)));
    process.stdout.write(
      `  ${name}: ${rps.toFixed(2)}× requests/s, ${p99.toFixed(2)}× p99 latency, ${calls.toFixed(1)}× fewer connector calls per request\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
