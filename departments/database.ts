/**
 * The sandbox departments' own database: one PostgreSQL database (beside the hub's, never the hub's) with one
 * schema per department (departments/sql/*.sql), plus the exchange schemas of the SQL departments.
 *
 * Contract: `departmentsDatabaseUrl(hubDatabaseUrl)` names it: DEPARTMENTS_DATABASE_URL when set, otherwise the
 * hub database's server with the database name suffixed `_departments`. `prepareDepartmentsDatabase(url)`
 * creates the database if missing and applies every SQL file in departments/sql in name order; the files are
 * idempotent (IF NOT EXISTS), so preparing twice changes nothing. It then (re)generates the SQL exchange schemas
 * of civil affairs and education from the published interface, with their reader roles (departments/exchange.ts;
 * credentials from `options.readers`, else the environment, else the sandbox defaults of departments/config.ts).
 * The database's `work_mem` is set for aggregate work (32 MB), its `random_page_cost` for tables held in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { readerCredentialsFromEnv, type ReaderCredentials } from './config';
import { prepareExchangeSchemas } from './exchange';
import type { SqlDepartment } from './storage';

const SQL_DIR = path.join(__dirname, 'sql');

export function departmentsDatabaseUrl(hubDatabaseUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.DEPARTMENTS_DATABASE_URL) return env.DEPARTMENTS_DATABASE_URL;
  const url = new URL(hubDatabaseUrl);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1))}_departments`;
  return url.toString();
}

/** The same server's maintenance database, for CREATE DATABASE. */
/** Creates the departments' database on first use (the sandbox owns it; the hub never creates it). */
async function createDatabaseIfMissing(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    const found = await admin.query('SELECT FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    // The departments' servers answer aggregates over whole tables (indicator metrics): sorts and hashes of
    // a few hundred thousand rows fit in memory there, as a department's DBA would set it, instead of
    // PostgreSQL's 4 MB default spilling them to disk. New sessions take it.
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} SET work_mem = '32MB'`);
    // Its tables live in memory (tens of MB): an index probe costs about what a sequential page does. With the
    // default 4.0, PostgreSQL scans a whole 10 000-row table for 100 keys it could look up by index, in every
    // batch lookup of a page of people (issue 13's query 2: 1–3 ms per lookup instead of 0.2–0.3 ms).
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} SET random_page_cost = 1.1`);
  } finally {
    await admin.end();
  }
}

function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

export interface PrepareOptions {
  /** Login role and password of each SQL exchange schema. */
  readers?: Record<SqlDepartment, ReaderCredentials>;
}

export async function prepareDepartmentsDatabase(url: string, options: PrepareOptions = {}): Promise<void> {
  const readers = options.readers ?? readerCredentialsFromEnv();
  await createDatabaseIfMissing(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Serialise concurrent preparations (several test workers): DDL on the same objects would conflict.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['departments-schema']);
    for (const file of fs
      .readdirSync(SQL_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      await client.query(fs.readFileSync(path.join(SQL_DIR, file), 'utf8'));
    }
    await prepareExchangeSchemas(client, adminUrl(url), readers);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['departments-schema']).catch(() => undefined);
    await client.end();
  }
}
