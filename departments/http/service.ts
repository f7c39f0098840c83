/**
 * One department's HTTP exchange API (departments/README.md), generic over the published interface: every
 * entity, aggregate and command of the department's DepartmentInterface is served from its storage schema.
 *
 * Contract: `startDepartmentService(options)` checks that storage matches the interface (every record field
 * has its column, every command a handler), connects the fault listener, listens, and resolves with the base
 * URL and a `stop()` that stops accepting, lets requests in flight finish (at most `graceMs`, then cuts
 * them), stops background work and closes the database connections. Logs carry method, path, status and
 * duration of each request and nothing from bodies, headers or query strings.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { pinoHttp } from 'pino-http';
import type { DepartmentInterface } from '../../connectors/department-interface';
import type { Logger } from 'pino';
import type { Faults } from '../faults';
import {
  StorageMismatchError,
  departmentInterface,
  describeDepartment,
  type HttpDepartment,
  type StoredEntity,
} from '../storage';
import { AggregateQuery } from './aggregate-query';
import { aggregateRoutes } from './aggregate-routes';
import { requireApiKey } from './auth';
import { CardIssuer } from './card-issuer';
import { commandRoutes } from './command-routes';
import { COMMAND_HANDLERS } from './commands';
import type { AnyHandlers } from './commands/context';
import { EntityReader } from './entity-reader';
import { entityRoutes } from './entity-routes';
import { errorHandler, notFoundHandler } from './errors';
import { apiFaults, healthFaults } from './fault-injection';
import { FaultListener } from './fault-listener';
import { CommandLedger } from './idempotency';

export interface DepartmentServiceOptions {
  department: HttpDepartment;
  databaseUrl: string;
  apiKey: string;
  host: string;
  /** 0 = any free port. */
  port: number;
  logger: Logger;
  /** social-security: how long after acceptance a card is issued. */
  cardIssueDelayMs?: number;
  bodyLimit?: string;
  graceMs?: number;
}

export interface RunningDepartmentService {
  url: string;
  stop(): Promise<void>;
}

/** Session time zone of the department's database connections: timestamps are published with +08:00. */
const SESSION_OPTIONS = '-c TimeZone=Asia/Shanghai';

function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: () => crypto.randomUUID(),
    customAttributeKeys: { responseTime: 'durationMs' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      err: (err: { type?: string }) => ({ type: err.type }),
    },
  });
}

/*
 * Start-up order: database pool, storage check, fault listener, the app's routes, the card issuer
 * (social-security), the listening socket. Each resource registers its release as soon as it exists, so that a
 * failure part-way releases exactly what was started, newest first, and `stop()` releases everything the same way.
 */

/** Release steps, run newest first; a failing step does not keep the others from running. */
class CleanupStack {
  private readonly steps: Array<() => Promise<void>> = [];

  push(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of [...this.steps].reverse()) await step().catch(() => undefined);
  }
}

/** What the routes serve, checked against the published interface. */
interface DepartmentStorage {
  entities: Map<string, StoredEntity>;
  readers: Map<string, EntityReader>;
  aggregates: Map<string, AggregateQuery>;
  handlers: AnyHandlers;
}

/** An idle connection lost is logged (message only) rather than crashing the process. */
function openPool(options: DepartmentServiceOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 10,
    options: SESSION_OPTIONS,
    application_name: `department:${options.department}`,
  });
  pool.on('error', (error) => options.logger.warn({ err: { message: error.message } }, 'idle database connection lost'));
  return pool;
}

/**
 * Reads the department's storage schema and checks it against the interface: describeDepartment checks the
 * record fields; here, every aggregate must be over a stored entity and every command must have a handler.
 * Throws StorageMismatchError otherwise.
 */
