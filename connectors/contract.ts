/**
 * The connector contract: how the hub talks to one department system, whatever its transport.
 *
 * Lifecycle: configure (a validated `ConnectorConfig`, see config.ts; constructing the connector) → `init()`
 * (opens pools, checks nothing) → `healthCheck()` (any time; never throws) → reads: `loadMany` by key (shaped
 * for DataLoader), `list` with filters and cursor pagination, `aggregate` (counts/sums by region × attribute) →
 * `command` (writes for joint services, with an idempotency key) and `readCommand` (that command's answer, read
 * back by its key) → `close()`.
 *
 * Every read result has been validated against the department's published record schema
 * (connectors/<department>/interface.ts, see department-interface.ts): nothing unvalidated leaves a connector.
 * Failures are `ConnectorError`s with an HTTP-like status, a stable reason, and the connector and operation
 * they come from; `toHubError` maps them onto the hub's error codes.
 *
 * `ConnectorOf<C>` is the same contract typed by department C's published interface (departments.ts): entity,
 * aggregate and command names are checked, records come typed by their schemas, aggregate rows by their
 * measures and dimensions. `Connector` (every department alike) takes names as strings, answers untyped.
 */
import type { ConnectorName, DepartmentInterface } from './department-interface';
import type { RequestCallLimits } from './call-limits';
import type {
  AggregatedEntity,
  AggregateRow,
  AggregateName,
  AggregateRowOf,
  CommandInput,
  CommandName,
  CommandResult,
  DepartmentRecord,
  DimensionName,
  EntityName,
  ListFilter,
  RecordOf,
} from './departments';

export type { AggregateRow, AggregateValue, DepartmentRecord } from './departments';

/** How a department is reached: its HTTP JSON API, or its SQL exchange database (前置库). */
export type TransportKind = 'http' | 'sql';
/** Options of one command call. */
export interface CommandOptions extends CallOptions {
  /** Where an asynchronous department sends the final record (`X-Callback-Url`). */
  callbackUrl?: string;
}

/** A validated department record, with what lineage needs to trace it. */
export interface SourceRecord<T = DepartmentRecord> {
  data: T;
  /** The record's id at its source (the entity's `recordId` field). */
  sourceRecordId: string;
  /** When the department last changed the record (its `updatedAt`), ISO 8601. */
  sourceUpdatedAt: string | null;
  /** When the hub received it, ISO 8601. */
  fetchedAt: string;
}

/** What `loadMany` answers for one key: the record (cardinality one), the records (many), or null. */
export type LoadedRecords<T = DepartmentRecord> = SourceRecord<T> | SourceRecord<T>[] | null;

export interface ListPage<T = DepartmentRecord> {
  records: SourceRecord<T>[];
  /** How many records match the filter (all pages); null when the query did not ask (`count: false`). */
  totalCount: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ListQuery<TFilter = Readonly<Record<string, unknown>>> {
  filter: TFilter;
  first: number;
  after?: string | null;
  /**
   * The record fields to read (projection push-down); the entity's key, record id and `updatedAt` always come
   * too. Absent: every field. A page's records then hold these fields only (validated against the record
   * schema narrowed to them): the caller reads no other.
   */
  fields?: readonly string[];
  /** Whether to count every match (`totalCount`); default true. */
  count?: boolean;
}

export type RegionLevel = 'DISTRICT' | 'STREET' | 'COMMUNITY';

export interface AggregateQuery<TDimension extends string = string, TFilter = Readonly<Record<string, unknown>>> {
  /** Region code of any level (6, 9 or 12 digits); records under it are aggregated. */
  regionCode: string;
  /** Group rows by region at this level (null: one row per combination of `groupBy`). */
  regionLevel?: RegionLevel | null;
  groupBy?: readonly TDimension[];
  filter?: TFilter;
}

/** One entry of `aggregateMany`: which aggregate, and its query. */
export interface AggregateRequest {
  name: string;
  query: AggregateQuery;
}

/** A query of aggregate A of department C: its dimensions, and the list filters of the entity it counts. */
export type AggregateQueryOf<C extends ConnectorName, A extends AggregateName<C>> = AggregateQuery<
  DimensionName<C, A>,
  ListFilter<C, AggregatedEntity<C, A>>
>;

export type CommandOutcome<TResult = DepartmentRecord> =
  | { status: 'COMPLETED' | 'ACCEPTED'; result: TResult }
  | { status: 'REJECTED'; reason: string; field: string | null; message: string | null };

export type ConnectorHealth = 'UP' | 'DEGRADED' | 'DOWN';

export interface ConnectorStatus {
  name: ConnectorName;
  department: string;
  transport: TransportKind;
  status: ConnectorHealth;
  latencyMs: number | null;
  lastError: string | null;
  checkedAt: string | null;
}

/**
 * Who a department call is made for, and under which request's limits (resilience.ts): the request's loaders pass
 * them with every call (resolvers/loaders.ts). Calls without them (background health checks, scripts) are limited
 * only per connector.
 */
export interface CallOptions {
  /** The consumer (its code) the call is made for: its calls to one connector share one bulkhead. */
  consumer?: string;
  /** The request's own limits: concurrent department calls, and how many it may make in all. */
  request?: RequestCallLimits;
}

export interface Connector {
  readonly name: ConnectorName;
  readonly transport: TransportKind;
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
  loadMany(entity: string, keys: readonly string[], options?: CallOptions): Promise<Array<LoadedRecords | ConnectorError>>;

