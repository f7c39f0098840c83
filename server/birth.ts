/**
 * Composition of the 出生一件事 joint application in a hub process: the case store (with the audit trail's
 * in-transaction append), the DBOS workflow runtime, the NOTIFY listener that feeds subscriptions on this
 * instance, the callback route and the metrics.
 *
 * Contract: `startBirth` launches the runtime (recovering this executor's pending workflows) and listens for
 * case events; `setBaseUrl` is called once the hub listens, so callback URLs name a reachable address
 * (HUB_PUBLIC_URL wins); `stop()` stops the runtime and the listener.
 */
import express, { type Router } from 'express';
import pg from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ConnectorRegistry } from '../connectors/registry';
import { uncoveredYears } from '../domain/service-clock';
import type { PrismaClient } from '../prisma/client';
import { receiveCallback } from '../workflows/birth/callbacks';
import type { BirthApplicationEvents, BirthServices } from '../workflows/birth/port';
import { startBirthRuntime, type BirthRuntime } from '../workflows/birth/runtime';
import { BirthStore, NOTIFY_CHANNEL } from '../workflows/birth/store';
import type { AuditTrail } from './audit/trail';
import type { HubConfig } from './config';
import type { Logger } from './logger';

/** How far ahead the service clock's calendar must reach: a service period with corrections, in calendar days. */
const CLOCK_HORIZON_DAYS = 31;

/**
 * The service clock's calendar as readiness reports it: the years from now to the horizon whose holiday notice
 * the calendar lacks (due dates there count weekends only), with a note for the operator when there are any.
 */
export function serviceClockStatus(now: Date): { calendar: string; uncoveredYearsAhead: number[]; note?: string } {
  const years = uncoveredYears(now, new Date(now.getTime() + CLOCK_HORIZON_DAYS * 86_400_000));
  if (years.length === 0) return { calendar: 'chinese-days', uncoveredYearsAhead: [] };
  return {
    calendar: 'chinese-days',
    uncoveredYearsAhead: years,
    note: `no State Council holiday notice for ${years.join(', ')} in the calendar: due dates there count weekends only (upgrade chinese-days)`,
  };
}

/** Bumped when a workflow's code changes incompatibly: pending workflows recover only under their own version. */
const WORKFLOW_VERSION = 'births-2';

export interface RunningBirth {
  services: BirthServices;
  callbackRouter: Router;
  setBaseUrl(url: string): void;
  stop(): Promise<void>;
}

/** `application_name` of each hub process's case-event listening connection. */
export const EVENT_LISTENER_NAME = 'hub:birth-events';

/**
 * One LISTEN connection per hub process for every subscription on it. A lost connection is re-established
 * (after 1 s, then again until it succeeds); NOTIFYs sent meanwhile are gone, so once it listens again every
 * subscriber is told to catch up from the case history (`null`).
 */
class NotifyListener implements BirthApplicationEvents {
  private client: pg.Client | null = null;
  private readonly listeners = new Map<string, Set<(seq: bigint | null) => void>>();
  private stopped = false;
  private connectedBefore = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: EVENT_LISTENER_NAME });
    client.on('notification', (message) => {
      const [id, seq] = (message.payload ?? '').split(':');
      if (!id || !seq) return;
      for (const listener of this.listeners.get(id) ?? []) listener(BigInt(seq));
    });
    client.on('error', (error) => {
      this.logger.warn({ err: { message: error.message } }, 'case event listener lost its connection; reconnecting');
      this.client = null;
      client.end().catch(() => undefined);
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.connectedBefore) for (const set of this.listeners.values()) for (const listener of set) listener(null);
    this.connectedBefore = true;
  }

  private reconnect(): void {
    if (this.stopped) return;
    setTimeout(() => {
      this.start().catch((error: Error) => {
        this.logger.warn({ err: { message: error.message } }, 'case event listener cannot reconnect yet');
        this.reconnect();
      });
    }, 1000);
  }

  subscribe(applicationId: string, listener: (seq: bigint | null) => void): () => void {
    const set = this.listeners.get(applicationId) ?? new Set();
    set.add(listener);
    this.listeners.set(applicationId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(applicationId);
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }
}

