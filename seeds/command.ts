/**
 * The `npm run seed` command (seeds/cli.ts is its entry point; this module is testable in-process).
 *
 *   npm run seed -- [--scale S] [--seed N]          generate and load into the departments database
 *   npm run seed -- [--scale S] [--seed N] --out DIR [--format csv|json]   write files instead
 *   npm run seed -- --from DIR                       validate a directory of files, then load it
 *   npm run seed -- [--scale S] [--seed N] --checksum   print the data set's SHA-256 (nothing loaded)
 *   npm run seed -- --from DIR --checksum            the same for a directory
 *
 * Contract: exit status 0 on success, 1 when the data or the load fails (nothing is loaded then), 2 for a
 * usage error or a missing DATABASE_URL. Output holds counts, timings and checksums only, never personal data;
 * validation problems name file, line, column and reason, not values.
 */
import { parseArgs } from 'node:util';
import { departmentsDatabaseUrl, prepareDepartmentsDatabase } from '../departments/database';
import { datasetChecksum } from './checksum';
import { DEFAULT_SCALE, generateDataset, MIN_SCALE } from './dataset';
import { readDataset, writeDataset, type FileFormat } from './files';
import { loadDataset } from './load';
import { recordVersion } from './sandbox';
import { DEFAULT_SEED } from './random';
import { TABLE_ORDER, tableSpec, type Dataset } from './tables';

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export const USAGE = `usage: npm run seed -- [options]
  --scale S           share of the Yuzhong figures to generate, ${MIN_SCALE} ≤ S ≤ 1 (default ${DEFAULT_SCALE})
  --seed N            random seed, an integer 0 … 2147483647 (default ${DEFAULT_SEED})
  --out DIR           write the data set to DIR (a folder per department schema) instead of loading it
  --format csv|json   file format for --out (default csv)
  --from DIR          load the data set in DIR (validated first; nothing is loaded if any row is bad)
  --checksum          print the SHA-256 of the data set and load nothing
Loading needs DATABASE_URL (the hub database; the departments database is derived from it).`;

export class UsageError extends Error {}

export interface SeedOptions {
  scale: number;
  seed: number;
  out: string | undefined;
  format: FileFormat;
  from: string | undefined;
  checksum: boolean;
  help: boolean;
}

export function parseSeedArgs(argv: readonly string[]): SeedOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scale: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        from: { type: 'string' },
        checksum: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const scale = values.scale === undefined ? DEFAULT_SCALE : Number(values.scale);
  if (values.scale !== undefined && !(/^\d*\.?\d+(e-?\d+)?$/i.test(values.scale) && scale >= MIN_SCALE && scale <= 1)) {
    throw new UsageError(`--scale must be a number from ${MIN_SCALE} to 1`);
  }
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (values.seed !== undefined && !(/^\d+$/.test(values.seed) && seed <= 2_147_483_647)) {
    throw new UsageError('--seed must be an integer from 0 to 2147483647');
  }
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'json') {
    throw new UsageError('--format must be csv or json');
  }
  if (values.format !== undefined && values.out === undefined) throw new UsageError('--format applies to --out');
  if (values.from !== undefined && (values.scale !== undefined || values.seed !== undefined || values.out !== undefined)) {
    throw new UsageError('--from loads the files as they are: --scale, --seed and --out do not apply');
  }
  return {
    scale,
    seed,
    out: values.out,
    format: values.format ?? 'csv',
    from: values.from,
    checksum: values.checksum ?? false,
    help: values.help ?? false,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function summary(dataset: Dataset): string[] {
  const width = Math.max(...TABLE_ORDER.map((k) => tableSpec(k).qualifiedName.length));
  const lines = TABLE_ORDER.map((k) => `  ${tableSpec(k).qualifiedName.padEnd(width)}  ${String(dataset[k].length).padStart(9)}`);
  const total = TABLE_ORDER.reduce((s, k) => s + dataset[k].length, 0);
  return [...lines, `  ${'total'.padEnd(width)}  ${String(total).padStart(9)}`];
}

export interface CommandDeps {
  /** Creates/updates the departments database's schemas before a load (tests pass their own reader roles). */
  prepare(url: string): Promise<void>;
}

export async function runSeedCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CommandIo,
  deps: CommandDeps = { prepare: (url) => prepareDepartmentsDatabase(url) },
): Promise<number> {
  let options: SeedOptions;
  try {
    options = parseSeedArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`seed: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const loading = !options.checksum && options.out === undefined;
  let targetUrl: string | undefined;
  if (loading) {
    if (!env.DATABASE_URL) {
      io.err(
        'seed: DATABASE_URL is not set. Set it to the hub database URL (the departments database is derived from it, ' +
          'or set DEPARTMENTS_DATABASE_URL as well), or run through the database wrapper, which provides it:\n' +
          `  npx tsx scripts/with-database.ts -- npm run seed${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
      );
      return 2;
    }
    targetUrl = departmentsDatabaseUrl(env.DATABASE_URL, env);
  }

  let dataset: Dataset;
  const started = Date.now();
  if (options.from !== undefined) {
    const read = await readDataset(options.from);
    if (read.problems.length > 0) {
      for (const p of read.problems) io.err(p.line > 0 ? `${p.file}:${p.line}: ${p.message}` : `${p.file}: ${p.message}`);
      const files = new Set(read.problems.map((p) => p.file)).size;
      io.err(`seed: ${read.problems.length} problem(s) in ${files} file(s); nothing was loaded`);
      return 1;
    }
    if (read.missing.length > 0 && loading) {
      io.err(`seed: no file for ${read.missing.map((k) => tableSpec(k).qualifiedName).join(', ')}: loaded empty`);
    }
    dataset = read.dataset;
    io.err(`seed: read and validated ${options.from} in ${seconds(Date.now() - started)}`);
  } else {
    dataset = generateDataset({ scale: options.scale, seed: options.seed }).dataset;
    io.err(`seed: generated scale ${options.scale}, seed ${options.seed} in ${seconds(Date.now() - started)}`);
  }

  if (options.checksum) io.out(datasetChecksum(dataset));
  if (options.out !== undefined) {
    const t = Date.now();
    await writeDataset(dataset, options.out, options.format);
    io.err(`seed: wrote ${options.format.toUpperCase()} files to ${options.out} in ${seconds(Date.now() - t)}`);
    io.out(summary(dataset).join('\n'));
  }
  if (!loading) return 0;

  const t = Date.now();
  const database = decodeURIComponent(new URL(targetUrl!).pathname.slice(1));
  try {
    await deps.prepare(targetUrl!);
    await loadDataset(targetUrl!, dataset);
    // A directory's data set follows the current catalogue too (it was validated against it); scale 0 = unknown.
    await recordVersion(
      targetUrl!,
      options.from === undefined ? options.scale : 0,
      options.from === undefined ? options.seed : 0,
    );
  } catch (error) {
    io.err(
      `seed: loading into database ${database} failed, nothing was loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  io.out(`loaded into database ${database} in ${seconds(Date.now() - t)} (total ${seconds(Date.now() - started)}):`);
  io.out(summary(dataset).join('\n'));
  return 0;
}
