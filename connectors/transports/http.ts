/**
 * HTTP JSON transport: the department's exchange API (departments/README.md documents it).
 * POST bodies carry keys and filters (citizen IDs never appear in URLs, which proxies log); the API key goes in
 * `Authorization: Bearer`. Sent through an undici `Pool` per department: keep-alive connections up to the
 * connector's bulkhead (`concurrentCalls`, so a call that passed the bulkhead never waits for a socket), and
 * undici's own request API rather than `fetch`, whose web streams cost a fifth of the hub's CPU under load
 * (issue 13). A command's answer is read back with `GET /v1/commands/<command>` and the key in the
 * `Idempotency-Key` header, as it was sent.
 */
import { Pool } from 'undici';
import type { HttpConnectorConfig } from '../config';
import type { AggregateSpec } from '../department-interface';
import type { ConnectorName } from '../department-interface';
import { ConnectorError } from '../contract';
import type { AggregateQuery, ListQuery } from '../contract';
import type { CommandOptions } from '../contract';
import {
  BATCH_AGGREGATE_OPERATION,
  type AggregateCall,
  type NamedEntity,
  type RawCommandAnswer,
  type RawPage,
  type Transport,
} from './transport';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const aggregateBody = (query: AggregateQuery) => ({
  regionCode: query.regionCode,
  regionLevel: query.regionLevel ?? null,
  groupBy: query.groupBy ?? [],
  filter: query.filter ?? {},
});

/** How long an idle connection is kept (the sandbox and most servers keep theirs longer). */
const KEEP_ALIVE_MS = 4000;

export class HttpTransport implements Transport {
  /** The base URL's path, which every request path is appended to (a department may publish under a prefix). */
  private readonly basePath: string;
  private readonly pool: Pool;

