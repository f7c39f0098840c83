/**
 * The hub's published exchange interface (接口规范): what each department system exposes to the hub,
 * independent of transport. One `DepartmentInterface` per department names its entities (records the hub
 * reads by key or lists with filters), its aggregates (counts and sums by region and attribute, the inputs of
 * indicators) and its commands (writes used by joint services, each carrying an idempotency key).
 *
 * The same definition drives both transports: over HTTP an entity is `POST /v1/<entity>:batchGet` and
 * `POST /v1/<entity>:search`; in an SQL exchange database (前置库) it is the view `<schema>.<snake_entity>`
 * with one column per record field in snake_case. Record schemas are zod: department data is untrusted
 * input, validated field by field before the hub uses it.
 *
 * Types follow from the definitions: `defineDepartment` keeps entity, aggregate, measure and command names as
 * literal types and checks every field a definition names (key, record id, filter fields, region field, summed
 * fields, dimensions) against the entity's record schema, so a misspelt name is a compile error; departments.ts
 * turns the six definitions into the record, row and command types the hub reads them with.
 */
import { z } from 'zod';

export const CONNECTOR_NAMES = [
  'public-security',
  'health',
  'medical-insurance',
  'social-security',
  'civil-affairs',
  'education',
] as const;
export type ConnectorName = (typeof CONNECTOR_NAMES)[number];

/** A filter an entity's list accepts: exact match, region-code prefix (any level), or a date/number range bound. */
export type FilterKind = 'eq' | 'in' | 'regionPrefix' | 'gte' | 'lte';

export interface FilterSpec {
  /** Record field the filter applies to. */
  field: string;
  kind: FilterKind;
}

export interface EntitySpec<TRecord extends z.ZodType = z.ZodType> {
  /** Chinese and English description of the entity. */
  description: string;
  /** Field the hub looks records up by (citizen ID, institution ID…). */
  key: string;
  /** `one`: at most one record per key; `many`: a list per key (e.g. vaccinations of a child). */
  cardinality: 'one' | 'many';
  /** Field that identifies a record at its source (for lineage). */
  recordId: string;
  record: TRecord;
  /** Filters accepted by lists; absent means the entity is only read by key. */
  filters?: Readonly<Record<string, FilterSpec>>;
}

/** `count` of records, `countDistinct` of a field's values (people behind several records), or `sum` of a numeric field. */
export type MeasureSpec = { op: 'count' } | { op: 'countDistinct'; field: string } | { op: 'sum'; field: string };

/** A dimension that is not a record field but derived from one: `birthYear`, the year of `birthDate`. */
export type DerivedDimension = 'birthYear';

export interface AggregateSpec {
  description: string;
  /** Entity whose records are aggregated. */
  entity: string;
  measures: Readonly<Record<string, MeasureSpec>>;
  /** Attributes a query may group by, besides the region: record fields, or a derived dimension. */
  dimensions: readonly string[];
  /** Field holding the record's region code (12-digit community or street-level code). */
  regionField: string;
}

export interface CommandSpec<TInput extends z.ZodType = z.ZodType, TResult extends z.ZodType = z.ZodType> {
  description: string;
  input: TInput;
  result: TResult;
}

export interface DepartmentInterface {
  name: ConnectorName;
  /** Department's Chinese short name, e.g. 公安. */
  department: string;
  /** English name, e.g. public security. */
  departmentEn: string;
  entities: Readonly<Record<string, EntitySpec>>;
  aggregates: Readonly<Record<string, AggregateSpec>>;
  commands: Readonly<Record<string, CommandSpec>>;
}

// ---------------------------------------------------------------------------------- shared field schemas

export const citizenIdField = z.string().regex(/^\d{17}[\dX]$/, 'must be an 18-character citizen ID');
export const regionCodeField = z.string().regex(/^\d{12}$/, 'must be a 12-digit region code');
export const dateField = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date');
export const timestampField = z.string().datetime({ offset: true, message: 'must be an ISO 8601 timestamp' });
export const sexField = z.enum(['M', 'F']);
/** Numbers arrive as JSON numbers over HTTP and as numeric strings from PostgreSQL `numeric`. */
export const decimalField = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

/** Records always carry the source's own last-update time (lineage: sourceUpdatedAt). */
export const sourceRecord = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, updatedAt: timestampField });

// ------------------------------------------------------------------------- checking a definition's names

/** Fields of the record an entity's schema validates to. */
type FieldOf<TEntity> = TEntity extends { record: infer S extends z.ZodType } ? keyof z.output<S> & string : never;
/** Its numeric fields (what a `sum` measure may add up). */
type NumericFieldOf<TEntity> = TEntity extends { record: infer S extends z.ZodType }
  ? { [K in keyof z.output<S>]-?: z.output<S>[K] extends number ? K : never }[keyof z.output<S>] & string
  : never;

/**
 * A name a definition gives that is not one of `TKnown` (a record field, an entity…) fails to compile: the
 * error shows the name against this type, which lists the names it could have been.
 */
interface NotOneOf<TKnown> {
  readonly 'expected one of': TKnown;
}
type Check<TName, TKnown> = [TName] extends [TKnown] ? unknown : NotOneOf<TKnown>;

type CheckedEntity<TEntity> = TEntity extends { key: infer K; recordId: infer R }
  ? {
      key: Check<K, FieldOf<TEntity>>;
      recordId: Check<R, FieldOf<TEntity>>;
      filters?: TEntity extends { filters: infer F }
        ? { [N in keyof F]: { field: Check<F[N] extends { field: infer X } ? X : never, FieldOf<TEntity>> } }
        : unknown;
    }
  : unknown;

type CheckedAggregate<TEntities, TAggregate> = TAggregate extends {
  entity: infer E;
  regionField: infer R;
  measures: infer M;
  dimensions: infer D;
}
  ? E extends keyof TEntities
    ? {
        regionField: Check<R, FieldOf<TEntities[E]>>;
        measures: {
          [N in keyof M]: M[N] extends { op: 'sum'; field: infer F }
            ? { field: Check<F, NumericFieldOf<TEntities[E]>> }
            : M[N] extends { op: 'countDistinct'; field: infer F }
              ? { field: Check<F, FieldOf<TEntities[E]>> }
              : unknown;
        };
        dimensions: { [I in keyof D]: Check<D[I], FieldOf<TEntities[E]> | DerivedDimension> };
      }
    : { entity: Check<E, keyof TEntities & string> }
  : unknown;

type CheckedDepartment<T extends DepartmentInterface> = {
  entities: { [E in keyof T['entities']]: CheckedEntity<T['entities'][E]> };
  aggregates: { [A in keyof T['aggregates']]: CheckedAggregate<T['entities'], T['aggregates'][A]> };
};

/**
 * A department's published interface, with its names kept as literal types (`const`) and every field a
 * definition names checked against the record schema it refers to (a wrong one is a compile error there).
 */
export function defineDepartment<const T extends DepartmentInterface>(spec: T & NoInfer<CheckedDepartment<T>>): T {
  return spec;
}

/** `elderlyProfile` → `elderly_profile`: record fields and entities as SQL exchange columns and views. */
export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
