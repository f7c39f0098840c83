/**
 * The one connector implementation, for every department and both transports: the department's published
 * interface says what exists, the transport moves the bytes, and this class adds what every connector must
 * do the same way — validation of every record (zod), resilience (bulkheads, timeouts, retries, breaker), metrics,
 * and the UP / DEGRADED / DOWN status.
 */
import { z } from 'zod';
import type { ConnectorConfig } from './config';
import type { AggregateSpec, CommandSpec, DepartmentInterface, EntitySpec } from './department-interface';
import type { ConnectorMetrics } from './metrics';
import { Resilience } from './resilience';
import { mask } from '../domain/masking';
import { scalarText } from '../domain/text';
import { attachProvenance } from './provenance';
import type { CommandOptions } from './contract';
import {
  BATCH_AGGREGATE_OPERATION,
  type AggregateCall,
  type NamedEntity,
  type RawCommandAnswer,
  type Transport,
} from './transports/transport';
import {
  ConnectorError,
  type AggregateQuery,
  type AggregateRequest,
  type AggregateRow,
  type CallOptions,
  type CommandOutcome,
  type Connector,
  type ConnectorStatus,
  type ListPage,
  type ListQuery,
  type SourceRecord,
} from './contract';

/** A call slower than this (or any recent failure) makes a connector DEGRADED rather than UP. */
const SLOW_MS = 1000;
/** Narrowed record schemas kept per connector. */
const MAX_NARROWED = 256;

export class DepartmentConnector implements Connector {
  readonly name;
  readonly transport;
  private readonly resilience: Resilience;
  private lastStatus: ConnectorStatus;
  private lastCallFailed = false;
  /** The health check under way: concurrent callers share it (one check of the department at a time). */
  private checking: Promise<ConnectorStatus> | undefined;
  /** Record schemas narrowed to a projection, by entity and field list (a query's shape repeats). */
  private readonly narrowed = new Map<string, z.ZodType>();

  constructor(
    readonly spec: DepartmentInterface,
    private readonly config: ConnectorConfig,
    private readonly wire: Transport,
    private readonly metrics: ConnectorMetrics,
  ) {
    this.name = config.name;
    this.transport = config.transport;
    this.resilience = new Resilience(config.name, config.limits, (open) =>
      metrics.circuitOpen.set({ connector: config.name }, open ? 1 : 0),
    );
    this.lastStatus = {
      name: config.name,
      department: spec.department,
      transport: config.transport,
      status: 'UP',
      latencyMs: null,
      lastError: null,
      checkedAt: null,
    };
  }

  init(): Promise<void> {
    return this.wire.init();
  }