  constructor(
    private readonly connector: ConnectorName,
    private readonly config: HttpConnectorConfig,
    connections: number,
  ) {
    const base = new URL(config.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.pool = new Pool(base.origin, { connections, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MS });
  }

  async init(): Promise<void> {}

  async ping(signal: AbortSignal): Promise<void> {
    await this.request('GET', '/health', 'healthCheck', signal);
  }

  async batchGet(entity: NamedEntity, keys: readonly string[], signal: AbortSignal): Promise<unknown[]> {
    const operation = `${entity.name}.batchGet`;
    const { body } = await this.request('POST', `/v1/${entity.name}:batchGet`, operation, signal, { keys });
    const records = (body as { records?: unknown })?.records;
    if (!Array.isArray(records)) throw this.badResponse(operation, 'no records array');
    return records as unknown[];
  }

  async search(entity: NamedEntity, query: ListQuery, signal: AbortSignal): Promise<RawPage> {
    const operation = `${entity.name}.search`;
    const { body } = await this.request('POST', `/v1/${entity.name}:search`, operation, signal, {
      filter: query.filter,
      first: query.first,
      after: query.after ?? null,
      // Only a count the query needs is asked for (the department's count(*) is most of a list's cost).
      ...(query.count === false ? { count: false } : {}),
      // Only the fields the query reads (projection push-down): a page of people is otherwise 13 fields each.
      ...(query.fields ? { fields: query.fields } : {}),
    });
    const page = body as Partial<RawPage>;
    const counted =
      query.count === false
        ? page?.totalCount === null || typeof page?.totalCount === 'number'
        : typeof page?.totalCount === 'number';
    if (!Array.isArray(page?.records) || !counted || typeof page.hasNextPage !== 'boolean') {
      throw this.badResponse(operation, 'not a page');
    }
    return {
      records: page.records,
      totalCount: query.count === false ? null : page.totalCount!,
      endCursor: page.endCursor ?? null,
      hasNextPage: page.hasNextPage,
    };
  }

  async aggregate(name: string, _spec: AggregateSpec, query: AggregateQuery, signal: AbortSignal): Promise<unknown[]> {
    const operation = `${name}.aggregate`;
    const { body } = await this.request('POST', `/v1/aggregates/${name}`, operation, signal, aggregateBody(query));
    const rows = (body as { rows?: unknown })?.rows;
    if (!Array.isArray(rows)) throw this.badResponse(operation, 'no rows array');
    return rows as unknown[];
  }

  async aggregateMany(calls: readonly AggregateCall[], signal: AbortSignal): Promise<unknown[][]> {
    const operation = BATCH_AGGREGATE_OPERATION;
    const { body } = await this.request('POST', '/v1/aggregates', operation, signal, {
      queries: calls.map(({ name, query }) => ({ aggregate: name, ...aggregateBody(query) })),
    });
    const results = (body as { results?: unknown })?.results;
    if (!Array.isArray(results) || results.length !== calls.length)
      throw this.badResponse(operation, 'no results array of the size asked');
    return results.map((result) => {
      const rows = (result as { rows?: unknown })?.rows;
      if (!Array.isArray(rows)) throw this.badResponse(operation, 'a result without rows array');
      return rows as unknown[];
    });
  }

  async command(
    name: string,
    input: unknown,
    idempotencyKey: string,
    signal: AbortSignal,
    options: CommandOptions = {},
  ): Promise<RawCommandAnswer> {
    return this.request(
      'POST',
      `/v1/commands/${name}`,
      `${name}.command`,
      signal,
      input,
      {
        'idempotency-key': idempotencyKey,
        ...(options.callbackUrl ? { 'x-callback-url': options.callbackUrl } : {}),
      },
      [422],
    );
  }

  async readCommand(name: string, idempotencyKey: string, signal: AbortSignal): Promise<RawCommandAnswer | null> {
    const operation = `${name}.readCommand`;
    const { status, body } = await this.request(
      'GET',
      `/v1/commands/${name}`,
      operation,
      signal,
      undefined,
      { 'idempotency-key': idempotencyKey },
      [404, 409],
    );
    const error = (body as { error?: { reason?: unknown } } | null)?.error;
    if (status === 404 && error?.reason === 'COMMAND_NOT_RECEIVED') return null;
    if (status !== 200) throw this.statusError(operation, status);
    const read = body as { answeredWith?: unknown; answer?: unknown } | null;
    if (typeof read?.answeredWith !== 'number' || !('answer' in read)) throw this.badResponse(operation, 'not a command answer');
    return { status: read.answeredWith, body: read.answer };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Sends one request; resolves for 2xx (and `acceptedErrors`), throws a typed ConnectorError otherwise. */
  private async request(
    method: 'GET' | 'POST',
    path: string,
    operation: string,
    signal: AbortSignal,
    body?: unknown,
    headers: Record<string, string> = {},
    acceptedErrors: number[] = [],
  ): Promise<RawCommandAnswer> {
    let answer: Awaited<ReturnType<Pool['request']>>;
    try {
      answer = await this.pool.request({
        path: `${this.basePath}${path}`,
        method,
        signal,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw this.networkError(operation, error, signal);
    }
    const status = answer.statusCode;
    let json: unknown;
    try {
      json = await answer.body.json();
    } catch (error) {
      if (signal.aborted) throw this.networkError(operation, error, signal);
      throw this.badResponse(operation, `HTTP ${status} answer is not JSON`);
    }
    if ((status >= 200 && status < 300) || acceptedErrors.includes(status)) return { status, body: json };
    throw this.statusError(operation, status);
  }

  private networkError(operation: string, error: unknown, signal: AbortSignal): ConnectorError {
    if (signal.aborted) return new ConnectorError(this.connector, operation, 'TIMEOUT', 504, 'no answer within the timeout');
    const cause = (error as { cause?: { code?: string } })?.cause;
    const code = cause?.code ?? (error as { code?: string })?.code;
    const what = code && NETWORK_CODES.has(code) ? code : 'network error';
    return new ConnectorError(this.connector, operation, 'UNAVAILABLE', 503, `cannot reach the department (${what})`, {
      cause: error,
    });
  }

  private statusError(operation: string, status: number): ConnectorError {
    if (status === 401 || status === 403) {
      return new ConnectorError(
        this.connector,
        operation,
        'UNAUTHORIZED',
        502,
        `department refused the credentials (HTTP ${status})`,
      );
    }
    if (status === 404)
      return new ConnectorError(
        this.connector,
        operation,
        'UNKNOWN_OPERATION',
        502,
        'department does not offer this operation (HTTP 404)',
      );
    if (status >= 400 && status < 500) {
      return new ConnectorError(
        this.connector,
        operation,
        'BAD_REQUEST',
        502,
        `department rejected the request (HTTP ${status})`,
      );
    }
    return new ConnectorError(this.connector, operation, 'UNAVAILABLE', 503, `department failed (HTTP ${status})`);
  }

  private badResponse(operation: string, what: string): ConnectorError {
    return new ConnectorError(this.connector, operation, 'BAD_RESPONSE', 502, `unexpected answer: ${what}`);
  }
}
