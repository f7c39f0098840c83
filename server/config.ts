/**
 * Hub configuration, read once from the environment at start-up and validated with zod.
 *
 * Contract: `loadConfig(env)` returns a fully typed, defaulted `HubConfig` or throws `ConfigError`, whose
 * message is one line naming the offending variable and why it is wrong (the entry point prints that line and
 * exits non-zero). Apart from this module, only the composition root (server/hub.ts) reads `process.env`, to
 * pass the connector configuration its variables (connectors receive them as an argument), and server/migrate.ts,
 * which hands them to the Prisma CLI it runs.
 */
import path from 'node:path';
import { z } from 'zod';

const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `must be ${what} from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ${what} from ${min} to ${max}`).max(max, `must be ${what} from ${min} to ${max}`));
const port = wholeNumber(0, 65535, 'a port number');
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  // Production unless an entry point or operator opts into demo mode (demo/main.ts, `npm start`) or tests.
  HUB_ENV: z.enum(['development', 'test', 'production']).default('production'),
  HOST: z.string().min(1).optional(),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
    .optional(),
  HUB_RUNTIME_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
    .optional(),
  EMBEDDED_PG_DIR: z.string().min(1).default(path.resolve('.data', 'postgres')),
  EMBEDDED_PG_PORT: port.default(54329),
  HUB_DEMO_DATA: booleanFlag.optional(),
  HUB_MIGRATE_ON_START: booleanFlag.default(true),
  HUB_SHUTDOWN_GRACE_MS: wholeNumber(0, 120000, 'milliseconds').default(10000),
  HUB_READY_TIMEOUT_MS: wholeNumber(50, 30000, 'milliseconds').default(2000),
  HUB_CONNECTORS_CONFIG: z
    .string()
    .min(1)
    .default(path.resolve(__dirname, '..', 'connectors.config.yaml')),
  HUB_SANDBOX_DEPARTMENTS: booleanFlag.optional(),
  HUB_LOADER_MAX_BATCH: wholeNumber(1, 10000, 'a batch size').default(1000),
  HUB_REQUEST_CONCURRENT_CALLS: wholeNumber(1, 1000, 'a number of calls').default(16),
  HUB_REQUEST_MAX_CALLS: wholeNumber(1, 100000, 'a number of calls').default(1000),
  HUB_DEMO_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  HUB_AUDIT_HMAC_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  HUB_SECRET_FILE: z
    .string()
    .min(1)
    .default(path.resolve('.data', 'secrets', 'hub-secret')),
  HUB_OPS_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  HUB_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1000000, 'requests per minute').default(1200),
  HUB_RATE_LIMIT_STORE: z
    .string()
    .regex(/^(postgres|memory|rediss?:\/\/\S+)$/, 'must be postgres, memory or a redis:// URL')
    .default('postgres'),
  HUB_AUTH_FAILURES_PER_MINUTE: wholeNumber(1, 100000, 'failures per minute').default(30),
  HUB_MAX_QUERY_COST: wholeNumber(1, 10000000, 'a cost').default(20000),
  HUB_MAX_QUERY_DEPTH: wholeNumber(1, 100, 'a depth').default(12),
  HUB_INDICATOR_REFERENCE_DATE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date')
    .default('2022-12-31'),
  HUB_INDICATOR_CACHE_TTL_MS: wholeNumber(0, 86400000, 'milliseconds').default(300000),
  HUB_INDICATOR_SUPPRESSION_THRESHOLD: wholeNumber(1, 1000, 'a count').default(5),
  HUB_WORKFLOWS: booleanFlag.default(true),
  HUB_WORKFLOW_APP: z
    .string()
    .regex(/^[\w-]{1,60}$/, 'must be 1-60 letters, digits, _ or -')
    .default('yilao-yixiao-hub'),
  HUB_WORKFLOW_EXECUTOR_ID: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, 'must be 1-100 letters, digits, _ . : or -')
    .optional(),
  HUB_WORKFLOW_HEARTBEAT_MS: wholeNumber(100, 600000, 'milliseconds').default(5000),
  HUB_WORKFLOW_EXECUTOR_TIMEOUT_MS: wholeNumber(500, 3600000, 'milliseconds').default(30000),
  HUB_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
  HUB_BIRTH_STEP_DEADLINE_MS: wholeNumber(100, 30 * 86400000, 'milliseconds').default(4 * 3600000),
  HUB_BIRTH_RETRY_BASE_MS: wholeNumber(10, 3600000, 'milliseconds').default(2000),
  HUB_BIRTH_RETRY_MAX_MS: wholeNumber(10, 3600000, 'milliseconds').default(300000),
  HUB_BIRTH_POLL_MS: wholeNumber(50, 86400000, 'milliseconds').default(60000),
  HUB_BIRTH_DATABASE_ATTEMPTS: wholeNumber(1, 20, 'a number of attempts').default(8),
  HUB_BIRTH_AGE_LIMIT_DAYS: wholeNumber(1, 3650, 'days').default(365),
  HUB_BIRTH_SERVICE_DAYS: wholeNumber(1, 60, 'working days').default(5),
});

