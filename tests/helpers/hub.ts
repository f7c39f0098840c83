/**
 * Test harness: starts a real hub (HTTP server on an ephemeral port, real PostgreSQL from DATABASE_URL, which
 * `npm test` provides already migrated) and sends GraphQL over HTTP with typed documents from codegen.
 *
 * Logs go to one file per jest worker under .data/test-logs/, never to the console, so a later test can scan
 * everything a full run logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { demoWiring } from '../../demo/wiring';
import { startHub, type RunningHub } from '../../server/hub';
import { createLogger } from '../../server/logger';
import { hubDatabaseUrl } from './database';

export const TEST_LOG_DIR = path.resolve(__dirname, '..', '..', '.data', 'test-logs');

export interface GraphQLResponse<TData> {
  status: number;
  headers: Headers;
  body: {
    data?: TData | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  };
}

/** The test hub's demo consumer: all access, all roles, purpose DEMO (created at start, as in `npm start`). */
export const DEMO_API_KEY = 'test-demo-key-0123456789abcdef';
export const DEMO_HEADERS = { authorization: `Bearer ${DEMO_API_KEY}`, 'x-purpose': 'DEMO' } as const;

/** The ops key of test hubs: /metrics and /readyz details answer requests that present it. */
export const TEST_OPS_KEY = 'test-ops-key-0123456789abcdef';
export const OPS_HEADERS = { authorization: `Bearer ${TEST_OPS_KEY}` } as const;

/** The operator secret of test hubs (audit subject hashes and cursor seals are keyed with it). */
export const TEST_AUDIT_HMAC_KEY = 'test-audit-hmac-key-0123456789abcdef-0123456789';

/** Request headers for another consumer's key and a purpose. */
export const consumerHeaders = (apiKey: string, purpose: string) => ({ authorization: `Bearer ${apiKey}`, 'x-purpose': purpose });

export interface TestHub extends RunningHub {
  /**
   * Sends a typed document (or raw query text) as `POST /graphql`, as the demo consumer unless `headers` name
   * other credentials (they replace the demo consumer's headers).
   */
  graphql<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables> | string,
    variables?: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
}

export function testLogger(name = `worker-${process.env.JEST_WORKER_ID ?? '0'}`) {
  fs.mkdirSync(TEST_LOG_DIR, { recursive: true });
  const file = path.join(TEST_LOG_DIR, `${name}.log`);
  return createLogger('debug', pino.destination({ dest: file, sync: true, append: true }));
}

export const NO_CONNECTORS = path.resolve(__dirname, '..', 'fixtures', 'no-connectors.yaml');

/**
 * Starts a hub for one test file. By default no department is connected (NO_CONNECTORS); a test about
 * departments passes its sandbox's `connectorEnv` and the real connectors.config.yaml. It logs at debug level
 * to the worker's log file, or to `<logName>.log` when a test inspects its own hub's log.
 */
export async function startTestHub(
  env: Record<string, string> = {},
  connectorEnv: NodeJS.ProcessEnv = {},
  options: { logName?: string } = {},
): Promise<TestHub> {
  hubDatabaseUrl(); // fails early, with how to run the tests, when npm test's database is missing
  const config = loadConfig({
    ...process.env,
    HUB_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    HUB_MIGRATE_ON_START: 'false',
    HUB_DEMO_DATA: 'true',
    HUB_SANDBOX_DEPARTMENTS: 'false',
    HUB_CONNECTORS_CONFIG: NO_CONNECTORS,
    HUB_DEMO_API_KEY: DEMO_API_KEY,
    HUB_AUDIT_HMAC_KEY: TEST_AUDIT_HMAC_KEY,
    HUB_OPS_KEY: TEST_OPS_KEY,
    // Durable workflows only where a test asks for them (each with its own HUB_WORKFLOW_APP).
    HUB_WORKFLOWS: 'false',
    ...env,
  });
  const hub = await startHub(config, testLogger(options.logName), { connectorEnv, demo: demoWiring });
  return {
    ...hub,
    async graphql(document, variables, headers = DEMO_HEADERS) {
      const query = typeof document === 'string' ? document : print(document);
      const response = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as never };
    },
    get: (pathname, headers = {}) => fetch(`${hub.url}${pathname}`, { headers }),
  };
}