  /** Checks the department now; a check already under way (another request's, the background one) is shared. */
  healthCheck(): Promise<ConnectorStatus> {
    this.checking ??= this.check().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async check(): Promise<ConnectorStatus> {
    const started = performance.now();
    let failure: ConnectorError | undefined;
    try {
      await this.resilience.probe('healthCheck', (signal) => this.timed('healthCheck', () => this.wire.ping(signal)));
    } catch (error) {
      failure = this.asConnectorError('healthCheck', error);
    }
    const latencyMs = Math.round(performance.now() - started);
    this.lastStatus = {
      ...this.lastStatus,
      status: failure
        ? 'DOWN'
        : this.resilience.circuitOpen
          ? 'DOWN'
          : latencyMs > SLOW_MS || this.lastCallFailed
            ? 'DEGRADED'
            : 'UP',
      latencyMs,
      lastError: failure ? failure.message : this.lastStatus.lastError,
      checkedAt: new Date().toISOString(),
    };
    return this.lastStatus;
  }

  status(): ConnectorStatus {
    if (this.resilience.circuitOpen) return { ...this.lastStatus, status: 'DOWN' };
    if (this.lastCallFailed && this.lastStatus.status === 'UP') return { ...this.lastStatus, status: 'DEGRADED' };
    return this.lastStatus;
  }

  async loadMany(entityName: string, keys: readonly string[], options?: CallOptions) {
    const entity = this.entity(entityName, 'batchGet');
    const operation = `${entityName}.batchGet`;
    const batches: string[][] = [];
    for (let i = 0; i < keys.length; i += this.config.limits.batchSize) {
      batches.push(keys.slice(i, i + this.config.limits.batchSize));
    }
    const answers = await Promise.all(
      batches.map((batch) => this.call(operation, 'read', (signal) => this.wire.batchGet(entity, batch, signal), options)),
    );
    const fetchedAt = new Date().toISOString();
    const byKey = new Map<string, Array<SourceRecord | ConnectorError>>();
    for (const raw of answers.flat()) {
      const key = scalarText((raw as Record<string, unknown>)?.[entity.key]);
      const checked = this.validate(entity, operation, raw, fetchedAt);
      const found = byKey.get(key);
      if (found) found.push(checked);
      else byKey.set(key, [checked]);
    }
    return keys.map((key) => {
      const found = byKey.get(key);
      if (!found) return entity.cardinality === 'many' ? [] : null;
      const invalid = found.find((r): r is ConnectorError => r instanceof ConnectorError);
      if (invalid) return invalid;
      const records = found as SourceRecord[];
      return entity.cardinality === 'many' ? records : records[0]!;
    });
  }

  async list(entityName: string, query: ListQuery, options?: CallOptions): Promise<ListPage> {
    const entity = this.entity(entityName, 'search');
    const operation = `${entityName}.search`;
    const projection = query.fields ? this.projection(entity, operation, query.fields) : undefined;
    const wanted = projection ? { ...query, fields: projection.fields } : query;
    const page = await this.call(operation, 'read', (signal) => this.wire.search(entity, wanted, signal), options);
    const fetchedAt = new Date().toISOString();
    const records = page.records.map((raw) => {
      const checked = this.validate(entity, operation, raw, fetchedAt, projection?.schema);
      if (checked instanceof ConnectorError) throw checked;
      return checked;
    });
    return { ...page, records };
  }

  async aggregate(name: string, query: AggregateQuery, options?: CallOptions): Promise<AggregateRow[]> {
    const call = this.aggregateCall(name, query);
    if (call instanceof ConnectorError) throw call;
    const rows = await this.call(
      `${name}.aggregate`,
      'read',
      (signal) => this.wire.aggregate(name, call.spec, query, signal, call.entity),
      options,
    );
    return this.checkedRows(name, call.spec, rows);
  }

  async aggregateMany(
    requests: readonly AggregateRequest[],
    options?: CallOptions,
  ): Promise<Array<AggregateRow[] | ConnectorError>> {
    const answers: Array<AggregateRow[] | ConnectorError> = new Array<AggregateRow[] | ConnectorError>(requests.length);
    const valid: Array<{ at: number; call: AggregateCall }> = [];
    requests.forEach(({ name, query }, at) => {
      const call = this.aggregateCall(name, query);
      if (call instanceof ConnectorError) answers[at] = call;
      else valid.push({ at, call });
    });
    const size = this.config.limits.aggregatesPerCall;
    const chunks: Array<typeof valid> = [];
    for (let i = 0; i < valid.length; i += size) chunks.push(valid.slice(i, i + size));
    await Promise.all(
      chunks.map(async (chunk) => {
        if (chunk.length === 1) {
          const [{ at, call }] = chunk as [(typeof chunk)[number]];
          answers[at] = await this.aggregate(call.name, call.query, options).catch((error: unknown) =>
            this.asConnectorError(`${call.name}.aggregate`, error),
          );
          return;
        }
        try {
          const results = await this.call(
            BATCH_AGGREGATE_OPERATION,
            'read',
            (signal) =>
              this.wire.aggregateMany(
                chunk.map((c) => c.call),
                signal,
              ),
            options,
          );
          chunk.forEach(({ at, call }, i) => {
            try {
              answers[at] = this.checkedRows(call.name, call.spec, results[i]!);
            } catch (error) {
              answers[at] = this.asConnectorError(`${call.name}.aggregate`, error);
            }
          });
        } catch (error) {
          const failure = this.asConnectorError(BATCH_AGGREGATE_OPERATION, error);
          for (const { at } of chunk) answers[at] = failure;
        }
      }),
    );
    return answers;
  }

  /** What a transport needs for aggregate `name`, or the error of an aggregate the interface does not publish. */
  private aggregateCall(name: string, query: AggregateQuery): AggregateCall | ConnectorError {
    const spec = this.spec.aggregates[name];
    if (!spec) return new ConnectorError(this.name, `${name}.aggregate`, 'UNKNOWN_OPERATION', 400, `no aggregate ${name}`);
    return { name, spec, query, entity: { name: spec.entity, ...this.spec.entities[spec.entity]! } };
  }

  /** Every row an object carrying every measure as a finite count (a string count is read as a number). */
  private checkedRows(name: string, spec: AggregateSpec, rows: unknown[]): AggregateRow[] {
    const operation = `${name}.aggregate`;
    return rows.map((row) => {
      if (!row || typeof row !== 'object') {
        throw new ConnectorError(this.name, operation, 'BAD_RESPONSE', 502, 'aggregate row is not an object');
      }
      const out: AggregateRow = {};
      for (const [field, value] of Object.entries(row as Record<string, unknown>)) {
        const isMeasure = field in spec.measures;
        const number = typeof value === 'string' && isMeasure ? Number(value) : value;
        if (isMeasure && (typeof number !== 'number' || !Number.isFinite(number) || number < 0)) {
          throw new ConnectorError(this.name, operation, 'MALFORMED_RECORD', 502, `measure ${field} is not a count`, {
            field,
          });
        }
        out[field] = number as AggregateRow[string];
      }
      // Rows are typed with every measure a number (departments.ts AggregateRowOf): a missing one is malformed.
      const missing = Object.keys(spec.measures).find((measure) => !(measure in out));
      if (missing) {
        throw new ConnectorError(this.name, operation, 'MALFORMED_RECORD', 502, `measure ${missing} is missing`, {
          field: missing,
        });
      }
      return out;
    });
  }

  async command(name: string, input: unknown, idempotencyKey: string, options: CommandOptions = {}): Promise<CommandOutcome> {
    const spec = this.spec.commands[name];
    const operation = `${name}.command`;
    if (!spec) throw new ConnectorError(this.name, operation, 'UNKNOWN_OPERATION', 400, `no command ${name}`);
    const answer = await this.call(
      operation,
      'write',
      (signal) => this.wire.command(name, input, idempotencyKey, signal, options),
      options,
    );
    return this.outcome(spec, operation, answer);
  }

  async readCommand(name: string, idempotencyKey: string, options: CallOptions = {}): Promise<CommandOutcome | null> {
    const spec = this.spec.commands[name];
    const operation = `${name}.readCommand`;
    if (!spec) throw new ConnectorError(this.name, operation, 'UNKNOWN_OPERATION', 400, `no command ${name}`);
    // A read: it executes nothing at the department, so the read policy (and its retries) applies.
    const answer = await this.call(operation, 'read', (signal) => this.wire.readCommand(name, idempotencyKey, signal), options);
    return answer && this.outcome(spec, operation, answer);
  }

  /** A command's answer as the contract gives it: a rejection (422), or the result validated by the command's schema. */
  private outcome(spec: CommandSpec, operation: string, answer: RawCommandAnswer): CommandOutcome {
    const body = (answer.body ?? {}) as {
      status?: string;
      result?: unknown;
      reason?: unknown;
      field?: unknown;
      message?: unknown;
    };
    if (answer.status === 422 || body.status === 'REJECTED') {
      return {
        status: 'REJECTED',
        reason: scalarText(body.reason, 'rejected'),
        field: body.field ? scalarText(body.field) : null,
        message: typeof body.message === 'string' ? body.message.slice(0, 500) : null,
      };
    }
    const result = spec.result.safeParse(body.result);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new ConnectorError(
        this.name,
        operation,
        'MALFORMED_RECORD',
        502,
        `command result field ${issue.path.join('.')} ${issue.message}`,
        {
          field: issue.path.join('.'),
        },
      );
    }
    return { status: answer.status === 202 ? 'ACCEPTED' : 'COMPLETED', result: result.data as Record<string, unknown> };
  }

