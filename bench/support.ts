/** What the benchmarks share: a free port for a hub process, and the synthetic data set at a scale, loaded once. */
import net from 'node:net';
import pg from 'pg';
import { prepareDepartmentsDatabase } from '../departments/database';
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

/** Loads the synthetic data at `scale` unless the departments' database already holds that data set. */
export async function ensureData(departmentsDbUrl: string, scale: number): Promise<void> {
  await prepareDepartmentsDatabase(departmentsDbUrl);
  const client = new pg.Client({ connectionString: departmentsDbUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM public_security.person WHERE residence_type <> 'REGISTERED_ONLY'",
  );
  await client.end();
  if (Number(rows[0]!.n) === scaleFigures(scale).residentPopulation) return;
  process.stdout.write(`loading synthetic data at scale ${scale}…\n`);
  const started = Date.now();
  await loadSyntheticData(departmentsDbUrl, { scale });
  process.stdout.write(`loaded in ${Math.round((Date.now() - started) / 1000)} s\n`);
}