export async function startBirth(
  config: HubConfig,
  deps: {
    prisma: PrismaClient;
    /** The runtime role's connection, and the owner's (for DBOS's system schema) with the role to grant. */
    databaseUrl: string;
    systemSchemaOwner: { url: string; applicationRole: string };
    connectors: ConnectorRegistry;
    auditTrail: AuditTrail;
    logger: Logger;
    metrics: Registry;
    secret: string;
  },
): Promise<RunningBirth> {
  const { prisma, logger } = deps;
  const now = () => new Date();
  const store = new BirthStore({ prisma, audit: deps.auditTrail, subjectHashKey: deps.secret, now });
  store.stepDeadlineMs = config.workflows.stepDeadlineMs;
  const secret = `${deps.secret}:birth-callbacks`;

  const duration = new Histogram({
    name: 'hub_birth_step_duration_seconds',
    help: 'Time from READY to the end of a joint-application step, by step, department and outcome',
    labelNames: ['step', 'department', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [deps.metrics],
  });
  const attempts = new Counter({
    name: 'hub_birth_step_attempts_total',
    help: 'Dispatch attempts of finished joint-application steps, by step and department',
    labelNames: ['step', 'department'],
    registers: [deps.metrics],
  });
  new Gauge({
    name: 'hub_birth_applications',
    help: 'Joint applications by state (hub database, all instances)',
    labelNames: ['status'],
    registers: [deps.metrics],
    async collect() {
      const rows = await prisma.birthApplication.groupBy({ by: ['status'], _count: { _all: true } });
      this.reset();
      for (const row of rows) this.set({ status: row.status }, row._count._all);
    },
  });
  new Gauge({
    name: 'hub_birth_overdue_applications',
    help: 'Open joint applications past their due date or with a step past its deadline',
    registers: [deps.metrics],
    async collect() {
      this.set(
        await prisma.birthApplication.count({
          where: {
            OR: [
              { steps: { some: { overdue: true, state: { notIn: ['SUCCEEDED', 'SKIPPED', 'CANCELLED'] } } } },
              { status: { in: ['SUBMITTED', 'IN_PROGRESS'] }, dueAt: { lt: new Date() } },
            ],
          },
        }),
      );
    },
  });

  new Gauge({
    name: 'hub_service_clock_uncovered_year',
    help: `Years within ${CLOCK_HORIZON_DAYS} days whose holiday notice the service clock's calendar lacks (1 each: due dates there count weekends only)`,
    labelNames: ['year'],
    registers: [deps.metrics],
    collect() {
      this.reset();
      for (const year of serviceClockStatus(now()).uncoveredYearsAhead) this.set({ year: String(year) }, 1);
    },
  });
  const clock = serviceClockStatus(now());
  if (clock.note) logger.warn({ years: clock.uncoveredYearsAhead }, `service clock: ${clock.note}`);

  let baseUrl = config.workflows.publicUrl ?? '';
  const runtime: BirthRuntime = await startBirthRuntime(
    {
      prisma,
      databaseUrl: deps.databaseUrl,
      systemSchemaOwner: deps.systemSchemaOwner,
      connectors: deps.connectors,
      store,
      logger: logger.child({ component: 'birth-workflows' }),
      now,
      metrics: {
        stepFinished(step, department, outcome, seconds, count) {
          duration.observe({ step, department, outcome }, seconds);
          attempts.inc({ step, department }, count);
        },
      },
    },
    {
      app: config.workflows.app,
      executorId: config.workflows.executorId,
      version: WORKFLOW_VERSION,
      heartbeatMs: config.workflows.heartbeatMs,
      executorTimeoutMs: config.workflows.executorTimeoutMs,
      retryBaseMs: config.workflows.retryBaseMs,
      retryMaxMs: config.workflows.retryMaxMs,
      pollMs: config.workflows.pollMs,
      hubDatabaseAttempts: config.workflows.hubDatabaseAttempts,
      callbackBase: () => baseUrl,
      callbackSecret: secret,
    },
  );
  const events = new NotifyListener(deps.databaseUrl, logger);
  try {
    await events.start();
  } catch (error) {
    await runtime.stop();
    throw error;
  }

  const callbackRouter = express.Router();
  callbackRouter.post('/callbacks/birth-steps/:token', express.json({ limit: '64kb' }), async (req, res) => {
    try {
      const answer = await receiveCallback(
        { store, control: runtime, secret, logger },
        String(req.params.token),
        req.body,
        req.get('idempotency-key'),
      );
      res.status(answer.status).json({ outcome: answer.outcome });
    } catch (error) {
      logger.error({ err: { message: (error as Error).message } }, 'birth callback failed');
      res.status(503).json({ outcome: 'UNAVAILABLE' });
    }
  });
  // A body that is not JSON is malformed: answered, logged, nothing changes.
  callbackRouter.use('/callbacks', ((error, _req, res, next) => {
    if (res.headersSent) return next(error);
    logger.warn({ outcome: 'MALFORMED' }, 'birth callback refused: body is not JSON');
    res.status(400).json({ outcome: 'MALFORMED' });
  }) as express.ErrorRequestHandler);

  return {
    services: {
      control: runtime,
      store,
      events,
      workflowApp: config.workflows.app,
      ageLimitDays: config.workflows.ageLimitDays,
      serviceDays: config.workflows.serviceDays,
      now,
    },
    callbackRouter,
    setBaseUrl(url) {
      if (!config.workflows.publicUrl) baseUrl = url.replace(/\/+$/, '');
    },
    async stop() {
      await events.stop();
      await runtime.stop();
    },
  };
}
