/**
 * The synthetic data set for the sandbox departments, as a library: what `npm start` (server/sandbox.ts) and the
 * test helpers (tests/helpers/departments.ts) call. The database must already be prepared
 * (`prepareDepartmentsDatabase`, with the caller's reader roles); these functions only generate and load.
 *
 * - `loadSyntheticData(url, { scale, seed })`: generates the data set and replaces the departments' data with it
 *   (one transaction, seeds/load.ts).
 * - `seedDepartmentsIfEmpty(url)`: the same at the default scale, only when public_security.person is empty
 *   (decided under the load lock, so hub processes starting together load it once) or when the database holds a
 *   data set of an older DATASET_VERSION (the shape of the data changed since it was loaded); null otherwise.
 */
import { DEFAULT_SCALE, generateDataset } from './dataset';
import { loadDataset, type LoadResult } from './load';
import pg from 'pg';
import { DEFAULT_SEED } from './random';

/** Raise when the generated data changes shape (new columns, new rules), so older sandboxes are reloaded. */
export const DATASET_VERSION = 3;

export interface SyntheticDataOptions {
  scale?: number;
  seed?: number;
}

export interface SyntheticDataLoaded {
  scale: number;
  seed: number;
  counts: LoadResult['counts'];
}

export async function loadSyntheticData(
  departmentsDbUrl: string,
  options: SyntheticDataOptions = {},
): Promise<SyntheticDataLoaded> {
  const scale = options.scale ?? DEFAULT_SCALE;
  const seed = options.seed ?? DEFAULT_SEED;
  const { dataset } = generateDataset({ scale, seed });
  const { counts } = await loadDataset(departmentsDbUrl, dataset);
  await recordVersion(departmentsDbUrl, scale, seed);
  return { scale, seed, counts };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Records that the departments database now holds a data set of the current DATASET_VERSION. */
export function recordVersion(url: string, scale: number, seed: number): Promise<void> {
  return withClient(url, async (client) => {
    await client.query(
      `INSERT INTO sandbox.dataset (version, scale, seed) VALUES ($1, $2, $3)
       ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, scale = EXCLUDED.scale, seed = EXCLUDED.seed, loaded_at = now()`,
      [DATASET_VERSION, scale, seed],
    );
  });
}

function loadedVersion(url: string): Promise<number | null> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ version: number }>('SELECT version FROM sandbox.dataset');
    return rows[0]?.version ?? null;
  });
}

function hasPeople(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM public_security.person) AS present');
    return rows[0]?.present === true;
  });
}

export async function seedDepartmentsIfEmpty(
  departmentsDbUrl: string,
  options: SyntheticDataOptions = {},
): Promise<SyntheticDataLoaded | null> {
  // Cheap checks first, so a restart does not generate a data set only to throw it away.
  const outdated = (await loadedVersion(departmentsDbUrl)) !== DATASET_VERSION;
  if ((await hasPeople(departmentsDbUrl)) && !outdated) return null;
  const scale = options.scale ?? DEFAULT_SCALE;
  const seed = options.seed ?? DEFAULT_SEED;
  const { dataset } = generateDataset({ scale, seed });
  const result = await loadDataset(departmentsDbUrl, dataset, { onlyIfEmpty: !outdated });
  if (result.loaded) await recordVersion(departmentsDbUrl, scale, seed);
  return result.loaded ? { scale, seed, counts: result.counts } : null;
}
