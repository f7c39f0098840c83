/**
 * Reads one entity's records from the department's storage, as the exchange API publishes them.
 *
 * Contract:
 * - `batchGet(keys)`: every record whose key is among `keys` (all records of a key for `many` entities),
 *   ordered by key then sort key; keys without records are simply absent.
 * - `search(filter, first, after, count, fields)`: the records matching the declared filters, ordered by recordId
 *   (then the rest of the primary key, so the order is total), `first` at a time after the opaque cursor `after`,
 *   with the total count of matches (null unless `count`); with `fields`, each record holds those fields and the
 *   entity's key, recordId and `updatedAt` (a field the record does not have is a BadRequestError on `fields`).
 * Records are the JSON texts PostgreSQL builds, with exactly the record schema's camelCase fields (storage.ts
 * recordJsonSql): the routes join them into the answer without parsing and serialising them again.
 */
import type pg from 'pg';
import { ident, recordJsonSql, type StoredEntity, type StoredField } from '../storage';
import { decodeCursor, encodeCursor } from './cursor';
import { BadRequestError } from './errors';
import { compileFilters, whereClause } from './filters';

/** One record as JSON text. */
export type RecordJson = string;

export interface Page {
  records: RecordJson[];
  totalCount: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Projected select lists kept per entity (field lists come from the hub's queries, which repeat). */
const MAX_PROJECTIONS = 64;

export class EntityReader {
  private readonly select: string;
  private readonly from: string;
  private readonly orderBy: string;
  private readonly batchGetQuery: pg.QueryConfig;
  private readonly projections = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    readonly entity: StoredEntity,
  ) {
    const sortKey = entity.sortColumns.map((c) => `t.${ident(c.column)}::text`).join(', ');
    this.from = `, ARRAY[${sortKey}] AS sort_key FROM ${entity.table} t`;
    this.select = this.selectOf(entity.fields);
    this.orderBy = entity.sortColumns.map((c) => `t.${ident(c.column)}`).join(', ');
    const key = `t.${ident(entity.key.column)}`;
    // Prepared once per connection: the one statement every batchGet of the entity runs (its plan is kept).
    this.batchGetQuery = {
      name: `${entity.name}:batchGet`,
      text: `${this.select} WHERE ${key} = ANY($1) ORDER BY ${key}, ${this.orderBy}`,
    };
  }

  private selectOf(fields: readonly StoredField[]): string {
    return `SELECT ${recordJsonSql(this.entity, 't', fields)}::text AS record${this.from}`;
  }

  /** The select of `fields` with the key, recordId and `updatedAt`, in the record's order. */
  private projected(fields: readonly string[]): string {
    const id = fields.join(',');
    const known = this.projections.get(id);
    if (known) return known;
    const byName = new Map(this.entity.fields.map((f) => [f.field, f]));
    const unknown = fields.find((field) => !byName.has(field));
    if (unknown !== undefined) {
      throw new BadRequestError(`${this.entity.name} has no field "${unknown.slice(0, 64)}"`, {
        field: 'fields',
        reason: 'UNKNOWN_FIELD',
      });
    }
    const wanted = new Set([...fields, this.entity.key.field, this.entity.recordId.field, 'updatedAt']);
    const select = this.selectOf(this.entity.fields.filter((f) => wanted.has(f.field)));
    if (this.projections.size >= MAX_PROJECTIONS) this.projections.clear();
    this.projections.set(id, select);
    return select;
  }

  async batchGet(keys: readonly string[]): Promise<RecordJson[]> {
    const { rows } = await this.pool.query<{ record: RecordJson }>({ ...this.batchGetQuery, values: [[...new Set(keys)]] });
    return rows.map((row) => row.record);
  }

  async search(filter: unknown, first: number, after: string | null, count = true, fields?: readonly string[]): Promise<Page> {
    const select = fields ? this.projected(fields) : this.select;
    const values: unknown[] = [];
    const conditions = compileFilters(this.entity, filter, values);
    const countValues = [...values];
    const countSql = `SELECT count(*)::int AS total FROM ${this.entity.table} t${whereClause(conditions)}`;
    if (after) {
      const sortKey = decodeCursor(after, this.entity.sortColumns.length);
      const bounds = this.entity.sortColumns.map((c, i) => {
        values.push(sortKey[i]);
        return `($${values.length}::text)::${c.sqlType}`;
      });
      conditions.push(`(${this.orderBy}) > (${bounds.join(', ')})`);
    }
    values.push(first + 1);
    const pageSql = `${select}${whereClause(conditions)} ORDER BY ${this.orderBy} LIMIT $${values.length}`;
    const [counted, page] = await Promise.all([
      count ? this.pool.query<{ total: number }>(countSql, countValues) : null,
      this.pool.query<{ record: RecordJson; sort_key: string[] }>(pageSql, values),
    ]);
    const rows = page.rows.slice(0, first);
    const last = rows.at(-1);
    return {
      records: rows.map((row) => row.record),
      totalCount: counted ? counted.rows[0]!.total : null,
      endCursor: last ? encodeCursor(last.sort_key) : null,
      hasNextPage: page.rows.length > first,
    };
  }
}
