/**
 * Reading department data from resolvers: through the request's loaders only, and with every connector failure
 * turned into the client-facing error of the field being resolved (UPSTREAM_UNAVAILABLE with the connector,
 * department and reason), so one department's failure nulls only the fields that needed it.
 */
import type { ConnectorName } from '../connectors/interface';
import { toHubError } from './upstream-error';
import { ConnectorError, type SourceRecord } from '../connectors/types';
import type { HubContext } from './context';
import { BadUserInputError } from '../domain/errors';

/** Runs `read`, turning a connector failure into the client-facing error for the field being resolved. */
export async function fromDepartment<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw error instanceof ConnectorError ? toHubError(error) : error;
  }
}

/** The record of a cardinality-one entity for `key`, or null. */
export function loadOne<T>(ctx: HubContext, connector: ConnectorName, entity: string, key: string): Promise<T | null> {
  return fromDepartment(async () => {
    const loaded = (await ctx.loaders.records(connector, entity).load(key)) as SourceRecord | null;
    return loaded ? (loaded.data as T) : null;
  });
}

/** The records of a cardinality-many entity for `key` (empty when there are none). */
export function loadList<T>(ctx: HubContext, connector: ConnectorName, entity: string, key: string): Promise<T[]> {
  return fromDepartment(async () => {
    const loaded = (await ctx.loaders.records(connector, entity).load(key)) as SourceRecord[] | null;
    return (loaded ?? []).map((record) => record.data as T);
  });
}

/** A department record id argument (institution, kindergarten…), or BAD_USER_INPUT naming the argument. */
export function parseRecordId(id: string, field = 'id'): string {
  if (!/^[\w-]{1,64}$/.test(id)) throw new BadUserInputError('Invalid id 编号无效', { field, reason: 'MALFORMED_ID' });
  return id;
}

/**
 * A root lookup's record, or FORBIDDEN when it lies outside the consumer's region scope (a street office sees
 * only its street). Records reached through another record (an elderly person's care institution) are not
 * checked again: they are part of what the consumer may see about that record.
 */
export async function withinRegionScope<T extends { regionCode: string }>(ctx: HubContext, lookup: Promise<T | null>, what: string): Promise<T | null> {
  const record = await lookup;
  if (record) ctx.access.assertInRegionScope(record.regionCode, what);
  return record;
}
