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
import type { Logger } from '../../server/logger';
import { StorageMismatchError, departmentInterface, describeDepartment, type HttpDepartment } from '../storage';
import { AggregateQuery } from './aggregate-query';
import { aggregateRoutes } from './aggregate-routes';
import { requireApiKey } from './auth';
import { CardIssuer } from './card-issuer';
import { commandRoutes } from './command-routes';
import { COMMAND_HANDLERS } from './commands';
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

export async function startDepartmentService(options: DepartmentServiceOptions): Promise<RunningDepartmentService> {
  const { department, logger } = options;
  const spec = departmentInterface(department);
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 10,
    options: SESSION_OPTIONS,
    application_name: `department:${department}`,
  });
  pool.on('error', (error) => logger.warn({ err: { message: error.message } }, 'idle database connection lost'));
  const cleanups: Array<() => Promise<void>> = [() => pool.end()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };

  try {
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

    const faults = new FaultListener(options.databaseUrl, department, logger);
    await faults.start();
    cleanups.push(() => faults.stop());
    const current = () => faults.current();

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
    app.use(entityRoutes(readers, current));
    app.use(aggregateRoutes(aggregates, current));
    app.use(commandRoutes({ spec, handlers, ledger: new CommandLedger(pool, department), entities, logger }));
    app.use(notFoundHandler);
    app.use(errorHandler(logger));

    if (department === 'social-security') {
      const issuer = new CardIssuer({
        pool,
        entity: entities.get('cardApplication')!,
        logger,
        delayMs: options.cardIssueDelayMs ?? 3000,
      });
      issuer.start();
      cleanups.push(() => issuer.stop());
    }

    const server = await new Promise<http.Server>((resolve, reject) => {
      const listening = app.listen(options.port, options.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    server.keepAliveTimeout = 5000;
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 5000);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        }),
    );
    let stopping: Promise<void> | undefined;
    return { url, stop: () => (stopping ??= cleanup()) };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
