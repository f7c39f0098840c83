/**
 * Compiles the `filter` object of a list or aggregate request into SQL conditions, accepting only the
 * entity's declared filters (connectors/department-interface.ts FilterSpec).
 *
 * Contract: a `null` value means "no filter". Kinds: `eq` (one value of the field), `in` (1..500 values of
 * the field), `gte` / `lte` (a value of the field, compared in the column's own type), `regionPrefix` (a region
 * code of any level, 6/9/12 digits, matched as a prefix of the record's 12-digit code: connectors/regions.ts).
 * An undeclared filter or a value the field's schema rejects is a BadRequestError naming `filter.<name>`;
 * values are always bound parameters.
 */
import { z } from 'zod';
import { regionCodeSchema, regionPrefix } from '../../domain/regions';
import { columnAsText, ident, type StoredEntity, type StoredField } from '../storage';
import { BadRequestError, fromZodError } from './errors';

const filterObjectSchema = z.record(z.string(), z.unknown());

export function filterField(entity: StoredEntity, name: string): StoredField {
  const spec = entity.spec.filters?.[name];
  const field = spec && entity.fields.find((f) => f.field === spec.field);
  if (!spec || !field) {
    const accepted = Object.keys(entity.spec.filters ?? {}).join(', ') || 'none';
    throw new BadRequestError(`unknown filter "${name}" (${entity.name} accepts: ${accepted})`, {
      field: `filter.${name}`,
      reason: 'UNKNOWN_FILTER',
    });
  }
  return field;
}

/** Appends the filter's parameters to `values` and returns the conditions (on table alias `t`). */
export function compileFilters(entity: StoredEntity, filter: unknown, values: unknown[]): string[] {
  if (filter === undefined || filter === null) return [];
  const parsedFilter = filterObjectSchema.safeParse(filter);
  if (!parsedFilter.success) throw new BadRequestError('filter must be an object', { field: 'filter', reason: 'INVALID_TYPE' });
  const conditions: string[] = [];
  for (const [name, value] of Object.entries(parsedFilter.data)) {
    const field = filterField(entity, name);
    if (value === null || value === undefined) continue;
    const kind = entity.spec.filters![name]!.kind;
    const column = `t.${ident(field.column)}`;
    const check = (schema: z.ZodType, input: unknown) => {
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw fromZodError(parsed.error, `filter.${name}`);
      return parsed.data;
    };
    const param = (v: unknown) => {
      values.push(v);
      return `$${values.length}`;
    };
    switch (kind) {
      case 'eq':
        conditions.push(`${columnAsText(field, 't')} = ${param(check(field.schema, value))}`);
        break;
      case 'in':
        conditions.push(`${columnAsText(field, 't')} = ANY(${param(check(z.array(field.schema).min(1).max(500), value))})`);
        break;
      case 'gte':
        conditions.push(`${column} >= ${param(check(field.schema, value))}`);
        break;
      case 'lte':
        conditions.push(`${column} <= ${param(check(field.schema, value))}`);
        break;
      case 'regionPrefix':
        conditions.push(`${column} LIKE ${param(`${regionPrefix(check(regionCodeSchema, value) as string)}%`)}`);
        break;
    }
  }
  return conditions;
}

export const whereClause = (conditions: string[]) => (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '');