/** The documented demo key (README): only ever used when demo data is on and HUB_DEMO_API_KEY is unset. */
export const DEFAULT_DEMO_API_KEY = 'demo-yilao-yixiao-hub-key';

export type HubEnvironment = 'development' | 'test' | 'production';

/**
 * Node flags the hub is run with (the service command in README.md, `npm start`, the benchmarks' hub): a young
 * generation of 32 MB semi-spaces, from the start. A GraphQL answer allocates thousands of short-lived objects;
 * with Node's default (16 MB) the scavenger ran twice as often, for about a sixth of the hub's CPU under load, and
 * the larger semi-spaces gave 18–29 % more requests per second on `bench:peer`'s query 1 (bench/README.md). Left
 * to grow and shrink with the load, the young generation moved the process's RSS by up to 140 MB from one sample
 * to the next (the heap after a full collection stayed at 65–67 MB for three minutes of load); fixed at its size,
 * by 50 MB. Costs about 48 MB more memory per process.
 */
export const HUB_NODE_FLAGS = ['--min-semi-space-size=32', '--max-semi-space-size=32'] as const;

export interface HubConfig {
  env: HubEnvironment;
  /** Listening address: 127.0.0.1 in demo mode and tests unless HOST says otherwise; 0.0.0.0 in production. */
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** How the hub database is reached: an operator's server, or an embedded server the hub runs itself. */
  database: { kind: 'external'; url: string } | { kind: 'embedded'; dataDir: string; port: number };
  /**
   * HUB_RUNTIME_DATABASE_URL: the operator-made role the hub runs as (server/database-roles.ts); null means the
   * hub provisions its own runtime role through the owner connection (DATABASE_URL or the embedded superuser).
   */
  runtimeDatabaseUrl: string | null;
  /** Load the deterministic demo data set on start (default: on, except in production). */
  demoData: boolean;
  migrateOnStart: boolean;
  shutdownGraceMs: number;
  /** How long /readyz waits for the database before answering 503. */
  readyTimeoutMs: number;
  /** The declarative connector configuration file (where each department lives, how it is reached). */
  connectorsConfigFile: string;
  /**
   * Start the sandbox department systems with the hub (default: on, except in production) and point the
   * connector configuration at them; turn off when the configuration names the real systems.
   */
  sandboxDepartments: boolean;
  /** Keys per DataLoader batch (1 turns batching off; only the benchmark does that, to measure what it saves). */
  loaderMaxBatch: number;
  /** Each request's department calls: in flight at once, and in all (connectors/call-limits.ts). */
  requestCalls: { concurrentCalls: number; maxCalls: number };
  /**
   * The all-access demo consumer's API key (purpose code DEMO), created or updated at start: HUB_DEMO_API_KEY,
   * else the documented default when demo data is on, else null. Production refuses to start with one.
   */
  demoApiKey: string | null;
  /**
   * The operator's secret (HUB_AUDIT_HMAC_KEY): keys the audit subjects' HMAC and, through HKDF, the cursor seal.
   * Required in production; elsewhere, when unset, a random secret kept in `secretFile` (never a published one).
   */
  auditHmacKey: string | null;
  /** Where demo mode and tests keep their generated secret (created once, mode 0600). */
  secretFile: string;
  /** Bearer key for operators' endpoints: /metrics and the details of /readyz (null: those stay closed). */
  opsKey: string | null;
  /** Requests per minute per consumer, unless the consumer has its own limit. */
  rateLimitPerMinute: number;
  /** Where the budgets are counted: `postgres` (the hub database), `memory` (this process only) or a redis:// URL. */
  rateLimitStore: string;
  /** Failed authentications per minute per client address before the address is refused. */
  authFailuresPerMinute: number;
  /** Highest query cost accepted (see server/limits.ts for how cost is counted). */
  maxQueryCost: number;
  maxQueryDepth: number;
  /** Indicators: the reference date ("today" of relative periods and stocks), aggregate cache TTL, small-count threshold. */
  indicators: { referenceDate: string; cacheTtlMs: number; suppressionThreshold: number };
  /** Durable workflows (the 出生一件事 joint application); see workflows/birth/runtime.ts. */
  workflows: {
    enabled: boolean;
    /** Workflow application name: hubs with the same name on one database share the work. */
    app: string;
    /** This process's executor id (null: a new one per start; a dead executor's work is taken over). */
    executorId: string | null;
    heartbeatMs: number;
    executorTimeoutMs: number;
    /** Base URL at which departments reach this hub's callback endpoint (null: the listen URL). */
    publicUrl: string | null;
    stepDeadlineMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    pollMs: number;
    /** Attempts of each hub-database step of a workflow before the workflow errors (and is revived). */
    hubDatabaseAttempts: number;
    ageLimitDays: number;
    serviceDays: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  // Empty strings are treated as unset, as shells and compose files often export `VAR=`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const value = present[variable];
    const shown = value === undefined || variable.endsWith('DATABASE_URL') ? '' : ` (got "${value}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const e = parsed.data;
  const demoData = e.HUB_DEMO_DATA ?? e.HUB_ENV !== 'production';
  if (e.HUB_RUNTIME_DATABASE_URL && !e.DATABASE_URL) {
    throw new ConfigError('HUB_RUNTIME_DATABASE_URL', 'needs DATABASE_URL too (the owner connection that runs the migrations)');
  }
  if (e.HUB_ENV === 'production') {
    if (e.HUB_DEMO_API_KEY || demoData) {
      throw new ConfigError(
        e.HUB_DEMO_API_KEY ? 'HUB_DEMO_API_KEY' : 'HUB_DEMO_DATA',
        'must not be set in production (demo consumers have all access)',
      );
    }
    if (!e.HUB_AUDIT_HMAC_KEY) throw new ConfigError('HUB_AUDIT_HMAC_KEY', 'must be set in production (at least 32 characters)');
  }
  return {
    env: e.HUB_ENV,
    host: e.HOST ?? (e.HUB_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL
      ? { kind: 'external', url: e.DATABASE_URL }
      : { kind: 'embedded', dataDir: path.resolve(e.EMBEDDED_PG_DIR), port: e.EMBEDDED_PG_PORT },
    runtimeDatabaseUrl: e.HUB_RUNTIME_DATABASE_URL ?? null,
    demoData,
    migrateOnStart: e.HUB_MIGRATE_ON_START,
    shutdownGraceMs: e.HUB_SHUTDOWN_GRACE_MS,
    readyTimeoutMs: e.HUB_READY_TIMEOUT_MS,
    connectorsConfigFile: path.resolve(e.HUB_CONNECTORS_CONFIG),
    sandboxDepartments: e.HUB_SANDBOX_DEPARTMENTS ?? e.HUB_ENV !== 'production',
    loaderMaxBatch: e.HUB_LOADER_MAX_BATCH,
    requestCalls: { concurrentCalls: e.HUB_REQUEST_CONCURRENT_CALLS, maxCalls: e.HUB_REQUEST_MAX_CALLS },
    demoApiKey: e.HUB_DEMO_API_KEY ?? (demoData ? DEFAULT_DEMO_API_KEY : null),
    auditHmacKey: e.HUB_AUDIT_HMAC_KEY ?? null,
    secretFile: path.resolve(e.HUB_SECRET_FILE),
    opsKey: e.HUB_OPS_KEY ?? null,
    rateLimitPerMinute: e.HUB_RATE_LIMIT_PER_MINUTE,
    rateLimitStore: e.HUB_RATE_LIMIT_STORE,
    authFailuresPerMinute: e.HUB_AUTH_FAILURES_PER_MINUTE,
    maxQueryCost: e.HUB_MAX_QUERY_COST,
    maxQueryDepth: e.HUB_MAX_QUERY_DEPTH,
    indicators: {
      referenceDate: e.HUB_INDICATOR_REFERENCE_DATE,
      cacheTtlMs: e.HUB_INDICATOR_CACHE_TTL_MS,
      suppressionThreshold: e.HUB_INDICATOR_SUPPRESSION_THRESHOLD,
    },
    workflows: {
      enabled: e.HUB_WORKFLOWS,
      app: e.HUB_WORKFLOW_APP,
      executorId: e.HUB_WORKFLOW_EXECUTOR_ID ?? null,
      heartbeatMs: e.HUB_WORKFLOW_HEARTBEAT_MS,
      executorTimeoutMs: e.HUB_WORKFLOW_EXECUTOR_TIMEOUT_MS,
      publicUrl: e.HUB_PUBLIC_URL ?? null,
      stepDeadlineMs: e.HUB_BIRTH_STEP_DEADLINE_MS,
      retryBaseMs: e.HUB_BIRTH_RETRY_BASE_MS,
      retryMaxMs: e.HUB_BIRTH_RETRY_MAX_MS,
      pollMs: e.HUB_BIRTH_POLL_MS,
      hubDatabaseAttempts: e.HUB_BIRTH_DATABASE_ATTEMPTS,
      ageLimitDays: e.HUB_BIRTH_AGE_LIMIT_DAYS,
      serviceDays: e.HUB_BIRTH_SERVICE_DAYS,
    },
  };
}
