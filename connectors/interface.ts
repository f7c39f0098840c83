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
 */
import { z } from 'zod';

export type Transport = 'http' | 'sql';

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
  filters?: Record<string, FilterSpec>;
  /** Whether the entity holds data about identifiable people (drives masking and audit later). */
  personal: boolean;
}

export interface AggregateSpec {
  description: string;
  /** Entity whose records are aggregated. */
  entity: string;
  /** `count` of records, `countDistinct` of a field's values (people behind several records), or `sum` of numeric fields. */
  measures: Record<string, { op: 'count' } | { op: 'countDistinct'; field: string } | { op: 'sum'; field: string }>;
  /** Attributes a query may group by, besides the region. */
  dimensions: string[];
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
  entities: Record<string, EntitySpec>;
  aggregates: Record<string, AggregateSpec>;
  commands: Record<string, CommandSpec>;
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
export const sourceRecord = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ ...shape, updatedAt: timestampField });

export function defineDepartment<T extends DepartmentInterface>(spec: T): T {
  return spec;
}

/** `elderlyProfile` → `elderly_profile`: record fields and entities as SQL exchange columns and views. */
export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
