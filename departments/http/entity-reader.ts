/**
 * Reads one entity's records from the department's storage, as the exchange API publishes them.
 *
 * Contract:
 * - `batchGet(keys)`: every record whose key is among `keys` (all records of a key for `many` entities),
 *   ordered by key then sort key; keys without records are simply absent.
 * - `search(filter, first, after)`: the records matching the declared filters, ordered by recordId (then the
 *   rest of the primary key, so the order is total), `first` at a time after the opaque cursor `after`, with
 *   the total count of matches (null unless `count`).
 * Records are JSON objects with exactly the record schema's camelCase fields (storage.ts recordJsonSql).
 */
import type pg from 'pg';
import { ident, recordJsonSql, type StoredEntity } from '../storage';
import { decodeCursor, encodeCursor } from './cursor';
import { compileFilters, whereClause } from './filters';

export type JsonRecord = Record<string, unknown>;

export interface Page {
  records: JsonRecord[];
  totalCount: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
}

export class EntityReader {
  private readonly select: string;
  private readonly orderBy: string;

  constructor(
    private readonly pool: pg.Pool,
    readonly entity: StoredEntity,
  ) {
    const sortKey = entity.sortColumns.map((c) => `t.${ident(c.column)}::text`).join(', ');
    this.select = `SELECT ${recordJsonSql(entity)} AS record, ARRAY[${sortKey}] AS sort_key FROM ${entity.table} t`;
    this.orderBy = entity.sortColumns.map((c) => `t.${ident(c.column)}`).join(', ');
  }

  async batchGet(keys: readonly string[]): Promise<JsonRecord[]> {
    const key = `t.${ident(this.entity.key.column)}`;
    const { rows } = await this.pool.query<{ record: JsonRecord }>(
      `${this.select} WHERE ${key} = ANY($1) ORDER BY ${key}, ${this.orderBy}`,
      [[...new Set(keys)]],
    );
    return rows.map((row) => row.record);
  }

  async search(filter: unknown, first: number, after: string | null, count = true): Promise<Page> {
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
    const pageSql = `${this.select}${whereClause(conditions)} ORDER BY ${this.orderBy} LIMIT $${values.length}`;
    const [counted, page] = await Promise.all([
      count ? this.pool.query<{ total: number }>(countSql, countValues) : null,
      this.pool.query<{ record: JsonRecord; sort_key: string[] }>(pageSql, values),
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
