/**
 * The six departments' published interfaces, by connector name, and the types the hub reads them with.
 *
 * Every type below is inferred from the definitions (their zod schemas and literal names), so a connector,
 * entity, field, filter, aggregate, measure, dimension or command name that is not published is a compile
 * error: `RecordOf<'civil-affairs', 'elderlyProfile'>` is what civil affairs' `elderlyProfile` schema validates
 * to, `AggregateRowOf<'civil-affairs', 'beds'>` has the `beds` measures (numbers) and dimensions.
 *
 * Code that treats every department alike (`C` = `ConnectorName`, e.g. iterating `DEPARTMENT_INTERFACES`) gets
 * the untyped forms instead: names are strings, records `DepartmentRecord`, rows `AggregateRow`.
 */
import type { z } from 'zod';
import type { ConnectorName, DepartmentInterface } from './department-interface';
import { civilAffairsInterface } from './civil-affairs/interface';
import { educationInterface } from './education/interface';
import { healthInterface } from './health/interface';
import { medicalInsuranceInterface } from './medical-insurance/interface';
import { publicSecurityInterface } from './public-security/interface';
import { socialSecurityInterface } from './social-security/interface';

const PUBLISHED = {
  'public-security': publicSecurityInterface,
  health: healthInterface,
  'medical-insurance': medicalInsuranceInterface,
  'social-security': socialSecurityInterface,
  'civil-affairs': civilAffairsInterface,
  education: educationInterface,
} as const satisfies { readonly [C in ConnectorName]: DepartmentInterface & { readonly name: C } };

/** The six interfaces with their literal types (names, record schemas, measures, dimensions). */
export type PublishedInterfaces = typeof PUBLISHED;

/** Every department's interface by connector name, for code that handles any department alike. */
export const DEPARTMENT_INTERFACES: Readonly<Record<ConnectorName, DepartmentInterface>> = PUBLISHED;

// ------------------------------------------------------------------------------------------ untyped forms

/** A validated department record when the entity is not known statically. */
export type DepartmentRecord = Record<string, unknown>;
/** A dimension's value in an aggregate row (region codes and attributes as the department groups them). */
export type AggregateValue = string | number | boolean | null;
/** An aggregate row when the aggregate is not known statically. */
export type AggregateRow = Record<string, AggregateValue>;

/** Whether `C` stands for every connector (generic code): then names are plain strings. */
type Untyped<C extends ConnectorName> = [ConnectorName] extends [C] ? true : false;

type Part = 'entities' | 'aggregates' | 'commands';
/** Names of department C's entities, aggregates or commands. */
type NamesOf<C extends ConnectorName, P extends Part> =
  Untyped<C> extends true ? string : C extends ConnectorName ? keyof PublishedInterfaces[C][P] & string : never;
/** The definition of one of them. */
type SpecOf<C extends ConnectorName, P extends Part, N> = C extends ConnectorName
  ? N extends keyof PublishedInterfaces[C][P]
    ? PublishedInterfaces[C][P][N]
    : never
  : never;
/** Those of department C's entities whose definition has `TShape`. */
type EntityWhere<C extends ConnectorName, TShape> =
  Untyped<C> extends true
    ? string
    : C extends ConnectorName
      ? { [E in NamesOf<C, 'entities'>]: SpecOf<C, 'entities', E> extends TShape ? E : never }[NamesOf<C, 'entities'>]
      : never;

// ------------------------------------------------------------------------------------------------ entities

/** The entities department `C` publishes. */
export type EntityName<C extends ConnectorName> = NamesOf<C, 'entities'>;
/** Its entities with at most one record per key (read with `loadOne`). */
export type OneEntityName<C extends ConnectorName> = EntityName<C> & EntityWhere<C, { cardinality: 'one' }>;
/** Its entities with a list of records per key (read with `loadList`). */
export type ManyEntityName<C extends ConnectorName> = EntityName<C> & EntityWhere<C, { cardinality: 'many' }>;
/** Its entities that can be listed: they declare filters, among them a `regionCode` prefix filter. */
export type ListableEntityName<C extends ConnectorName> = EntityName<C> &
  EntityWhere<C, { filters: { regionCode: { kind: 'regionPrefix' } } }>;

