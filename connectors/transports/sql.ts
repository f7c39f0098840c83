/**
 * SQL exchange-database transport (前置库): the department publishes one view per entity in an exchange schema,
 * with one snake_case column per record field, readable by a role that may only SELECT them. The hub reads
 * those views with parameterised queries (identifiers come from the published interface, values are bound).
 *
 * Values are turned into the same JSON shapes the HTTP interface uses (dates as YYYY-MM-DD, timestamps as
 * ISO 8601, numeric as strings, row keys in camelCase), so one record schema validates both transports.
 * Each query runs under a server-side statement_timeout equal to the call budget, and is abandoned
 * client-side when the budget's signal aborts.
 *
 * A read names its columns: the record schema's fields (or a list's projection, `ListQuery.fields`), each
 * selected `AS` its camelCase field name, so rows arrive as records and nothing is renamed per row. A list page
 * is one statement; it counts the matches (`count(*)` joined to the page) only when the query asks to.
 *
 * Records arrive as one JSON text per row (`row_to_json`), parsed at once, instead of one text per column decoded
 * and converted one by one: column by column that was a tenth of a list request's time in the hub. The view's
 * column types are read once per view (pg_attribute), and each column enters the JSON as the plain read gave it
 * (timestamps as ISO 8601 in UTC with milliseconds, numeric as text); a view with a column of another type is read
 * column by column.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { SqlConnectorConfig, ConnectorLimits } from '../config';
import { toSnakeCase, type AggregateSpec, type ConnectorName } from '../department-interface';
import { REGION_LEVEL_LENGTH, regionPrefix } from '../../domain/regions';
import { scalarText } from '../../domain/text';
import { ConnectorError } from '../contract';
import type { AggregateQuery, ListQuery } from '../contract';
import {
  BATCH_AGGREGATE_OPERATION,
  type AggregateCall,
  type NamedEntity,
  type RawCommandAnswer,
  type RawPage,
  type Transport,
} from './transport';

const DATE_OID = 1082;
const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

const typeParsers = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID) return (value: string) => new Date(value).toISOString();
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

/** The select list reading `fields` from their snake_case columns under their field names. */
function selectList(fields: readonly string[]): string {
  return fields.map((field) => `${ident(toSnakeCase(field))} AS ${ident(field)}`).join(', ');
}

/**
 * Column types (pg_type.typname) whose values read the same from `row_to_json` as from the plain read with
 * `typeParsers`, and the expression that makes them so.
 */
