/**
 * Connector configuration: which transport each department uses, where it lives, its credentials and limits,
 * read from one declarative file (connectors.config.yaml by default, HUB_CONNECTORS_CONFIG to choose another)
 * so that an operator points the hub at the real systems without touching code.
 *
 * Contract: `${VAR}` and `${VAR:-default}` in string values are replaced from the environment; a secret is
 * never written in the file but named (`apiKeyEnv`, `passwordEnv`) and read from the environment. The result
 * is validated with zod; a bad file throws `ConnectorConfigError` naming the file and the path of the bad
 * value. Secrets do not appear in errors. The environment is the caller's argument (the composition root,
 * server/hub.ts, passes it): nothing here reads `process.env`.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CONNECTOR_NAMES, type ConnectorName } from './department-interface';

const limits = z.object({
  /** Budget for one call including its retries, in ms: a caller gets an answer or an error within it. */
  timeoutMs: z.number().int().min(50).max(120_000),
  /** Extra attempts for idempotent reads after a transient failure (never for commands). */
  retries: z.number().int().min(0).max(5),
  retryBackoffMs: z.number().int().min(1).max(10_000),
  /** Consecutive failures that open the circuit, and how long it stays open before one trial call. */
  breakerFailures: z.number().int().min(1).max(1000),
  breakerHalfOpenAfterMs: z.number().int().min(100).max(600_000),
  healthCheckIntervalMs: z.number().int().min(0).max(3_600_000),
  /** Keys per batch call. */
  batchSize: z.number().int().min(1).max(500),
  /**
   * Aggregates per department call (`POST /v1/aggregates` of departments/README.md; one SQL statement for an
   * exchange database). 1: the department has no batch endpoint, each aggregate is its own call.
   */
  aggregatesPerCall: z.number().int().min(1).max(20),
  /**
   * Bulkheads (per hub process, see resilience.ts): calls in flight to the department at once (default: the pool
   * size for SQL, 10 for HTTP), and how many more may wait for a slot (default 20 × that; a call waits at most
   * `timeoutMs`).
   */
  concurrentCalls: z.number().int().min(1).max(1000),
  queuedCalls: z.number().int().min(0).max(100_000),
  /**
   * Of those, the calls one consumer may have in flight (default: half of concurrentCalls, at least 1, so one
   * consumer never holds the whole pool) and waiting (default 20 × that); beyond, BULKHEAD_FULL at once.
   */
  concurrentCallsPerConsumer: z.number().int().min(1).max(1000),
  queuedCallsPerConsumer: z.number().int().min(0).max(100_000),
});
export type ConnectorLimits = z.infer<typeof limits>;

/** Limits whose default follows from others (and from the transport): set in `withDerivedLimits`. */
type DerivedLimit = 'concurrentCalls' | 'queuedCalls' | 'concurrentCallsPerConsumer' | 'queuedCallsPerConsumer';

/** HTTP departments: calls in flight per hub process unless configured (SQL ones: their pool size). */
const HTTP_CONCURRENT_CALLS = 10;
/** Calls that may wait, per slot, unless configured (waiting is bounded in time anyway: `timeoutMs`). */
const QUEUE_PER_SLOT = 20;

const DEFAULT_LIMITS: Omit<ConnectorLimits, DerivedLimit> = {
  timeoutMs: 3000,
  retries: 2,
  retryBackoffMs: 50,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 10_000,
  healthCheckIntervalMs: 15_000,
  batchSize: 200,
  aggregatesPerCall: 20,
};

const httpConnector = z.object({
  transport: z.literal('http'),
  baseUrl: z.string().url(),
  /** Environment variable holding the API key sent as `Authorization: Bearer`. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .optional(),
});

const sqlConnector = z.object({
  transport: z.literal('sql'),
  /** PostgreSQL URL of the exchange database (前置库), for a role that may only SELECT the exchange views. */
  connectionString: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  /** Environment variable holding the role's password, when it is not in the URL. */
  passwordEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .optional(),
  /** Schema holding the exchange views. */
  schema: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  poolSize: z.number().int().min(1).max(50).default(5),
});

const connectorEntry = z
  .discriminatedUnion('transport', [httpConnector, sqlConnector])
  .and(z.object({ enabled: z.boolean().default(true), limits: limits.partial().optional() }));

