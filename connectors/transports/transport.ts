/**
 * What a transport does for a connector: move requests and raw (unvalidated) answers between the hub and one
 * department. Validation, resilience and metrics belong to the connector (connector.ts), so both transports
 * behave the same way above this line. Transports throw `ConnectorError` for every failure.
 */
import type { AggregateSpec, EntitySpec } from '../department-interface';
import type { AggregateQuery, CommandOptions, ListQuery } from '../contract';

/** The operation name (metrics, errors, logs) of a call carrying several aggregates. */
export const BATCH_AGGREGATE_OPERATION = 'aggregates.batch';

export interface NamedEntity extends EntitySpec {
  name: string;
}

export interface RawPage {
  records: unknown[];
  /** Null when the query asked not to count (`ListQuery.count === false`). */
  totalCount: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface RawCommandAnswer {
  /** HTTP status (200 completed, 202 accepted, 422 rejected). */
  status: number;
  body: unknown;
}

/** One aggregate of a batch, with what the transport needs to write its query. */
export interface AggregateCall {
  name: string;
  spec: AggregateSpec;
  query: AggregateQuery;
  entity: NamedEntity;
}

/** The wire to one department (HttpTransport or SqlTransport); which kind a connector uses is its `TransportKind`. */
export interface Transport {
  init(): Promise<void>;
  /** Resolves when the department answers a trivial request. */
  ping(signal: AbortSignal): Promise<void>;
  batchGet(entity: NamedEntity, keys: readonly string[], signal: AbortSignal): Promise<unknown[]>;
  /** `query.fields`, when given, is complete: the connector has added the key, record id and `updatedAt`. */
  search(entity: NamedEntity, query: ListQuery, signal: AbortSignal): Promise<RawPage>;
  /** `entity`: the aggregated entity, whose declared filters `query.filter` may use. */
  aggregate(
    name: string,
    spec: AggregateSpec,
    query: AggregateQuery,
    signal: AbortSignal,
    entity?: NamedEntity,
  ): Promise<unknown[]>;
  /** Several aggregates in one round trip (`aggregatesPerCall` at most): each entry's raw rows, in order. */
  aggregateMany(calls: readonly AggregateCall[], signal: AbortSignal): Promise<unknown[][]>;
  command(
    name: string,
    input: unknown,
    idempotencyKey: string,
    signal: AbortSignal,
    options?: CommandOptions,
  ): Promise<RawCommandAnswer>;
  /** The answer given to a command's key, as `command` would have returned it; null when never received. */
  readCommand(name: string, idempotencyKey: string, signal: AbortSignal): Promise<RawCommandAnswer | null>;
  close(): Promise<void>;
}
