/**
 * Runs a command against a migrated hub database: `tsx scripts/with-database.ts [--test] [-- <command…>]`.
 * Without a command it only applies the migrations (`npm run db:migrate`).
 *
 * With DATABASE_URL set, that server is used; otherwise the embedded PostgreSQL is started (the same code path
 * as `npm start`). Migrations are applied with `prisma migrate deploy` as the owner, then the runtime role's
 * grants are applied again (HUB_RUNTIME_DATABASE_URL's role, else the hub's own `hub_rt_<database>`, created if
 * the owner may create roles; server/database-roles.ts), the command runs with DATABASE_URL pointing at the
 * database as its OWNER (the CLI scripts, consumer and audit:verify, are operator tools and run as the owner;
 * tests set up and tamper as the owner, while their hubs run as the runtime role), and the embedded server is
 * stopped afterwards. The exit status is the command's.
 *
 * `--test` (used by `npm test`): the embedded server gets its own data directory and port, so tests never touch
 * the demo database of a running `npm start`, and its database is dropped and recreated first, so every run
 * starts from an empty database and proves the migrations apply from scratch. An operator's DATABASE_URL is
 * never dropped: CI creates a fresh database itself (.ci/run).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, ConfigError } from '../server/config';
import { ensureDatabaseExists, openDatabaseServer } from '../server/database';
import { prepareRuntimeRole } from '../server/database-roles';
import { createLogger } from '../server/logger';
import { applyMigrations, PROJECT_ROOT } from '../server/migrate';

function parseArgs(argv: string[]) {
  const separator = argv.indexOf('--');
  const options = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  return { test: options.includes('--test'), command };
}

async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await ensureDatabaseExists(admin.toString(), database);
}

function run(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      stdio: 'inherit',
      env,
      cwd: PROJECT_ROOT,
      shell: false,
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<number> {
  const { test, command } = parseArgs(process.argv.slice(2));
  const env = { ...process.env };
  if (test) {
    env.EMBEDDED_PG_DIR ??= path.join(PROJECT_ROOT, '.data', 'postgres-test');
    env.EMBEDDED_PG_PORT ??= '54330';
  }
  let config;
  try {
    // Only the database settings are read here; the development default keeps the operator secret optional.
    config = loadConfig({ HUB_ENV: 'development', ...env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabaseServer(config, logger);
  try {
    if (test && database.kind === 'embedded') await recreateDatabase(database.url);
    // Each test run's logs start empty, so what a run logged can be inspected (and scanned) on its own.
    if (test) fs.rmSync(path.join(PROJECT_ROOT, '.data', 'test-logs'), { recursive: true, force: true });
    await applyMigrations(database.url);
    const runtimeRole = await prepareRuntimeRole(database.url, config.runtimeDatabaseUrl);
    if (!runtimeRole)
      logger.warn('the owner connection may not create roles: set HUB_RUNTIME_DATABASE_URL (README, Configuration)');
    if (command.length === 0) return 0;
    // node_modules/.bin first, as npm scripts have it, so `-- jest` or `-- prisma …` resolve locally.
    const binPath = path.join(PROJECT_ROOT, 'node_modules', '.bin');
    return await run(command, {
      ...env,
      DATABASE_URL: database.url,
      PATH: `${binPath}${path.delimiter}${env.PATH ?? ''}`,
    });
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
