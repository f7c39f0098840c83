/**
 * The SQL exchange databases (前置库) of civil affairs and education, generated from the published interface.
 *
 * Contract, per SQL department (after `prepareExchangeSchemas`, which is idempotent):
 * - schema `<department>_exchange` (e.g. `civil_affairs_exchange`) holds exactly one view per entity, named
 *   toSnakeCase(entity), with exactly one column per record field, named toSnakeCase(field), in declaration
 *   order, selected from the storage table (native types: text, boolean, integer, numeric, date, timestamptz,
 *   text[]; blank-padded character(n) columns are published as text, and where such a column is an entity's
 *   key or record id its storage table (not a storage view) has an index on `column::text`, so the hub's `key = ANY($1::text[])`
 *   on the view is an index lookup, not a scan of the table);
 * - the login role (default `civil_affairs_reader` / `education_reader`) may SELECT those views and nothing
 *   else: no access to the storage schemas, the sandbox schema, the other department's exchange schema, the
 *   public schema or temporary tables; its sessions are read-only;
 * - every view calls sandbox.exchange_gate once per query (an uncorrelated scalar subquery in WHERE, planned as
 *   a one-time filter), which applies latency, error rate and outage; the malformed rate nulls the first
 *   non-nullable field (not key, not recordId) of that fraction of rows.
 *
 * Roles are cluster-wide in PostgreSQL: creating or altering them is serialised across databases with an
 * advisory lock taken in the server's maintenance database.
 */
import pg from 'pg';
import { toSnakeCase } from '../connectors/department-interface';
import type { ReaderCredentials } from './config';
import {
  SQL_DEPARTMENTS,
  columnAsText,
  departmentInterface,
  describeEntity,
  ident,
  storageSchema,
  type SqlDepartment,
  type StoredEntity,
} from './storage';

export const exchangeSchemaName = (department: SqlDepartment) => `${storageSchema(department)}_exchange`;

const GATE_FUNCTION = 'sandbox.exchange_gate(text)';

/** `CREATE VIEW` text of one entity's exchange view. */
export function exchangeViewSql(entity: StoredEntity, schema: string): string {
  const department = pg.escapeLiteral(entity.department);
  const malformedRate = `(SELECT f.malformed_rate FROM sandbox.fault f WHERE f.department = ${department})`;
  const columns = entity.fields.map((field) => {
    const value = columnAsText(field, 't');
    const expression =
      field.field === entity.malformedSqlField ? `CASE WHEN random() < ${malformedRate} THEN NULL ELSE ${value} END` : value;
    return `${expression} AS ${ident(field.column)}`;
  });
  return (
    `CREATE VIEW ${ident(schema)}.${ident(toSnakeCase(entity.name))} AS\n` +
    `SELECT ${columns.join(',\n       ')}\n` +
    `  FROM ${entity.table} t\n` +
    ` WHERE (SELECT sandbox.exchange_gate(${department}))`
  );
}

/** `CREATE INDEX` texts for the text casts of an entity's character(n) key and record id (see the contract). */
export function textCastIndexSql(entity: StoredEntity): string[] {
  const columns = new Map([entity.key, entity.recordId].map((field) => [field.column, field]));
  return [...columns.values()]
    .filter((field) => field.sqlType.startsWith('character('))
    .map((field) => {
      const name = ident(`${entity.table.replace(/"/g, '').split('.')[1]}_${field.column}_text_idx`);
      return `CREATE INDEX IF NOT EXISTS ${name} ON ${entity.table} ((${ident(field.column)}::text))`;
    });
}

/** Creates or updates the reader roles (LOGIN unless the department is in an outage). */
async function ensureReaderRoles(
  adminUrl: string,
  readers: Record<SqlDepartment, ReaderCredentials>,
  inOutage: Set<SqlDepartment>,
): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['departments-exchange-roles']);
    for (const department of SQL_DEPARTMENTS) {
      const { user, password } = readers[department];
      const role = ident(user);
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
      if (!exists.rowCount) await admin.query(`CREATE ROLE ${role}`);
      await admin.query(
        `ALTER ROLE ${role} ${inOutage.has(department) ? 'NOLOGIN' : 'LOGIN'} PASSWORD ${pg.escapeLiteral(password)}
           NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT`,
      );
      await admin.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', ['departments-exchange-roles']).catch(() => undefined);
    await admin.end();
  }
}

