/**
 * An isolated, empty hub database for tests that must own the hub database: tampering with the audit chain,
 * making tables unwritable. Start a hub on it with `startTestHub(isolated.env)` (it applies the migrations).
 */
import pg from 'pg';
import { runtimeRoleName } from '../../server/database-roles';
import { hubDatabaseUrl, onServer } from './database';

export interface IsolatedHubDatabase {
  url: string;
  /** Environment for `startTestHub`: this database, migrated at start. */
  env: Record<string, string>;
  /** Runs SQL on this database as its owner. */
  query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<T[]>;
  /** Drops the database and its hub runtime role (roles are cluster-wide: runs must not accumulate them). */
  drop(): Promise<void>;
}

export async function isolatedHubDatabase(name: string): Promise<IsolatedHubDatabase> {
  const url = new URL(hubDatabaseUrl());
  url.pathname = `${url.pathname}_${name}_${process.pid}`;
  const databaseName = decodeURIComponent(url.pathname.slice(1));
  const database = pg.escapeIdentifier(databaseName);
  await onServer(url.toString(), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await onServer(url.toString(), `CREATE DATABASE ${database}`);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // An idle connection the server closes (a test's pg_terminate_backend) is dropped by the pool, not thrown.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    env: { DATABASE_URL: url.toString(), HUB_MIGRATE_ON_START: 'true' },
    query: async (sql, values) => (await pool.query(sql, values)).rows,
    async drop() {
      await pool.end();
      await onServer(url.toString(), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await onServer(url.toString(), `DROP ROLE IF EXISTS ${pg.escapeIdentifier(runtimeRoleName(databaseName))}`);
    },
  };
}
