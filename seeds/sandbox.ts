/**
 * The synthetic data set for the sandbox departments, as a library: what `npm start` (server/sandbox.ts) and the
 * test helpers (tests/helpers/departments.ts) call. The database must already be prepared
 * (`prepareDepartmentsDatabase`, with the caller's reader roles); these functions only generate and load.
 *
 * - `loadSyntheticData(url, { scale, seed })`: generates the data set and replaces the departments' data with it
 *   (one transaction, seeds/load.ts).
 * - `seedDepartmentsIfEmpty(url)`: the same at the default scale, only when public_security.person is empty
 *   (decided under the load lock, so hub processes starting together load it once); null when it was not empty.
 */
import { DEFAULT_SCALE, generateDataset } from './dataset';
import { loadDataset, type LoadResult } from './load';
import pg from 'pg';
import { DEFAULT_SEED } from './random';

export interface SyntheticDataOptions {
  scale?: number;
  seed?: number;
}

export interface SyntheticDataLoaded {
  scale: number;
  seed: number;
  counts: LoadResult['counts'];
}

export async function loadSyntheticData(departmentsDbUrl: string, options: SyntheticDataOptions = {}): Promise<SyntheticDataLoaded> {
  const scale = options.scale ?? DEFAULT_SCALE;
  const seed = options.seed ?? DEFAULT_SEED;
  const { dataset } = generateDataset({ scale, seed });
  const { counts } = await loadDataset(departmentsDbUrl, dataset);
  return { scale, seed, counts };
}

async function hasPeople(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM public_security.person) AS present');
    return rows[0]?.present === true;
  } finally {
    await client.end();
  }
}

export async function seedDepartmentsIfEmpty(
  departmentsDbUrl: string,
  options: SyntheticDataOptions = {},
): Promise<SyntheticDataLoaded | null> {
  // Cheap check first, so a restart does not generate a data set only to throw it away.
  if (await hasPeople(departmentsDbUrl)) return null;
  const scale = options.scale ?? DEFAULT_SCALE;
  const seed = options.seed ?? DEFAULT_SEED;
  const { dataset } = generateDataset({ scale, seed });
  const result = await loadDataset(departmentsDbUrl, dataset, { onlyIfEmpty: true });
  return result.loaded ? { scale, seed, counts: result.counts } : null;
}