  /** One page of `entity` records matching the filter, ordered by record id. */
  list(entity: string, query: ListQuery, options?: CallOptions): Promise<ListPage>;

  /**
   * Rows of an aggregate (see the department's `aggregates`). Every row carries every measure as a number
   * (a row without one is a `MALFORMED_RECORD`).
   */
  aggregate(name: string, query: AggregateQuery, options?: CallOptions): Promise<AggregateRow[]>;

  /**
   * Several aggregates in one department call (one round trip, one bulkhead slot, one unit of the request's call
   * budget; more than the connector's `aggregatesPerCall` are split into calls of that size), answered in the
   * order asked: each entry the rows, validated as `aggregate` validates them, or that entry's `ConnectorError`
   * (unknown aggregate, malformed rows). A failure of a whole call is the error of each of its entries.
   */
  aggregateMany(requests: readonly AggregateRequest[], options?: CallOptions): Promise<Array<AggregateRow[] | ConnectorError>>;

  /**
   * Runs a command. The same idempotency key always yields the same outcome and at most one effect at the
   * department, so a caller may repeat a command whose answer it did not receive. Never retried here.
   */
  command(name: string, input: unknown, idempotencyKey: string, options?: CommandOptions): Promise<CommandOutcome>;

  /**
   * The answer the department gave to command `name` sent with `idempotencyKey` (validated as `command`
   * validates it), or null when it never received that key (or is still executing it). Executes nothing, so
   * a caller that may not repeat a command (a step past its deadline) asks this first. A department that
   * offers no such read answers UNKNOWN_OPERATION; a key used for another command is BAD_REQUEST.
   */
  readCommand(name: string, idempotencyKey: string, options?: CallOptions): Promise<CommandOutcome | null>;

  close(): Promise<void>;
}

/**
 * The connector of department C as the hub reads it (`ConnectorRegistry.get`): the same contract, with names
 * checked against C's published interface and answers typed by it.
 */
export interface ConnectorOf<C extends ConnectorName> extends Omit<
  Connector,
  'loadMany' | 'list' | 'aggregate' | 'command' | 'readCommand'
> {
  readonly name: C;
  loadMany<E extends EntityName<C>>(
    entity: E,
    keys: readonly string[],
    options?: CallOptions,
  ): Promise<Array<LoadedRecords<RecordOf<C, E>> | ConnectorError>>;
  list<E extends EntityName<C>>(
    entity: E,
    query: ListQuery<ListFilter<C, E>>,
    options?: CallOptions,
  ): Promise<ListPage<RecordOf<C, E>>>;
  aggregate<A extends AggregateName<C>>(
    name: A,
    query: AggregateQueryOf<C, A>,
    options?: CallOptions,
  ): Promise<AggregateRowOf<C, A>[]>;
  command<K extends CommandName<C>>(
    name: K,
    input: CommandInput<C, K>,
    idempotencyKey: string,
    options?: CommandOptions,
  ): Promise<CommandOutcome<CommandResult<C, K>>>;
  readCommand<K extends CommandName<C>>(
    name: K,
    idempotencyKey: string,
    options?: CallOptions,
  ): Promise<CommandOutcome<CommandResult<C, K>> | null>;
}

export type ConnectorErrorReason =
  | 'TIMEOUT' // no answer within the configured timeout
  | 'CIRCUIT_OPEN' // recent failures: calls are refused without contacting the department
  | 'UNAVAILABLE' // connection refused/reset, outage, 5xx
  | 'UNAUTHORIZED' // the department refused the hub's credentials (configuration problem)
  | 'MALFORMED_RECORD' // a record failed validation against the published schema
  | 'BAD_RESPONSE' // the answer is not what the interface promises (not JSON, wrong shape)
  | 'BAD_REQUEST' // the department rejected the hub's request as invalid (a hub bug)
  | 'UNKNOWN_OPERATION' // entity, aggregate or command not in the department's interface
  // Refused by the hub itself, before the department is contacted (no failure of the department: resilience.ts):
  | 'BULKHEAD_FULL' // too many calls in flight for this consumer, request or connector, and no free slot in time
  | 'REQUEST_CALL_BUDGET'; // the request has made as many department calls as one request may

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

  /** Whether the hub refused the call itself (its bulkheads or the request's budget): the department was not asked. */
  get refusedByHub(): boolean {
    return this.reason === 'BULKHEAD_FULL' || this.reason === 'REQUEST_CALL_BUDGET';
  }
}
