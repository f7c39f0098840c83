/**
 * The pages' GraphQL client: POST /graphql with the session's key and purpose in headers (never in the URL), a
 * time limit on every request (nothing hangs), and partial results kept: a refused field is null with its error at
 * its path, and the page shows the error in that cell. Subscriptions go over graphql-ws on the same origin.
 */
import { createClient, type Client } from 'graphql-ws';
import type { Session } from './session';

export interface GraphQLErrorItem {
  message: string;
  path?: Array<string | number>;
  extensions?: {
    code?: string;
    reason?: string;
    connector?: string;
    department?: string;
    catalogueItem?: string;
    field?: string;
  };
}

export interface GraphQLResult<T> {
  data: T | null;
  errors: GraphQLErrorItem[];
}

/** A request that got no GraphQL answer at all (network, time limit, or an error status without a body). */
export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'RequestFailed';
  }
}

export const REQUEST_TIMEOUT_MS = 30_000;

export async function graphql<T>(
  credentials: Pick<Session, 'apiKey' | 'purpose'>,
  query: string,
  variables: Record<string, unknown> = {},
  options: { signal?: AbortSignal; lineage?: boolean } = {},
): Promise<GraphQLResult<T>> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${credentials.apiKey}`,
        'x-purpose': credentials.purpose,
        ...(options.lineage ? { 'x-include-lineage': '1' } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if (timeout.aborted) throw new RequestFailed('请求超时 The request timed out', 'TIMEOUT', null);
    if (options.signal?.aborted) throw error;
    throw new RequestFailed('无法连接枢纽 The hub cannot be reached', 'NETWORK', null);
  }
  let body: { data?: T | null; errors?: GraphQLErrorItem[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new RequestFailed(`枢纽返回 ${response.status} The hub answered ${response.status}`, 'BAD_RESPONSE', response.status);
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/** The errors at a path or below it (e.g. `['district', 3, 'value']`). */
export function errorsAt(errors: GraphQLErrorItem[], path: Array<string | number>): GraphQLErrorItem[] {
  return errors.filter((error) => error.path && path.every((segment, i) => error.path![i] === segment));
}

/** The first error without a path below the root fields asked for, or that nulls the whole answer. */
export function requestError(result: GraphQLResult<unknown>): GraphQLErrorItem | null {
  if (result.data === null) return result.errors[0] ?? { message: 'No data' };
  return result.errors.find((error) => !error.path) ?? null;
}

/** One graphql-ws client per session (the key and purpose travel in connection_init, never in the URL). */
export function subscriptionClient(credentials: Pick<Session, 'apiKey' | 'purpose'>): Client {
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.toString(),
    connectionParams: { authorization: `Bearer ${credentials.apiKey}`, 'x-purpose': credentials.purpose },
    retryAttempts: 5,
    lazy: true,
  });
}
