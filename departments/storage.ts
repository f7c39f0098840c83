/**
 * Where the published exchange interface (connectors/departments.ts) lives in the sandbox departments' storage.
 *
 * Contract: a department's storage schema is its connector name in snake_case (`public-security` →
 * `public_security`); an entity is the table toSnakeCase(entity) in that schema; a record field is the column
 * toSnakeCase(field). `describeEntity` checks, against the live catalogue, that every record field has its
 * column (a missing one is a `StorageMismatchError` at start-up, not a wrong answer later) and returns what the
 * HTTP service and the exchange views need: column types, the sort order of lists (recordId, then the primary
 * key), and which field each kind of injected malformation corrupts.
 */
import pg from 'pg';
import { z } from 'zod';
import { toSnakeCase, type ConnectorName, type DepartmentInterface, type EntitySpec } from '../connectors/department-interface';
import { DEPARTMENT_INTERFACES } from '../connectors/departments';

export const HTTP_DEPARTMENTS = ['public-security', 'health', 'medical-insurance', 'social-security'] as const;
export type HttpDepartment = (typeof HTTP_DEPARTMENTS)[number];
export const SQL_DEPARTMENTS = ['civil-affairs', 'education'] as const;
export type SqlDepartment = (typeof SQL_DEPARTMENTS)[number];

/** The string an HTTP department puts into a record (or aggregate row) to corrupt it. */
export const MALFORMED_VALUE = '<<malformed>>';

export class StorageMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageMismatchError';
  }
}

export function departmentInterface(department: ConnectorName): DepartmentInterface {
  return DEPARTMENT_INTERFACES[department];
}

export function storageSchema(department: ConnectorName): string {
  return department.replaceAll('-', '_');
}

export const ident = (name: string) => pg.escapeIdentifier(name);

/** The zod schema of every field of a record, in declaration order. */
export function recordFields(record: z.ZodType): Array<[string, z.ZodType]> {
  if (!(record instanceof z.ZodObject)) throw new StorageMismatchError('record schemas must be zod objects');
  const shape = record.shape as Record<string, z.ZodType>;
  return Object.entries(shape);
}

export interface StoredField {
  field: string;
  column: string;
  /** SQL type as `format_type` spells it, e.g. `character(18)`, `date`, `text[]`. */
  sqlType: string;
  schema: z.ZodType;
}

export interface StoredEntity {
  department: ConnectorName;
  name: string;
  spec: EntitySpec;
  /** `"schema"."table"`, quoted. */
  table: string;
  fields: StoredField[];
  key: StoredField;
  recordId: StoredField;
  /** Columns lists are ordered by: recordId, then the rest of the primary key (a total order). */
  sortColumns: StoredField[];
  /** First field (not key, not recordId) that MALFORMED_VALUE does not satisfy: corrupted over HTTP. */
  malformedHttpField: string;
  /** First field (not key, not recordId) that may not be null: nulled in the exchange views. */
  malformedSqlField: string;
}

interface ColumnRow {
  column_name: string;
  sql_type: string;
  in_primary_key: boolean;
}

/** Reads the storage table of one entity and maps it to the entity's record fields. */
export async function describeEntity(
  db: pg.Pool | pg.ClientBase,
  department: ConnectorName,
  name: string,
): Promise<StoredEntity> {
  const spec = departmentInterface(department).entities[name];
  if (!spec) throw new StorageMismatchError(`${department} has no entity ${name}`);
  const schemaName = storageSchema(department);
  const tableName = toSnakeCase(name);
  const { rows } = await db.query<ColumnRow>(
    `SELECT a.attname AS column_name,
            format_type(a.atttypid, a.atttypmod) AS sql_type,
            coalesce(a.attnum = ANY(i.indkey::int2[]), false) AS in_primary_key
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schemaName, tableName],
  );
  if (rows.length === 0) {
    throw new StorageMismatchError(`storage table ${schemaName}.${tableName} is missing: prepare the departments database`);
  }
  const columns = new Map(rows.map((row) => [row.column_name, row]));
  const fields = recordFields(spec.record).map(([field, schema]): StoredField => {
    const column = toSnakeCase(field);
    const found = columns.get(column);
    if (!found) throw new StorageMismatchError(`${schemaName}.${tableName} has no column ${column} for field ${field}`);
    return { field, column, sqlType: found.sql_type, schema };
  });
  const byField = new Map(fields.map((f) => [f.field, f]));
  const key = byField.get(spec.key);
  const recordId = byField.get(spec.recordId);
  if (!key || !recordId) throw new StorageMismatchError(`${department}.${name}: key or recordId is not a record field`);

  for (const [filter, { field }] of Object.entries(spec.filters ?? {})) {
    if (!byField.has(field))
      throw new StorageMismatchError(`${department}.${name}: filter ${filter} is on unknown field ${field}`);
  }

  const sortColumns = [recordId];
  for (const row of rows.filter((r) => r.in_primary_key)) {
    if (sortColumns.some((f) => f.column === row.column_name)) continue;
    sortColumns.push({ field: row.column_name, column: row.column_name, sqlType: row.sql_type, schema: z.unknown() });
  }

  const corruptible = fields.filter((f) => f.field !== spec.key && f.field !== spec.recordId);
  const malformedHttpField = corruptible.find((f) => !f.schema.safeParse(MALFORMED_VALUE).success);
  const malformedSqlField = corruptible.find((f) => !f.schema.safeParse(null).success);
  if (!malformedHttpField || !malformedSqlField) {
    throw new StorageMismatchError(`${department}.${name}: no field can carry an injected malformation`);
  }
  return {
    department,
    name,
    spec,
    table: `${ident(schemaName)}.${ident(tableName)}`,
    fields,
    key,
    recordId,
    sortColumns,
    malformedHttpField: malformedHttpField.field,
    malformedSqlField: malformedSqlField.field,
  };
}

export async function describeDepartment(
  db: pg.Pool | pg.ClientBase,
  department: ConnectorName,
): Promise<Map<string, StoredEntity>> {
  const entities = new Map<string, StoredEntity>();
  for (const name of Object.keys(departmentInterface(department).entities)) {
    entities.set(name, await describeEntity(db, department, name));
  }
  return entities;
}

/** `character(n)` columns are blank-padded; as text they are not. */
export function columnAsText(field: StoredField, alias: string): string {
  const column = `${alias}.${ident(field.column)}`;
  return field.sqlType.startsWith('character(') ? `${column}::text` : column;
}

/**
 * The SQL expression of one record (or of `fields` of it) as JSON with camelCase keys: dates as YYYY-MM-DD,
 * timestamps as ISO 8601 with the session's offset, numeric and integers as numbers, arrays as arrays.
 */
export function recordJsonSql(entity: StoredEntity, alias = 't', fields: readonly StoredField[] = entity.fields): string {
  const pairs = fields.map((f) => `'${f.field}', ${columnAsText(f, alias)}`);
  return `json_build_object(${pairs.join(', ')})`;
}