async function loadDepartmentStorage(
  pool: pg.Pool,
  department: HttpDepartment,
  spec: DepartmentInterface,
): Promise<DepartmentStorage> {
  const entities = await describeDepartment(pool, department);
  const readers = new Map([...entities].map(([name, entity]) => [name, new EntityReader(pool, entity)]));
  const aggregates = new Map(
    Object.entries(spec.aggregates).map(([name, aggregate]) => {
      const entity = entities.get(aggregate.entity);
      if (!entity) throw new StorageMismatchError(`aggregate ${name} is over unknown entity ${aggregate.entity}`);
      return [name, new AggregateQuery(pool, name, aggregate, entity)];
    }),
  );
  const handlers = COMMAND_HANDLERS[department];
  for (const command of Object.keys(spec.commands)) {
    if (!handlers[command]) throw new StorageMismatchError(`${department} has no handler for command ${command}`);
  }
  return { entities, readers, aggregates, handlers };
}

/**
 * The exchange app: the sandbox fault report and /health outside the API key; under /v1 the injected faults,
 * then the key, then the JSON body limit, then entities, aggregates and commands. No ETags, no x-powered-by.
 */
function exchangeApp(
  options: DepartmentServiceOptions,
  pool: pg.Pool,
  spec: DepartmentInterface,
  storage: DepartmentStorage,
  current: () => Readonly<Faults>,
): express.Express {
  const { department, logger } = options;
  const { entities, readers, aggregates, handlers } = storage;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogger(logger));
  app.get('/__sandbox/faults', (_req, res) => {
    res.json({ department, faults: current() });
  });
  app.get('/health', healthFaults(current), async (_req, res) => {
    try {
      await pool.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.use('/v1', apiFaults(current), requireApiKey(options.apiKey), express.json({ limit: options.bodyLimit ?? '256kb' }));
  // Aggregates first: `POST /v1/aggregates` (the batch) would otherwise match the entity route `/v1/:operation`.
  app.use(aggregateRoutes(aggregates, current));
  app.use(entityRoutes(readers, current));
  app.use(commandRoutes({ spec, handlers, ledger: new CommandLedger(pool, department), entities, logger, faults: current }));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/** social-security only: issues the cards of accepted applications in the background. Returns its stop. */
function startCardIssuer(options: DepartmentServiceOptions, pool: pg.Pool, storage: DepartmentStorage): () => Promise<void> {
  const issuer = new CardIssuer({
    pool,
    entity: storage.entities.get('cardApplication')!,
    logger: options.logger,
    delayMs: options.cardIssueDelayMs ?? 3000,
  });
  issuer.start();
  return () => issuer.stop();
}

/** Resolves once the socket listens; rejects when it cannot (e.g. the port is taken). */
async function listen(app: express.Express, options: DepartmentServiceOptions): Promise<http.Server> {
  const server = await new Promise<http.Server>((resolve, reject) => {
    const listening = app.listen(options.port, options.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  server.keepAliveTimeout = 5000;
  return server;
}

/** The base URL of a listening server, with an IPv6 address in brackets. */
function baseUrl(server: http.Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Stops accepting, closes idle connections, lets requests in flight finish for at most `graceMs`, then cuts them. */
function closeGracefully(server: http.Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export async function startDepartmentService(options: DepartmentServiceOptions): Promise<RunningDepartmentService> {
  const { department, logger } = options;
  const spec = departmentInterface(department);
  const pool = openPool(options);
  const cleanups = new CleanupStack();
  cleanups.push(() => pool.end());

  try {
    const storage = await loadDepartmentStorage(pool, department, spec);
    const faults = new FaultListener(options.databaseUrl, department, logger);
    await faults.start();
    cleanups.push(() => faults.stop());
    const app = exchangeApp(options, pool, spec, storage, () => faults.current());
    if (department === 'social-security') cleanups.push(startCardIssuer(options, pool, storage));
    const server = await listen(app, options);
    const url = baseUrl(server);
    cleanups.push(() => closeGracefully(server, options.graceMs ?? 5000));
    let stopping: Promise<void> | undefined;
    return { url, stop: () => (stopping ??= cleanups.run()) };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}