/** The record an entity's schema validates to. */
export type RecordOf<C extends ConnectorName, E extends EntityName<C>> =
  Untyped<C> extends true
    ? DepartmentRecord
    : SpecOf<C, 'entities', E> extends { record: infer S extends z.ZodType }
      ? z.output<S>
      : never;

type FilterValue<TRecord, TFilter> = TFilter extends { kind: 'regionPrefix' }
  ? string
  : TFilter extends { kind: 'in'; field: infer K extends keyof TRecord }
    ? ReadonlyArray<TRecord[K]>
    : TFilter extends { field: infer K extends keyof TRecord }
      ? TRecord[K]
      : never;

/** A list filter of an entity: its declared filters by name, each with a value of its field's type. */
export type ListFilter<C extends ConnectorName, E extends EntityName<C>> =
  Untyped<C> extends true
    ? Readonly<Record<string, unknown>>
    : SpecOf<C, 'entities', E> extends { filters: infer F }
      ? { -readonly [N in keyof F]?: FilterValue<RecordOf<C, E>, F[N]> }
      : Record<string, never>;

// ---------------------------------------------------------------------------------------------- aggregates

/** The aggregates department `C` publishes. */
export type AggregateName<C extends ConnectorName> = NamesOf<C, 'aggregates'>;
/** The measures of an aggregate (each a count or a sum: a number in every row). */
export type MeasureName<C extends ConnectorName, A extends AggregateName<C>> =
  Untyped<C> extends true ? string : SpecOf<C, 'aggregates', A> extends { measures: infer M } ? keyof M & string : never;
/** The attributes an aggregate may be grouped by, besides the region. */
export type DimensionName<C extends ConnectorName, A extends AggregateName<C>> =
  Untyped<C> extends true
    ? string
    : SpecOf<C, 'aggregates', A> extends { dimensions: ReadonlyArray<infer D extends string> }
      ? D
      : never;
/** The entity an aggregate counts (its list filters apply to the aggregate too). */
export type AggregatedEntity<C extends ConnectorName, A extends AggregateName<C>> = EntityName<C> &
  (Untyped<C> extends true ? string : SpecOf<C, 'aggregates', A> extends { entity: infer E extends string } ? E : never);

/**
 * A row of an aggregate: every measure as a number, the dimensions the query grouped by (the others are
 * absent), and `regionCode` when the query grouped by region level.
 */
export type AggregateRowOf<C extends ConnectorName, A extends AggregateName<C>> =
  Untyped<C> extends true
    ? AggregateRow
    : { [M in MeasureName<C, A>]: number } & { [D in DimensionName<C, A>]?: AggregateValue } & { regionCode?: string };

/** The measures of a row type, whatever aggregate it comes from (for helpers over rows, e.g. sums). */
export type MeasureOf<TRow> = { [K in keyof TRow]-?: TRow[K] extends number ? K : never }[keyof TRow] & string;

// ------------------------------------------------------------------------------------------------ commands

/** The commands department `C` publishes. */
export type CommandName<C extends ConnectorName> = NamesOf<C, 'commands'>;
/** What a command takes (before its schema's transforms). */
export type CommandInput<C extends ConnectorName, K extends CommandName<C>> =
  Untyped<C> extends true ? unknown : SpecOf<C, 'commands', K> extends { input: infer S extends z.ZodType } ? z.input<S> : never;
/** What a completed or accepted command answers, as its result schema validates it. */
export type CommandResult<C extends ConnectorName, K extends CommandName<C>> =
  Untyped<C> extends true
    ? DepartmentRecord
    : SpecOf<C, 'commands', K> extends { result: infer S extends z.ZodType }
      ? z.output<S>
      : never;