const fileSchema = z.object({
  defaults: limits.partial().optional(),
  connectors: z.partialRecord(z.enum(CONNECTOR_NAMES), connectorEntry),
});

export type HttpConnectorConfig = z.infer<typeof httpConnector> & { apiKey?: string };
export type SqlConnectorConfig = z.infer<typeof sqlConnector> & { password?: string };
export type ConnectorConfig = { name: ConnectorName; limits: ConnectorLimits } & (HttpConnectorConfig | SqlConnectorConfig);

export class ConnectorConfigError extends Error {
  constructor(file: string, where: string, reason: string) {
    super(`Invalid connector configuration in ${file}: ${where} ${reason}`);
    this.name = 'ConnectorConfigError';
  }
}

/** The variables a configuration may refer to (`${VAR}`, `apiKeyEnv`, `passwordEnv`). */
export type ConnectorEnv = Readonly<Record<string, string | undefined>>;

/** Replaces `${VAR}` / `${VAR:-default}` in every string of a parsed document. */
function interpolate(value: unknown, env: ConnectorEnv, file: string, at: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConnectorConfigError(file, at, `refers to environment variable ${name}, which is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, file, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, file, at ? `${at}.${k}` : k)]));
  }
  return value;
}

function readSecret(env: ConnectorEnv, variable: string | undefined, file: string, at: string) {
  if (!variable) return undefined;
  const secret = env[variable];
  if (!secret) throw new ConnectorConfigError(file, at, `names environment variable ${variable}, which is not set`);
  return secret;
}

/** Parses and validates a configuration document (already read from `file`, which is only named in errors). */
export function parseConnectorsConfig(text: string, file: string, env: ConnectorEnv): ConnectorConfig[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConnectorConfigError(file, 'document', `is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(interpolate(document, env, file, ''));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConnectorConfigError(file, issue.path.join('.') || 'document', issue.message);
  }
  const defaults = { ...DEFAULT_LIMITS, ...parsed.data.defaults };
  return Object.entries(parsed.data.connectors)
    .filter(([, entry]) => entry.enabled)
    .map(([name, entry]) => {
      const { limits: own, enabled: _enabled, ...rest } = entry;
      const at = `connectors.${name}`;
      const secrets =
        rest.transport === 'http'
          ? { apiKey: readSecret(env, rest.apiKeyEnv, file, `${at}.apiKeyEnv`) }
          : { password: readSecret(env, rest.passwordEnv, file, `${at}.passwordEnv`) };
      const merged = withDerivedLimits(
        { ...defaults, ...own },
        rest.transport === 'sql' ? rest.poolSize : HTTP_CONCURRENT_CALLS,
        file,
        at,
      );
      return { name: name as ConnectorName, limits: merged, ...rest, ...secrets };
    });
}

/**
 * Fills in the bulkhead limits not configured: `concurrentCalls` from the transport (an SQL department's pool
 * size), the per-consumer share below it, the queues at twenty times the slots. A consumer's share above the
 * connector's is a configuration error.
 */
function withDerivedLimits(
  given: Omit<ConnectorLimits, DerivedLimit> & Partial<Pick<ConnectorLimits, DerivedLimit>>,
  transportConcurrency: number,
  file: string,
  at: string,
): ConnectorLimits {
  const concurrentCalls = given.concurrentCalls ?? transportConcurrency;
  const concurrentCallsPerConsumer = given.concurrentCallsPerConsumer ?? Math.max(1, Math.floor(concurrentCalls / 2));
  if (concurrentCallsPerConsumer > concurrentCalls) {
    throw new ConnectorConfigError(
      file,
      `${at}.limits.concurrentCallsPerConsumer`,
      `must not exceed concurrentCalls (${concurrentCalls})`,
    );
  }
  return {
    ...given,
    concurrentCalls,
    queuedCalls: given.queuedCalls ?? QUEUE_PER_SLOT * concurrentCalls,
    concurrentCallsPerConsumer,
    queuedCallsPerConsumer: given.queuedCallsPerConsumer ?? QUEUE_PER_SLOT * concurrentCallsPerConsumer,
  };
}

export function loadConnectorsConfig(file: string, env: ConnectorEnv): ConnectorConfig[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConnectorConfigError(file, 'file', 'cannot be read');
  }
  return parseConnectorsConfig(text, file, env);
}