const JSON_SAFE: Record<string, (column: string) => string> = {
  text: (c) => c,
  varchar: (c) => c,
  int2: (c) => c,
  int4: (c) => c,
  int8: (c) => c,
  bool: (c) => c,
  date: (c) => c,
  _text: (c) => c,
  _varchar: (c) => c,
  numeric: (c) => `${c}::text`,
  timestamptz: (c) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

/** The select list reading `fields` as the JSON of their plain reads (`types`: each column's type). */
function jsonSelectList(fields: readonly string[], types: ReadonlyMap<string, string>): string | null {
  const columns: string[] = [];
  for (const field of fields) {
    const column = toSnakeCase(field);
    const asJson = JSON_SAFE[types.get(column) ?? ''];
    if (!asJson) return null;
    columns.push(`${asJson(ident(column))} AS ${ident(field)}`);
  }
  return columns.join(', ');
}

/** The column of a JSON read holding the record. */
const RECORD = ':record';

/** The column under which a counted page carries its total (no record field starts with a colon; zod drops it). */
const TOTAL = ':total';

/**
 * Select lists and statement names kept per transport, at most this many of each: field lists come from queries,
 * which any client can vary, so a full map is cleared rather than grown.
 */
const KEPT_STATEMENT_PARTS = 256;

const ident = (name: string) => pg.escapeIdentifier(name);
const encodeCursor = (recordId: string) => Buffer.from(recordId, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** SQLSTATEs that mean "the department is unavailable" rather than "the query is wrong". */
function isAvailabilityError(code: string | undefined): boolean {
  return !code || code.startsWith('08') || code.startsWith('57') || code.startsWith('53') || code === '28P01' || code === '28000';
}

export class SqlTransport implements Transport {
  private pool: pg.Pool | undefined;
  /** Every field of each entity's record, as a select list: computed once per entity. */
  private readonly wholeRecord = new Map<string, string>();
  /** Each view's column types, read once (null: could not be read; such a view is read column by column). */
  private readonly columnTypes = new Map<string, Promise<ReadonlyMap<string, string> | null>>();
  /** JSON select lists by entity and field list, with the column types they were made from. */
  private readonly jsonLists = new Map<string, { types: ReadonlyMap<string, string>; columns: string | null }>();
  /** Prepared statements' names by their text. */
  private readonly statementNames = new Map<string, string>();

  constructor(
    private readonly connector: ConnectorName,
    private readonly config: SqlConnectorConfig,
    private readonly limits: ConnectorLimits,
  ) {}

  init(): Promise<void> {
    // Nothing to wait for (the pool connects on first use); the executor turns a bad connection string into a rejection.
    return new Promise((resolve) => {
      this.pool = this.createPool();
      resolve();
    });
  }

  private createPool(): pg.Pool {
    const url = new URL(this.config.connectionString);
    const pool = new pg.Pool({
      host: url.hostname,
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.slice(1)),
      user: decodeURIComponent(url.username),
      password: this.config.password ?? (url.password ? decodeURIComponent(url.password) : undefined),
      max: this.config.poolSize,
      connectionTimeoutMillis: this.limits.timeoutMs,
      statement_timeout: this.limits.timeoutMs,
      idleTimeoutMillis: 30_000,
      types: typeParsers,
      application_name: 'yilao-yixiao-hub',
    });
    // An idle client that loses its connection (department outage) must not crash the hub.
    pool.on('error', () => undefined);
    return pool;
  }

  async ping(signal: AbortSignal): Promise<void> {
    await this.query('healthCheck', 'SELECT 1', [], signal);
  }

  /** The fields of the entity's whole record (its schema's). */
  private recordFields(entity: NamedEntity): string[] {
    const shape = (entity.record as { shape?: Record<string, unknown> }).shape;
    if (!shape) {
      throw new ConnectorError(this.connector, `${entity.name}.read`, 'BAD_REQUEST', 500, 'record schema is not an object');
    }
    return Object.keys(shape);
  }

  /** The view's column types by column name, read once per view. */
  private viewColumnTypes(entity: NamedEntity, signal: AbortSignal): Promise<ReadonlyMap<string, string> | null> {
    let types = this.columnTypes.get(entity.name);
    if (!types) {
      types = this.query(
        `${entity.name}.columns`,
        `SELECT a.attname AS name, t.typname AS type FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
          WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
        [this.view(entity.name)],
        signal,
      ).then(
        (rows) => new Map(rows.map((row) => [String(row.name), String(row.type)])),
        () => {
          // Not kept: the next read asks again (the department may have been down).
          this.columnTypes.delete(entity.name);
          return null;
        },
      );
      this.columnTypes.set(entity.name, types);
    }
    return types;
  }

  /** The select list of `fields` as JSON-safe expressions, or null when the view must be read column by column. */
  private async jsonColumns(entity: NamedEntity, fields: readonly string[], signal: AbortSignal): Promise<string | null> {
    const types = await this.viewColumnTypes(entity, signal);
    if (!types) return null;
    // Kept per view types and field list (a request's list is one of a few its queries select).
    const id = `${entity.name}:${fields.join(',')}`;
    const kept = this.jsonLists.get(id);
    if (kept?.types === types) return kept.columns;
    const columns = jsonSelectList(fields, types);
    if (this.jsonLists.size >= KEPT_STATEMENT_PARTS) this.jsonLists.clear();
    this.jsonLists.set(id, { types, columns });
    return columns;
  }

  /** The select list of the entity's whole record (its schema's fields). */
  private recordColumns(entity: NamedEntity): string {
    let columns = this.wholeRecord.get(entity.name);
    if (columns === undefined) {
      columns = selectList(this.recordFields(entity));
      this.wholeRecord.set(entity.name, columns);
    }
    return columns;
  }

  async batchGet(entity: NamedEntity, keys: readonly string[], signal: AbortSignal): Promise<unknown[]> {
    const operation = `${entity.name}.batchGet`;
    const condition = `${ident(toSnakeCase(entity.key))} = ANY($1::text[])`;
    const asJson = await this.jsonColumns(entity, this.recordFields(entity), signal);
    if (!asJson) {
      return this.query(
        operation,
        `SELECT ${this.recordColumns(entity)} FROM ${this.view(entity.name)} WHERE ${condition}`,
        [keys],
        signal,
      );
    }
    const sql = `SELECT row_to_json(r) AS ${ident(RECORD)} FROM (SELECT ${asJson} FROM ${this.view(entity.name)} WHERE ${condition}) r`;
    // A prepared statement (one per entity and connection): every batchGet of the entity is this one text, and
    // planning it over the department's view each time cost as much as running it. Its one JSON column keeps
    // its type whatever the department does to the view, so the kept plan is never of the wrong shape.
    return (await this.query(operation, sql, [keys], signal, this.statementName(sql))).map((row) => row[RECORD]);
  }

  async search(entity: NamedEntity, query: ListQuery, signal: AbortSignal): Promise<RawPage> {
    const operation = `${entity.name}.search`;
    const view = this.view(entity.name);
    const fields = query.fields ?? this.recordFields(entity);
    const asJson = await this.jsonColumns(entity, fields, signal);
    const columns = asJson ?? (query.fields ? selectList(query.fields) : this.recordColumns(entity));
    const { conditions, values } = this.filterConditions(entity, query.filter, operation);
    const idColumn = ident(toSnakeCase(entity.recordId));
    const pageConditions = [...conditions];
    if (query.after) {
      values.push(decodeCursor(query.after));
      pageConditions.push(`${idColumn}::text > $${values.length}`);
    }
    values.push(query.first + 1);
    const pageSql = `SELECT ${columns} FROM ${view}${where(pageConditions)} ORDER BY ${idColumn}::text LIMIT $${values.length}`;
    const counted = query.count !== false;
    let totalCount: number | null = null;
    let found: Record<string, unknown>[];
    if (asJson) {
      // A JSON read is one row: the page's records as one JSON array in the page's order, the total beside it when
      // counted. One text to parse instead of a row per record: the driver's work per row was most of its time.
      const records = `(SELECT coalesce(json_agg(page ORDER BY page.${ident(entity.recordId)}::text), '[]'::json) FROM (${pageSql}) page)`;
      const sql = counted
        ? `SELECT (SELECT count(*) FROM ${view}${where(conditions)}) AS ${ident(TOTAL)}, ${records} AS ${ident(RECORD)}`
        : `SELECT ${records} AS ${ident(RECORD)}`;
      const [row] = await this.query(operation, sql, values, signal);
      const read = row?.[RECORD];
      if (!Array.isArray(read))
        throw new ConnectorError(this.connector, operation, 'BAD_RESPONSE', 502, 'the page is not a JSON array');
      found = read as Record<string, unknown>[];
      if (counted) totalCount = Number(row?.[TOTAL] ?? 0);
    } else {
      // Counted: the total, with the page joined to it (one row of nulls beside the total when the page is empty).
      const sql = counted
        ? `SELECT total.n AS ${ident(TOTAL)}, page.* FROM (SELECT count(*) AS n FROM ${view}${where(conditions)}) total ` +
          `LEFT JOIN LATERAL (${pageSql}) page ON true ORDER BY page.${ident(entity.recordId)}::text`
        : pageSql;
      const rows = await this.query(operation, sql, values, signal);
      totalCount = counted ? Number(rows[0]?.[TOTAL] ?? 0) : null;
      found = counted ? rows.filter((row) => row[entity.recordId] !== null) : rows;
    }
    const records = found.slice(0, query.first);
    const last = records.at(-1);
    return {
      records,
      totalCount,
      hasNextPage: found.length > query.first,
      endCursor: last ? encodeCursor(String(last[entity.recordId])) : null,
    };
  }

  async aggregate(
    name: string,
    spec: AggregateSpec,
    query: AggregateQuery,
    signal: AbortSignal,
    entity?: NamedEntity,
  ): Promise<unknown[]> {
    const values: unknown[] = [];
    const sql = this.aggregateStatement(name, spec, query, values, entity);
    return this.query(`${name}.aggregate`, sql, values, signal);
  }

  /** One statement for the batch: each aggregate's rows as a JSON array column (one round trip, one snapshot). */
  async aggregateMany(calls: readonly AggregateCall[], signal: AbortSignal): Promise<unknown[][]> {
    const values: unknown[] = [];
    const columns = calls.map(
      ({ name, spec, query, entity }, i) =>
        `(SELECT coalesce(json_agg(a${i}), '[]'::json) FROM (${this.aggregateStatement(name, spec, query, values, entity)}) a${i}) AS r${i}`,
    );
    const [row] = await this.query(BATCH_AGGREGATE_OPERATION, `SELECT ${columns.join(', ')}`, values, signal);
    return calls.map((_, i) => {
      const rows = row?.[`r${i}`];
      if (!Array.isArray(rows))
        throw new ConnectorError(this.connector, BATCH_AGGREGATE_OPERATION, 'BAD_RESPONSE', 502, 'no rows');
      return rows as unknown[];
    });
  }

  /** The aggregate's SELECT, its parameters appended to `values` (numbered from there, so statements combine). */
  private aggregateStatement(name: string, spec: AggregateSpec, query: AggregateQuery, values: unknown[], entity?: NamedEntity) {
    const operation = `${name}.aggregate`;
    const regionColumn = ident(toSnakeCase(spec.regionField));
    values.push(`${regionPrefix(query.regionCode)}%`);
    const regionCondition = `${regionColumn} LIKE $${values.length}`;
    const filters = entity ? this.filterConditions(entity, query.filter ?? {}, operation, values).conditions : [];
    const groups: string[] = [];
    const selects: string[] = [];
    if (query.regionLevel) {
      selects.push(`substr(${regionColumn}, 1, ${REGION_LEVEL_LENGTH[query.regionLevel]}) AS "regionCode"`);
      groups.push('1');
    }
    for (const dimension of query.groupBy ?? []) {
      if (!spec.dimensions.includes(dimension)) {
        throw new ConnectorError(this.connector, operation, 'BAD_REQUEST', 400, `unknown dimension ${dimension}`);
      }
      const expression =
        dimension === 'birthYear' ? `extract(year FROM ${ident('birth_date')})::int` : ident(toSnakeCase(dimension));
      selects.push(`${expression} AS ${ident(dimension)}`);
      groups.push(String(selects.length));
    }
    for (const [measure, definition] of Object.entries(spec.measures)) {
      const expression =
        definition.op === 'count'
          ? 'count(*)'
          : definition.op === 'countDistinct'
            ? `count(DISTINCT ${ident(toSnakeCase(definition.field))})`
            : `coalesce(sum(${ident(toSnakeCase(definition.field))}), 0)::bigint`;
      selects.push(`${expression} AS ${ident(measure)}`);
    }
    return (
      `SELECT ${selects.join(', ')} FROM ${this.view(spec.entity)} WHERE ${[regionCondition, ...filters].join(' AND ')}` +
      (groups.length ? ` GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}` : '')
    );
  }

  command(name: string): Promise<RawCommandAnswer> {
    return Promise.reject(
      new ConnectorError(this.connector, `${name}.command`, 'UNKNOWN_OPERATION', 501, 'an exchange database takes no commands'),
    );
  }

  readCommand(name: string): Promise<RawCommandAnswer | null> {
    return Promise.reject(
      new ConnectorError(
        this.connector,
        `${name}.readCommand`,
        'UNKNOWN_OPERATION',
        501,
        'an exchange database takes no commands',
      ),
    );
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }

  /** A prepared statement's name for `sql`: named by its text, so a name never stands for two texts. */
  private statementName(sql: string): string {
    let name = this.statementNames.get(sql);
    if (!name) {
      name = `hub:${crypto.createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`;
      // Bounded like the texts it names (one per entity and view shape); cleared rather than grown.
      if (this.statementNames.size >= KEPT_STATEMENT_PARTS) this.statementNames.clear();
      this.statementNames.set(sql, name);
    }
    return name;
  }

  private view(entity: string): string {
    return `${ident(this.config.schema)}.${ident(toSnakeCase(entity))}`;
  }

  private filterConditions(entity: NamedEntity, filter: Record<string, unknown>, operation: string, values: unknown[] = []) {
    const conditions: string[] = [];
    for (const [name, value] of Object.entries(filter)) {
      if (value === undefined || value === null) continue;
      const spec = entity.filters?.[name];
      if (!spec) throw new ConnectorError(this.connector, operation, 'BAD_REQUEST', 400, `unknown filter ${name}`);
      const column = ident(toSnakeCase(spec.field));
      const param = () => `$${values.length}`;
      switch (spec.kind) {
        case 'regionPrefix':
          values.push(`${regionPrefix(scalarText(value))}%`);
          conditions.push(`${column} LIKE ${param()}`);
          break;
        case 'in':
          values.push((Array.isArray(value) ? value : [value]).map(String));
          conditions.push(`${column}::text = ANY(${param()}::text[])`);
          break;
        case 'eq':
          values.push(value);
          conditions.push(`${column} = ${param()}`);
          break;
        case 'gte':
          values.push(value);
          conditions.push(`${column} >= ${param()}`);
          break;
        case 'lte':
          values.push(value);
          conditions.push(`${column} <= ${param()}`);
          break;
      }
    }
    return { conditions, values };
  }

  private async query(
    operation: string,
    sql: string,
    values: unknown[],
    signal: AbortSignal,
    /** A name for `sql` as a prepared statement: only ever given with the same text. */
    prepared?: string,
  ): Promise<Record<string, unknown>[]> {
    if (!this.pool) throw new ConnectorError(this.connector, operation, 'UNAVAILABLE', 503, 'connector not initialised');
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new ConnectorError(this.connector, operation, 'TIMEOUT', 504, 'no answer within the timeout'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      const result = await Promise.race([
        this.pool.query(prepared ? { name: prepared, text: sql, values } : { text: sql, values }),
        aborted,
      ]);
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      const code = (error as { code?: string }).code;
      if (code === '57014')
        throw new ConnectorError(this.connector, operation, 'TIMEOUT', 504, 'query cancelled by the statement timeout');
      if (isAvailabilityError(code)) {
        throw new ConnectorError(
          this.connector,
          operation,
          'UNAVAILABLE',
          503,
          `exchange database unavailable (${code ?? 'connection error'})`,
          { cause: error },
        );
      }
      if (code === '42501') {
        throw new ConnectorError(this.connector, operation, 'UNAUTHORIZED', 502, 'exchange role may not read this view', {
          cause: error,
        });
      }
      // An error raised by the department's side (its views, its fault gate) is its failure, not a bad query.
      if (code === 'P0001') {
        throw new ConnectorError(this.connector, operation, 'UNAVAILABLE', 503, 'exchange database raised an error', {
          cause: error,
        });
      }
      throw new ConnectorError(this.connector, operation, 'BAD_REQUEST', 500, `exchange query failed (SQLSTATE ${code})`, {
        cause: error,
      });
    } finally {
      // An answered query's listener goes at once: the signal outlives the call (the budget's timer is cleared,
      // but anything may still abort it), and an abort then must build no error for nothing.
      signal.removeEventListener('abort', onAbort);
    }
  }
}

function where(conditions: string[]): string {
  return conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
}