/**
 * Builds the exchange schemas, views, roles and grants in the departments database `client` is connected to
 * (as the database owner or a superuser). Call it after the storage DDL has been applied.
 */
export async function prepareExchangeSchemas(
  client: pg.ClientBase,
  adminUrl: string,
  readers: Record<SqlDepartment, ReaderCredentials>,
): Promise<void> {
  const users = SQL_DEPARTMENTS.map((department) => readers[department].user);
  if (new Set(users).size !== users.length) throw new Error('each SQL exchange department needs its own reader role');
  const { rows: outages } = await client.query<{ department: SqlDepartment }>(
    'SELECT department FROM sandbox.fault WHERE outage AND department = ANY($1)',
    [[...SQL_DEPARTMENTS]],
  );
  await ensureReaderRoles(adminUrl, readers, new Set(outages.map((r) => r.department)));

  const entities = new Map<SqlDepartment, StoredEntity[]>();
  for (const department of SQL_DEPARTMENTS) {
    const described: StoredEntity[] = [];
    for (const name of Object.keys(departmentInterface(department).entities)) {
      described.push(await describeEntity(client, department, name));
    }
    entities.set(department, described);
  }

  const { rows: dbRows } = await client.query<{ db: string }>('SELECT current_database() AS db');
  const database = ident(dbRows[0]!.db);
  await client.query('BEGIN');
  try {
    // Nothing in this database is anybody's by default: no temporary tables, no public schema.
    await client.query(`REVOKE TEMPORARY ON DATABASE ${database} FROM PUBLIC`);
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (const department of SQL_DEPARTMENTS) {
      const reader = readers[department].user;
      const schema = exchangeSchemaName(department);
      const previous = await client.query<{ role_name: string }>(
        `SELECT r.role_name FROM sandbox.exchange_reader r JOIN pg_roles p ON p.rolname = r.role_name
          WHERE r.department = $1 AND r.role_name <> $2`,
        [department, reader],
      );
      await client.query('DELETE FROM sandbox.exchange_reader WHERE department = $1 OR role_name = $2', [department, reader]);
      await client.query('INSERT INTO sandbox.exchange_reader (department, role_name) VALUES ($1, $2)', [department, reader]);

      await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      const { rows: views } = await client.query<{ name: string }>(
        'SELECT viewname AS name FROM pg_views WHERE schemaname = $1',
        [schema],
      );
      for (const view of views) await client.query(`DROP VIEW ${ident(schema)}.${ident(view.name)}`);
      for (const old of previous.rows) {
        await client.query(`REVOKE ALL ON SCHEMA ${ident(schema)} FROM ${ident(old.role_name)}`);
        await client.query(`REVOKE ALL ON FUNCTION ${GATE_FUNCTION} FROM ${ident(old.role_name)}`);
        await client.query(`REVOKE ALL ON DATABASE ${database} FROM ${ident(old.role_name)}`);
      }
      await client.query(`REVOKE ALL ON SCHEMA ${ident(schema)} FROM PUBLIC`);
      await client.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(reader)}`);
      await client.query(`GRANT EXECUTE ON FUNCTION ${GATE_FUNCTION} TO ${ident(reader)}`);
      await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${ident(reader)}`);
      for (const entity of entities.get(department)!) {
        const view = `${ident(schema)}.${ident(toSnakeCase(entity.name))}`;
        await client.query(exchangeViewSql(entity, schema));
        const stored = await client.query<{ kind: string }>('SELECT relkind AS kind FROM pg_class WHERE oid = $1::regclass', [
          entity.table,
        ]);
        // A storage view (derived records) is indexed through its tables.
        if (stored.rows[0]?.kind === 'r') for (const sql of textCastIndexSql(entity)) await client.query(sql);
        await client.query(`REVOKE ALL ON ${view} FROM PUBLIC`);
        await client.query(`GRANT SELECT ON ${view} TO ${ident(reader)}`);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
