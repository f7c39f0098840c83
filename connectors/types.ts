/**
 * The connector contract: how the hub talks to one department system, whatever its transport.
 *
 * Lifecycle: configure (a validated `ConnectorConfig`, see config.ts; constructing the connector) → `init()`
 * (opens pools, checks nothing) → `healthCheck()` (any time; never throws) → reads: `loadMany` by key (shaped
 * for DataLoader), `list` with filters and cursor pagination, `aggregate` (counts/sums by region × attribute) →
 * `command` (writes for joint services, with an idempotency key) → `close()`.
 *
 * Every read result has been validated against the department's published record schema (interface.ts):
 * nothing unvalidated leaves a connector. Failures are `ConnectorError`s with an HTTP-like status, a stable
 * reason, and the connector and operation they come from; `toHubError` maps them onto the hub's error codes.
 */
import type { ConnectorName, DepartmentInterface, Transport } from './interface';
import type { CommandOptions } from './transports/transport';

export type { CommandOptions };

/** A validated department record, with what lineage needs to trace it. */
export interface SourceRecord<T = Record<string, unknown>> {
  data: T;
  /** The record's id at its source (the entity's `recordId` field). */
  sourceRecordId: string;
  /** When the department last changed the record (its `updatedAt`), ISO 8601. */
  sourceUpdatedAt: string | null;
  /** When the hub received it, ISO 8601. */
  fetchedAt: string;
}

export interface ListPage<T = Record<string, unknown>> {
  records: SourceRecord<T>[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ListQuery {
  filter: Record<string, unknown>;
  first: number;
  after?: string | null;
}

export type RegionLevel = 'DISTRICT' | 'STREET' | 'COMMUNITY';

export interface AggregateQuery {
  /** Region code of any level (6, 9 or 12 digits); records under it are aggregated. */
  regionCode: string;
  /** Group rows by region at this level (null: one row per combination of `groupBy`). */
  regionLevel?: RegionLevel | null;
  groupBy?: string[];
  filter?: Record<string, unknown>;
}

export type AggregateRow = Record<string, string | number | boolean | null>;

export type CommandOutcome =
  | { status: 'COMPLETED' | 'ACCEPTED'; result: Record<string, unknown> }
  | { status: 'REJECTED'; reason: string; field: string | null; message: string | null };

export type ConnectorHealth = 'UP' | 'DEGRADED' | 'DOWN';

export interface ConnectorStatus {
  name: ConnectorName;
  department: string;
  transport: Transport;
  status: ConnectorHealth;
  latencyMs: number | null;
  lastError: string | null;
  checkedAt: string | null;
}

export interface Connector {
  readonly name: ConnectorName;
  readonly transport: Transport;
  readonly spec: DepartmentInterface;

  /** Opens connections or pools. Does not contact the department; failing to reach it is not fatal. */
  init(): Promise<void>;

  /** Asks the department whether it answers; updates and returns the status. Never throws. */
  healthCheck(): Promise<ConnectorStatus>;

  /** The last known status, without contacting the department. */
  status(): ConnectorStatus;

  /**
   * Reads records of `entity` by key in one call (keys ≤ the transport's batch size are sent together).
   * Returns one entry per key, in order: the record (cardinality one) or the list of records (many), `null`
   * when the department has none, or a `ConnectorError` for a key whose record failed validation. A failure
   * of the whole call rejects with a `ConnectorError`.
   */
  loadMany(entity: string, keys: readonly string[]): Promise<Array<SourceRecord | SourceRecord[] | null | ConnectorError>>;

  /** One page of `entity` records matching the filter, ordered by record id. */
  list(entity: string, query: ListQuery): Promise<ListPage>;

  /** Rows of an aggregate (see the department's `aggregates`). */
  aggregate(name: string, query: AggregateQuery): Promise<AggregateRow[]>;

  /**
   * Runs a command. The same idempotency key always yields the same outcome and at most one effect at the
   * department, so a caller may repeat a command whose answer it did not receive. Never retried here.
   */
  command(name: string, input: unknown, idempotencyKey: string, options?: CommandOptions): Promise<CommandOutcome>;

  close(): Promise<void>;
}

export type ConnectorErrorReason =
  | 'TIMEOUT' // no answer within the configured timeout
  | 'CIRCUIT_OPEN' // recent failures: calls are refused without contacting the department
  | 'UNAVAILABLE' // connection refused/reset, outage, 5xx
  | 'UNAUTHORIZED' // the department refused the hub's credentials (configuration problem)
  | 'MALFORMED_RECORD' // a record failed validation against the published schema
  | 'BAD_RESPONSE' // the answer is not what the interface promises (not JSON, wrong shape)
  | 'BAD_REQUEST' // the department rejected the hub's request as invalid (a hub bug)
  | 'UNKNOWN_OPERATION'; // entity, aggregate or command not in the department's interface

export class ConnectorError extends Error {
  constructor(
    readonly connector: ConnectorName,
    readonly operation: string,
    readonly reason: ConnectorErrorReason,
    /** HTTP-like status: 504 timeout, 503 unavailable/open circuit, 502 bad or malformed answer, 4xx. */
    readonly status: number,
    message: string,
    readonly details: { key?: string; recordId?: string; field?: string; cause?: unknown } = {},
  ) {
    super(`${connector} ${operation}: ${message}`);
    this.name = 'ConnectorError';
  }

  /** Whether repeating the same read may succeed (timeouts and unavailability, not bad data or open circuits). */
  get transient(): boolean {
    return this.reason === 'TIMEOUT' || this.reason === 'UNAVAILABLE';
  }
}
