/**
 * Loads a data set into the departments database (departments/database.ts), replacing what is there.
 *
 * Contract: all or nothing. One transaction: an advisory lock (concurrent loads run one after the other), a
 * check that the catalogue matches the database's tables (so a drifted schema fails before anything is
 * written), TRUNCATE of every catalogue table, then COPY of each table's rows (parents before children).
 * Any failure rolls the whole transaction back: the previous data stays as it was. The database must already be
 * prepared (`prepareDepartmentsDatabase`); the CLI does that, the sandbox helpers' callers do it themselves.
 * With `onlyIfEmpty`, nothing is loaded when public_security.person already has rows (checked under the lock).
 * After the commit the loaded tables are VACUUMed and ANALYZEd: a bulk load leaves the planner without statistics
 * and the visibility map empty until autovacuum gets to them, or forever where it is off (as on the development
 * machine); without statistics PostgreSQL scans a 60 000-row register for a first page it could read by index,
 * and without the visibility map no count can be answered from an index alone (issue 13's query 2).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnType } from './columns';
import { copyField } from './encoding';
import { DEPARTMENT_SCHEMAS, rowsOf, TABLE_ORDER, tableSpec, type AnyRow, type Dataset, type TableKey } from './tables';

export class SchemaMismatchError extends Error {
  constructor(readonly problems: string[]) {
    super(`the departments database does not match the seed table catalogue (seeds/tables.ts):\n  ${problems.join('\n  ')}`);
    this.name = 'SchemaMismatchError';
  }
}

const PG_TYPES: Record<ColumnType, string> = {
  text: 'text',
  char: 'character',
  date: 'date',
  timestamptz: 'timestamp with time zone',
  integer: 'integer',
  boolean: 'boolean',
  numeric: 'numeric',
  'text[]': 'ARRAY',
};

interface DbColumn {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

/** Differences between the catalogue and the database's columns (empty when they agree). */
export async function catalogueProblems(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<DbColumn>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = ANY($1) AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
    [DEPARTMENT_SCHEMAS],
  );
  const byTable = new Map<string, DbColumn[]>();
  for (const row of rows) {
    const name = `${row.table_schema}.${row.table_name}`;
    byTable.set(name, [...(byTable.get(name) ?? []), row]);
  }
  const problems: string[] = [];
  for (const key of TABLE_ORDER) {
    const spec = tableSpec(key);
    const dbColumns = byTable.get(spec.qualifiedName);
    if (!dbColumns) {
      problems.push(`${spec.qualifiedName}: table missing in the database`);
      continue;
    }
    const dbByName = new Map(dbColumns.map((c) => [c.column_name, c]));
    for (const name of spec.columnNames) {
      const column = spec.columns[name]!;
      const db = dbByName.get(name);
      if (!db) problems.push(`${spec.qualifiedName}.${name}: column missing in the database`);
      else if (db.data_type !== PG_TYPES[column.type]) {
        problems.push(`${spec.qualifiedName}.${name}: database type ${db.data_type}, catalogue type ${column.type}`);
      } else if ((db.is_nullable === 'YES') !== column.nullable) {
        problems.push(
          `${spec.qualifiedName}.${name}: database ${db.is_nullable === 'YES' ? 'allows' : 'forbids'} null, the catalogue does not agree`,
        );
      }
    }
    for (const db of dbColumns) {
      if (!spec.columnNames.includes(db.column_name) && db.is_nullable === 'NO' && db.column_default === null) {
        problems.push(`${spec.qualifiedName}.${db.column_name}: required column unknown to the catalogue`);
      }
    }
  }
  return problems;
}

function* copyChunks(rows: readonly AnyRow[], columns: readonly string[], types: readonly ColumnType[]): Generator<string> {
  let buffer = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) buffer += '\t';
      buffer += copyField(row[columns[i]!] ?? null, types[i]!);
    }
    buffer += '\n';
    if (buffer.length >= 1 << 18) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

async function copyTable(client: pg.ClientBase, key: TableKey, rows: readonly AnyRow[]): Promise<void> {
  const spec = tableSpec(key);
  const columns = spec.columnNames;
  const types = columns.map((c) => spec.columns[c]!.type);
  const target = `${pg.escapeIdentifier(spec.schema)}.${pg.escapeIdentifier(spec.name)}`;
  const stream = client.query(copyFrom(`COPY ${target} (${columns.map((c) => pg.escapeIdentifier(c)).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows, columns, types)), stream);
}

export interface LoadResult {
  loaded: boolean;
  counts: Record<TableKey, number>;
}

export async function loadDataset(url: string, dataset: Dataset, options: { onlyIfEmpty?: boolean } = {}): Promise<LoadResult> {
  const counts = Object.fromEntries(TABLE_ORDER.map((k) => [k, dataset[k].length])) as Record<TableKey, number>;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['departments-seed-load']);
      const problems = await catalogueProblems(client);
      if (problems.length > 0) throw new SchemaMismatchError(problems);
      if (options.onlyIfEmpty) {
        const { rows } = await client.query<{ present: boolean }>(
          'SELECT EXISTS (SELECT 1 FROM public_security.person) AS present',
        );
        if (rows[0]?.present) {
          await client.query('ROLLBACK');
          return { loaded: false, counts };
        }
      }
      const tables = TABLE_ORDER.map(
        (k) => `${pg.escapeIdentifier(tableSpec(k).schema)}.${pg.escapeIdentifier(tableSpec(k).name)}`,
      );
      await client.query(`TRUNCATE ${tables.join(', ')}`);
      for (const key of TABLE_ORDER) {
        const rows = rowsOf(dataset, key);
        if (rows.length > 0) await copyTable(client, key, rows);
      }
      await client.query('COMMIT');
      await client.query(`VACUUM ANALYZE ${tables.join(', ')}`);
      return { loaded: true, counts };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Row counts of every catalogue table in the database (for summaries and tests). */
export async function countRows(url: string): Promise<Record<TableKey, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts = {} as Record<TableKey, number>;
    for (const key of TABLE_ORDER) {
      const spec = tableSpec(key);
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${pg.escapeIdentifier(spec.schema)}.${pg.escapeIdentifier(spec.name)}`,
      );
      counts[key] = Number(rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}
