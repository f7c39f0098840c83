/**
 * What the benchmarks share: their numeric options, a free port and a started hub process, its department-call
 * count, and sandbox departments over the synthetic data set at a scale (loaded once into a database of the
 * benchmark's own).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { departmentsDatabaseUrl, prepareDepartmentsDatabase } from '../departments/database';
import { startSandboxDepartments } from '../departments/supervisor';
import { scaleFigures } from '../seeds/figures';
import { loadSyntheticData } from '../seeds/sandbox';
import { HUB_NODE_FLAGS } from '../server/config';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Loads the synthetic data at `scale` unless the departments' database already holds that data set (people
 * registered through the hub's birth registrations, e.g. by bench/births.ts, are not part of it).
 */
export async function ensureData(departmentsDbUrl: string, scale: number): Promise<void> {
  await prepareDepartmentsDatabase(departmentsDbUrl);
  const client = new pg.Client({ connectionString: departmentsDbUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM public_security.person p WHERE residence_type <> 'REGISTERED_ONLY'
        AND NOT EXISTS (SELECT 1 FROM public_security.birth_registration r
                         WHERE r.citizen_id = p.citizen_id AND r.idempotency_key IS NOT NULL)`,
  );
  await client.end();
  if (Number(rows[0]!.n) === scaleFigures(scale).residentPopulation) return;
  process.stdout.write(`loading synthetic data at scale ${scale}…\n`);
  const started = Date.now();
  await loadSyntheticData(departmentsDbUrl, { scale });
  process.stdout.write(`loaded in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

/** `--name N` from the command line (a positive number), or `fallback`. */
export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** `--name TEXT` from the command line, or undefined. */
export function textOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return undefined;
  const value = process.argv[at + 1];
  if (!value || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

/**
 * Sandbox departments over the data set at `scale`, in the departments' database of DATABASE_URL (which the npm
 * script provides) with `suffix` appended, so each benchmark keeps its own data set between runs.
 */
export async function startBenchDepartments(suffix: string, scale: number, script: string) {
  const hubUrl = process.env.DATABASE_URL;
  if (!hubUrl) throw new Error(`DATABASE_URL is not set: run \`npm run ${script}\`, which provides it`);
  const url = new URL(departmentsDatabaseUrl(hubUrl, {}));
  url.pathname += suffix;
  await ensureData(url.toString(), scale);
  const sandbox = await startSandboxDepartments({
    departmentsDbUrl: url.toString(),
    ports: 0,
    skipPrepare: true,
    output: 'ignore',
  });
  return { sandbox, hubDatabaseUrl: hubUrl, departmentsDbUrl: url.toString() };
}

/** The operators' key the benchmarks' hubs are started with: it opens /metrics. */
export const BENCH_OPS_KEY = 'bench-ops-key-0123456789abcdef';

/** Department calls the hub has made so far (the sum of `hub_connector_requests_total`). */
export async function connectorCalls(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_OPS_KEY}` } })).text();
  return [...text.matchAll(/^hub_connector_requests_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

export interface BenchHub {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

/**
 * A hub process (demo/main.ts: demo data and the all-access demo consumer, sandbox departments off, pointed at
 * `connectorEnv`) on a free port, pinned to core 0 when taskset exists, resolved once /healthz answers. `env`
 * adds or overrides variables; `nodeArgs` go before the entry point (e.g. `--require` a preload).
 */
export async function startBenchHub(
  connectorEnv: Record<string, string>,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<BenchHub> {
  const port = await freePort();
  const pinned = fs.existsSync('/usr/bin/taskset');
  const command = pinned ? ['taskset', '-c', '0', process.execPath] : [process.execPath];
  // The hub as it is shipped: the Node flags of the service command and `npm start`.
  const child = spawn(command[0]!, [...command.slice(1), ...HUB_NODE_FLAGS, ...nodeArgs, '--import', 'tsx', 'demo/main.ts'], {
    cwd: path.resolve(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...connectorEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      HUB_ENV: 'test',
      HUB_OPS_KEY: BENCH_OPS_KEY,
      LOG_LEVEL: 'warn',
      HUB_SANDBOX_DEPARTMENTS: 'false',
      HUB_MIGRATE_ON_START: 'true',
      // The load generator is one consumer: the per-consumer rate limit would measure itself.
      HUB_RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the hub exited with status ${child.exitCode} while starting`);
    if (i > 240) {
      await stop();
      throw new Error('the hub did not start within 60 s');
    }
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, pid: child.pid!, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
}
