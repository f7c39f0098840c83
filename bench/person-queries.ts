/**
 * Benchmark: the showcase person query and a `persons(first: 100)` query with five departments nested, against
 * the sandbox departments loaded at scale 0.1, with the hub pinned to one core (taskset -c 0) and the load
 * generator (autocannon) and departments on the other. Runs the hub twice side by side — DataLoader batching
 * on, and off (HUB_LOADER_MAX_BATCH=1) — and prints requests/s, p50/p99 latency, connector calls per request,
 * non-2xx answers and the hub's peak RSS for each, then the ratios. Each run first checks that the query
 * answers real data without errors, so a fast error page can never pass as speed.
 *
 *   npm run bench -- --seconds 10 --connections 8
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { SHOWCASE } from '../seeds/showcase';
import { DEFAULT_DEMO_API_KEY } from '../server/config';
import { PERSONS_FIRST_100 } from './queries';
import { BENCH_OPS_KEY, connectorCalls, freePort, option, startBenchDepartments } from './support';

const SCALE = 0.1;
const ROOT = path.resolve(__dirname, '..');

const SCENARIOS = {
  'showcase person': {
    query: `query Showcase($id: String!) { person(citizenId: $id) { name age region { name } household { address }
      elderlyProfile { livingAlone assessments { level label } subsidies { kind amountYuan } careArrangement { kind } }
      health { familyDoctorContract { team } annualChecks { year } } insurance { status } socialSecurityCard { status } } }`,
    variables: { id: SHOWCASE.ELDERLY.citizenId },
    check: (data: any) => data?.person?.elderlyProfile?.assessments?.length > 0, // eslint-disable-line @typescript-eslint/no-explicit-any
  },
  'persons(first: 100)': PERSONS_FIRST_100,
} as const;

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

async function runHub(maxBatch: number, connectorEnv: Record<string, string>, seconds: number, connections: number) {
  const port = await freePort();
  const env = {
    ...process.env,
    ...connectorEnv,
    PORT: String(port),
    HOST: '127.0.0.1',
    HUB_ENV: 'test',
    HUB_OPS_KEY: BENCH_OPS_KEY,
    LOG_LEVEL: 'warn',
    HUB_SANDBOX_DEPARTMENTS: 'false',
    HUB_MIGRATE_ON_START: 'true',
    HUB_LOADER_MAX_BATCH: String(maxBatch),
    // The load generator is one consumer: the per-consumer rate limit would measure itself.
    HUB_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const pinned = fs.existsSync('/usr/bin/taskset');
  const command = pinned ? ['taskset', '-c', '0', process.execPath] : [process.execPath];
  const child = spawn(command[0]!, [...command.slice(1), '--import', 'tsx', 'demo/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (i > 240) throw new Error('the hub did not start within 60 s');
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
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      const body = JSON.stringify({ query: scenario.query, variables: scenario.variables });
      // The demo consumer (all access, purpose DEMO): every read is authorised, masked nowhere and audited.
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${DEFAULT_DEMO_API_KEY}`,
        'x-purpose': 'DEMO',
      };
      const request = { method: 'POST' as const, headers, body };
      const probe = (await (await fetch(`${url}/graphql`, request)).json()) as { data?: unknown; errors?: unknown };
      if (probe.errors || !scenario.check(probe.data))
        throw new Error(`${name}: the query did not answer real data: ${JSON.stringify(probe).slice(0, 300)}`);
      await autocannon({ url: `${url}/graphql`, ...request, connections, duration: 2 }); // warm-up
      const before = await connectorCalls(url);
      const run = await autocannon({ url: `${url}/graphql`, ...request, connections, duration: seconds });
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
    return { results, pinned };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function main(): Promise<void> {
  const seconds = option('seconds', 10);
  const connections = option('connections', 8);
  const { sandbox } = await startBenchDepartments('_bench', SCALE, 'bench');
  try {
    const batched = await runHub(1000, sandbox.connectorEnv, seconds, connections);
    const unbatched = await runHub(1, sandbox.connectorEnv, seconds, connections);
    process.stdout.write(
      `\nscale ${SCALE}, ${seconds} s per run, ${connections} connections, hub ${batched.pinned ? 'pinned to core 0' : 'not pinned'}, ` +
        `node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`,
    );
    process.stdout.write(
      '| query | loaders | req/s | p50 ms | p99 ms | connector calls/req | non-2xx | peak RSS MB |\n|---|---|---|---|---|---|---|---|\n',
    );
    for (const name of Object.keys(SCENARIOS)) {
      for (const [label, run] of [
        ['batched', batched],
        ['unbatched', unbatched],
      ] as const) {
        const r = run.results[name]!;
        process.stdout.write(
          `| ${name} | ${label} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.callsPerRequest} | ${r.non2xx} | ${r.rssMb} |\n`,
        );
      }
    }
    process.stdout.write('\nbatched / unbatched, measured side by side in this run:\n');
    for (const name of Object.keys(SCENARIOS)) {
      const b = batched.results[name]!;
      const u = unbatched.results[name]!;
      process.stdout.write(
        `  ${name}: ${(b.rps / Math.max(1, u.rps)).toFixed(2)}× requests/s, ` +
          `${(u.callsPerRequest / Math.max(0.01, b.callsPerRequest)).toFixed(1)}× fewer connector calls per request\n`,
      );
    }
  } finally {
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
