/**
 * Reading department data from resolvers: records by key through the request's loaders (lists page through
 * the connectors, connection.ts), with every connector failure turned into the client-facing error of the
 * field being resolved (UPSTREAM_UNAVAILABLE with the connector, department and reason), so one department's
 * failure nulls only the fields that needed it.
 *
 * Records are typed by the department's published interface: `loadOne(ctx, 'civil-affairs', 'elderlyProfile',
 * key)` is a `Promise<ElderlyProfileRecord | null>`; a connector or entity it does not publish, or an entity of
 * the other cardinality, does not compile.
 */
import type { ConnectorName } from '../connectors/department-interface';
import { toHubError } from './upstream-error';
import { ConnectorError } from '../connectors/contract';
import type { ManyEntityName, OneEntityName, RecordOf } from '../connectors/departments';
import type { HubContext } from './context';
import { BadUserInputError } from '../domain/errors';

/** A connector failure as the client-facing error for the field being resolved (anything else as it is). */
function asHubError(error: unknown): never {
  throw error instanceof ConnectorError ? toHubError(error) : error;
}

/** Runs `read`, turning a connector failure into the client-facing error for the field being resolved. */
export async function fromDepartment<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    return asHubError(error);
  }
}

/** The record of a cardinality-one entity for `key`, or null. */
export function loadOne<C extends ConnectorName, E extends OneEntityName<C>>(
  ctx: HubContext,
  connector: C,
  entity: E,
  key: string,
): Promise<RecordOf<C, E> | null> {
  // One promise per load, not an async wrapper around an async read (loads are made per person and field).
  return ctx.loaders
    .records(connector, entity)
    .load(key)
    .then((record) => {
      if (Array.isArray(record)) throw new Error(`${connector} ${entity} has a list of records per key`);
      return record ? record.data : null;
    }, asHubError);
}

/** The records of a cardinality-many entity for `key` (empty when there are none). */
export function loadList<C extends ConnectorName, E extends ManyEntityName<C>>(
  ctx: HubContext,
  connector: C,
  entity: E,
  key: string,
): Promise<Array<RecordOf<C, E>>> {
  return ctx.loaders
    .records(connector, entity)
    .load(key)
    .then((records) => {
      if (records && !Array.isArray(records)) throw new Error(`${connector} ${entity} has one record per key`);
      return (records ?? []).map((record) => record.data);
    }, asHubError);
}

/** A department record id argument (institution, kindergarten…), or BAD_USER_INPUT naming the argument. */
export function parseRecordId(id: string, field = 'id'): string {
  if (!/^[\w-]{1,64}$/.test(id)) throw new BadUserInputError('Invalid id 编号无效', { field, reason: 'MALFORMED_ID' });
  return id;
}

/** Most values a list filter may name: what a department's `in` filter accepts (departments/README.md, 1..500). */
export const MAX_FILTER_VALUES = 500;

/**
 * The distinct values of a list filter argument (`filter.filingStatuses`), or BAD_USER_INPUT naming it when it
 * names more than MAX_FILTER_VALUES (the department would refuse the request, which would reach the client as
 * INTERNAL). Duplicates say nothing more and are sent once.
 */
export function parseValueList<T>(values: readonly T[], field: string): T[] {
  if (values.length > MAX_FILTER_VALUES) {
    throw new BadUserInputError(`${field} may name at most ${MAX_FILTER_VALUES} values 筛选值过多`, {
      field,
      reason: 'TOO_MANY_VALUES',
    });
  }
  return [...new Set(values)];
}

/**
 * A root lookup's record, or null when it lies outside the consumer's region scope (a street office sees only its
 * street): answered exactly as a key nobody is registered under (null, no error), so that the scope is no oracle
 * of whether a record exists outside it. Records reached through another record (an elderly person's care
 * institution) are not checked again: they are part of what the consumer may see about that record.
 */
export async function withinRegionScope<T extends { regionCode: string }>(
  ctx: HubContext,
  lookup: Promise<T | null>,
): Promise<T | null> {
  const record = await lookup;
  return record && ctx.access.inRegionScope(record.regionCode) ? record : null;
}