  close(): Promise<void> {
    return this.wire.close();
  }

  private entity(name: string, operation: string): NamedEntity {
    const entity: EntitySpec | undefined = this.spec.entities[name];
    if (!entity) throw new ConnectorError(this.name, `${name}.${operation}`, 'UNKNOWN_OPERATION', 400, `no entity ${name}`);
    return { ...entity, name };
  }

  /**
   * The fields a projected list reads (the asked ones, the key, the record id and `updatedAt`, in the record's
   * order) and the record schema narrowed to them. A field the record does not have is a hub bug: BAD_REQUEST.
   */
  private projection(entity: NamedEntity, operation: string, asked: readonly string[]) {
    if (!(entity.record instanceof z.ZodObject)) return undefined;
    const shape = entity.record.shape as Record<string, z.ZodType>;
    const wanted = new Set([...asked, entity.key, entity.recordId, 'updatedAt']);
    for (const field of wanted) {
      if (!(field in shape)) {
        throw new ConnectorError(this.name, operation, 'BAD_REQUEST', 400, `${entity.name} has no field ${field}`);
      }
    }
    const fields = Object.keys(shape).filter((field) => wanted.has(field));
    const id = `${entity.name}:${fields.join(',')}`;
    let schema = this.narrowed.get(id);
    if (!schema) {
      // The same field schemas, fewer of them (record schemas are plain objects: department-interface.ts).
      schema = z.object(Object.fromEntries(fields.map((field) => [field, shape[field]!])));
      // Bounded: field lists come from queries, and any client can vary them.
      if (this.narrowed.size >= MAX_NARROWED) this.narrowed.clear();
      this.narrowed.set(id, schema);
    }
    return { fields, schema };
  }

