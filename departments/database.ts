/**
 * The sandbox departments' own database: one PostgreSQL database (beside the hub's, never the hub's) with one
 * schema per department (departments/sql/*.sql), plus the exchange schemas of the SQL departments.
 *
 * Contract: `departmentsDatabaseUrl(hubDatabaseUrl)` names it: DEPARTMENTS_DATABASE_URL when set, otherwise the
 * hub database's server with the database name suffixed `_departments`. `prepareDepartmentsDatabase(url)`
 * creates the database if missing and applies every SQL file in departments/sql in name order; the files are
 * idempotent (IF NOT EXISTS), so preparing twice changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabaseExists } from '../server/database';

const SQL_DIR = path.join(__dirname, 'sql');

export function departmentsDatabaseUrl(hubDatabaseUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.DEPARTMENTS_DATABASE_URL) return env.DEPARTMENTS_DATABASE_URL;
  const url = new URL(hubDatabaseUrl);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1))}_departments`;
  return url.toString();
}

/** The same server's maintenance database, for CREATE DATABASE. */
function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

export async function prepareDepartmentsDatabase(url: string): Promise<void> {
  await ensureDatabaseExists(adminUrl(url), decodeURIComponent(new URL(url).pathname.slice(1)));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Serialise concurrent preparations (several test workers): DDL on the same objects would conflict.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['departments-schema']);
    for (const file of fs.readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql')).sort()) {
      await client.query(fs.readFileSync(path.join(SQL_DIR, file), 'utf8'));
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['departments-schema']).catch(() => undefined);
    await client.end();
  }
}
