/**
 * What the benchmarks share: their numeric options, a free port for a hub process, and sandbox departments over
 * the synthetic data set at a scale (loaded once into a database of the benchmark's own).
 */
import net from 'node:net';
import pg from 'pg';
import { departmentsDatabaseUrl, prepareDepartmentsDatabase } from '../departments/database';
import { startSandboxDepartments } from '../departments/supervisor';
import { scaleFigures } from '../seeds/figures';
import { loadSyntheticData } from '../seeds/sandbox';

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
