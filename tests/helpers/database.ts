/**
 * The test run's PostgreSQL, as plain `pg` access: the hub database URL that `npm test` provides (one guard for
 * every test file and helper), one-connection clients, and statements on the server's maintenance database.
 */
import pg from 'pg';

/** DATABASE_URL, which `npm test` (scripts/with-database.ts --test) sets to a migrated hub database. */
export function hubDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run the tests with `npm test` (or `npx tsx scripts/with-database.ts --test -- jest <file>`)',
    );
  }
  return url;
}

/** The URL of `database` on the server of `url` (same host, port and credentials). */
export function databaseOnServer(url: string, database: string): string {
  const other = new URL(url);
  other.pathname = `/${database}`;
  return other.toString();
}

/** Runs `fn` with one connected client on `url`, and closes it afterwards, whatever `fn` does. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs one statement on the maintenance database of `url`'s server (CREATE/DROP DATABASE, roles). */
export async function onServer(url: string, sql: string): Promise<void> {
  await withClient(databaseOnServer(url, 'postgres'), (client) => client.query(sql));
}