  /** A validated record, or an error naming the connector, the record's key and the first failing field. */
  private validate(
    entity: NamedEntity,
    operation: string,
    raw: unknown,
    fetchedAt: string,
    schema: z.ZodType = entity.record,
  ): SourceRecord | ConnectorError {
    const parsed = schema.safeParse(raw);
    const rawRecord = (raw ?? {}) as Record<string, unknown>;
    const key = scalarText(rawRecord[entity.key], '?');
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || '(record)';
      // The message reaches clients and logs: a key that is a citizen ID is masked there (details keep it).
      const shownKey = entity.key === 'citizenId' ? (mask('CITIZEN_ID', key) as string) : key;
      return new ConnectorError(
        this.name,
        operation,
        'MALFORMED_RECORD',
        502,
        `record ${shownKey} field ${field}: ${issue.message}`,
        {
          key,
          recordId: scalarText(rawRecord[entity.recordId], key),
          field,
        },
      );
    }
    const data = parsed.data as Record<string, unknown>;
    const sourceRecordId = String(data[entity.recordId]);
    const sourceUpdatedAt = typeof data.updatedAt === 'string' ? data.updatedAt : null;
    attachProvenance(data, {
      department: this.spec.department,
      connector: this.name,
      sourceRecordId,
      sourceRecordIsCitizenId: entity.recordId === 'citizenId',
      sourceUpdatedAt,
      fetchedAt,
      cache: 'MISS',
    });
    return { data, sourceRecordId, sourceUpdatedAt, fetchedAt };
  }

  /** One call through resilience, with each attempt's outcome and latency recorded. */
  private async call<T>(
    operation: string,
    kind: 'read' | 'write',
    attempt: (signal: AbortSignal) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    try {
      const result = await this.resilience[kind](operation, (signal) => this.timed(operation, () => attempt(signal)), options);
      this.lastCallFailed = false;
      return result;
    } catch (error) {
      const failure = this.asConnectorError(operation, error);
      // Refused by the hub's bulkheads or the request's budget: counted, but the department was not asked, and it
      // says nothing about the department (no latency sample, no DEGRADED, not its last error).
      if (failure.refusedByHub) {
        this.metrics.requests.inc({ connector: this.name, operation, outcome: failure.reason.toLowerCase() });
        throw failure;
      }
      // A refusal by the open breaker is counted, but it is no call to the department: no latency sample.
      if (failure.reason === 'CIRCUIT_OPEN')
        this.metrics.requests.inc({ connector: this.name, operation, outcome: 'circuit_open' });
      this.lastCallFailed = failure.reason !== 'MALFORMED_RECORD';
      this.lastStatus = { ...this.lastStatus, lastError: failure.message };
      throw failure;
    }
  }

  private async timed<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await attempt();
      this.metrics.record(this.name, operation, 'success', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const outcome = error instanceof ConnectorError ? error.reason.toLowerCase() : 'error';
      this.metrics.record(this.name, operation, outcome, (performance.now() - started) / 1000);
      throw error;
    }
  }

  private asConnectorError(operation: string, error: unknown): ConnectorError {
    if (error instanceof ConnectorError) return error;
    return new ConnectorError(this.name, operation, 'UNAVAILABLE', 503, (error as Error)?.message ?? 'unknown failure', {
      cause: error,
    });
  }
}
