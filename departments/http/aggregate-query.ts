/**
 * Computes an aggregate of the published interface (connectors/department-interface.ts AggregateSpec) over storage.
 *
 * Contract: rows count the entity's records (or sum numeric fields) whose region field starts with the region
 * code's prefix (connectors/regions.ts) and that match the entity's declared filters, grouped by the region
 * at `regionLevel` (6/9/12-digit code in `regionCode`; no region column when `regionLevel` is null) and by the
 * `groupBy` dimensions (a record field, or `birthYear`: the year of `birthDate`). Every measure is a JSON
 * number; sums over no records are 0. Rows are ordered by their group values. Without any grouping there is
 * exactly one row.
 */
import type pg from 'pg';
import { z } from 'zod';
import type { AggregateSpec } from '../../connectors/department-interface';
import { REGION_LEVEL_LENGTH, regionCodeSchema, regionPrefix } from '../../domain/regions';
import { StorageMismatchError, columnAsText, ident, type StoredEntity } from '../storage';
import { BadRequestError } from './errors';
import { compileFilters } from './filters';

export const aggregateRequestSchema = z.object({
  regionCode: regionCodeSchema,
  regionLevel: z.enum(['DISTRICT', 'STREET', 'COMMUNITY']).nullable().default(null),
  groupBy: z.array(z.string()).max(10).default([]),
  filter: z.record(z.string(), z.unknown()).nullable().default({}),
});
export type AggregateRequest = z.infer<typeof aggregateRequestSchema>;

/** Dimensions that are not record fields, derived from one. */
const DERIVED_DIMENSIONS: Record<string, { field: string; sql: (column: string) => string }> = {
  // date_part (double precision) rather than extract (numeric since PostgreSQL 14): the same year, cheaper per row.
  birthYear: { field: 'birthDate', sql: (column) => `date_part('year', ${column})::int` },
};

export type AggregateRow = Record<string, string | number | boolean | null>;

export class AggregateQuery {
  private readonly dimensions: Map<string, string>;
  private readonly measures: Array<[string, string]>;
  private readonly regionColumn: string;
  /** The region column as stored, for the prefix match: LIKE on a character(n) column needs no cast per row. */
  private readonly regionMatch: string;

  constructor(
    private readonly pool: pg.Pool,
    readonly name: string,
    readonly spec: AggregateSpec,
    private readonly entity: StoredEntity,
  ) {
    const field = (name: string) => {
      const found = entity.fields.find((f) => f.field === name);
      if (!found) throw new StorageMismatchError(`aggregate ${this.name}: ${entity.name} has no field ${name}`);
      return found;
    };
    this.regionColumn = columnAsText(field(spec.regionField), 't');
    this.regionMatch = `t.${ident(field(spec.regionField).column)}`;
    this.dimensions = new Map(
      spec.dimensions.map((dimension) => {
        const derived = DERIVED_DIMENSIONS[dimension];
        const sql = derived ? derived.sql(`t.${ident(field(derived.field).column)}`) : columnAsText(field(dimension), 't');
        return [dimension, sql];
      }),
    );
    this.measures = Object.entries(spec.measures).map(([measure, definition]) => [
      measure,
      definition.op === 'count'
        ? 'count(*)::float8'
        : definition.op === 'countDistinct'
          ? `count(DISTINCT t.${ident(field(definition.field).column)})::float8`
          : `coalesce(sum(t.${ident(field(definition.field).column)}), 0)::float8`,
    ]);
  }

  /** Throws the BadRequestError `run` would, without touching the database. */
  check(request: AggregateRequest): void {
    [...new Set(request.groupBy)].forEach((dimension, i) => {
      if (!this.dimensions.has(dimension)) {
        throw new BadRequestError(
          `unknown dimension "${dimension}" (${this.name} groups by: ${this.spec.dimensions.join(', ')})`,
          {
            field: `groupBy.${i}`,
            reason: 'UNKNOWN_DIMENSION',
          },
        );
      }
    });
    const probe: unknown[] = [];
    compileFilters(this.entity, request.filter, probe);
  }

  async run(request: AggregateRequest): Promise<AggregateRow[]> {
    this.check(request);
    const groupBy = [...new Set(request.groupBy)];
    const values: unknown[] = [`${regionPrefix(request.regionCode)}%`];
    const conditions = [`${this.regionMatch} LIKE $1`, ...compileFilters(this.entity, request.filter, values)];
    const groups: Array<[string, string]> = [];
    if (request.regionLevel)
      groups.push(['regionCode', `substr(${this.regionColumn}, 1, ${REGION_LEVEL_LENGTH[request.regionLevel]})`]);
    for (const dimension of groupBy) groups.push([dimension, this.dimensions.get(dimension)!]);
    const selects = [...groups.map(([, sql], i) => `${sql} AS g${i}`), ...this.measures.map(([, sql], i) => `${sql} AS m${i}`)];
    const positions = groups.map((_, i) => String(i + 1)).join(', ');
    const sql =
      `SELECT ${selects.join(', ')} FROM ${this.entity.table} t WHERE ${conditions.join(' AND ')}` +
      (groups.length ? ` GROUP BY ${positions} ORDER BY ${positions}` : '');
    const { rows } = await this.pool.query<Record<string, string | number | boolean | null>>(sql, values);
    return rows.map((row) => {
      const out: AggregateRow = {};
      groups.forEach(([name], i) => (out[name] = row[`g${i}`]!));
      this.measures.forEach(([name], i) => (out[name] = row[`m${i}`]!));
      return out;
    });
  }
}
