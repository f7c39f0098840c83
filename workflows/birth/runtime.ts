/**
 * The durable runner of 出生一件事 cases, on DBOS Transact (`@dbos-inc/dbos-sdk`): workflow state, step results,
 * messages and queues live in PostgreSQL (schema `dbos` of the hub database), so a hub killed at any moment
 * resumes every case where it stopped, and several hub processes share the work.
 *
 * Shape (reads as the business process):
 * - `birthCase(id, revision)` — one workflow per case revision (id `birth:<case>:r<revision>`), enqueued on the
 *   queue `birth-cases` (any hub process dequeues it). It advances the step graph and starts one child
 *   workflow per runnable step, until the revision has nothing left to run.
 * - `birthStep(id, code, keyRevision)` — one workflow per step key (id `birth:<case>:<step>:k<n>`): record the
 *   dispatch (hub database, with its audit event) → call the department with the step's idempotency key →
 *   record the answer; transient failures retry with exponential backoff under the same key; past the step's
 *   deadline the department is asked for the command's answer by key (`readCommand`) and the command is sent
 *   again only if it never arrived; an accepted (202) command waits for the callback (`DBOS.recv`) or polls
 *   the department's record, which is authoritative.
 * Each external effect is one DBOS step; a step whose result was not recorded before a crash runs again with
 * the same idempotency key, and the department answers it from its ledger without a second effect.
 *
 * Executors: each process has an executor id and a heartbeat row (workflow_executor). DBOS recovers an
 * executor's pending workflows when a process with that id starts again; for one that never comes back,
 * every live process looks for executors whose heartbeat is older than the timeout, claims one atomically
 * and resumes its PENDING workflows (`DBOS.resumeWorkflow`), which any process then dequeues. A reconciler
 * also starts the workflow of any case whose start was lost in a crash between commit and enqueue.
 */
import { randomUUID } from 'node:crypto';
import { DBOS, type WorkflowHandle } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../../connectors/registry';
import { ConnectorError, type CommandOutcome, type SourceRecord } from '../../connectors/contract';
import { scalarText } from '../../domain/text';
import type { PrismaClient } from '../../prisma/client';
import { stepDefinition, type StepCode, type StepInputs } from './graph';
import { BirthStore, type DispatchPlan, type ReadBackFinding } from './store';
import { callbackToken } from './callback-token';

export const CASE_QUEUE = 'birth-cases';

/**
 * Steps that only read or write the hub database retry when it is briefly unreachable (a pool exhausted under
 * load, a failover): each runs in one transaction that either committed or changed nothing, and checks the
 * state it finds, so running it again is safe. An outage longer than the retries (`hubDatabaseAttempts`, 0.5 s
 * doubling: 8 attempts ≈ a minute) ends the workflow in ERROR: the case workflow revives an errored step
 * workflow (`reviveStep`), and the heartbeat round an errored case workflow (`reviveErroredCases`), both
 * marking the case overdue at once, so that it is not seen only at its due date.
 */
const hubDatabaseRetries = () =>
  ({ retriesAllowed: true, maxAttempts: running().options.hubDatabaseAttempts, intervalSeconds: 0.5, backoffRate: 2 }) as const;

export interface BirthMetricsSink {
  stepFinished(step: StepCode, connector: string, outcome: string, seconds: number, attempts: number): void;
}

export interface BirthRuntimeOptions {
  app: string;
  executorId: string | null;
  /** DBOS application version: workflows are recovered only by processes of the same version. */
  version: string;
  heartbeatMs: number;
  executorTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
  /** Attempts of each hub-database step of a workflow (0.5 s apart, doubling) before the workflow errors. */
  hubDatabaseAttempts: number;
  /** Where departments send callbacks: `<base>/callbacks/birth-steps/<token>`. */
  callbackBase: () => string;
  callbackSecret: string;
}

export interface BirthRuntimeDependencies {
  prisma: PrismaClient;
  /** The hub's runtime connection: DBOS runs as it, with no DDL. */
  databaseUrl: string;
  /** The owner connection and the runtime role: DBOS's system schema is migrated as the owner, then granted. */
  systemSchemaOwner: { url: string; applicationRole: string };
  connectors: ConnectorRegistry;
  store: BirthStore;
  logger: Logger;
  metrics: BirthMetricsSink;
  now: () => Date;
}

/** What the use cases (cases.ts) and the callback route need from the runtime. */
export interface BirthWorkflowControl {
  startCase(id: string, revision: number): Promise<void>;
  /** Wakes a step's workflow (a callback arrived, the case was cancelled). */
  signalStep(id: string, code: StepCode, keyRevision: number, message: StepSignal, dedupeKey?: string): Promise<void>;
}

export type StepSignal = { kind: 'callback' } | { kind: 'cancel' } | { kind: 'wake' };

// The runtime is process-wide (DBOS is); workflow bodies reach their dependencies through it.
let current: { deps: BirthRuntimeDependencies; options: BirthRuntimeOptions } | null = null;
const running = () => {
  if (!current) throw new Error('the birth workflow runtime is not started');
  return current;
};

const caseWorkflowId = (id: string, revision: number) => `birth:${id}:r${revision}`;
export const stepWorkflowId = (id: string, code: StepCode, keyRevision: number) => `birth:${id}:${code}:k${keyRevision}`;

// ------------------------------------------------------------------------------------------ workflows

/**
 * DBOS states of a workflow that ended without finishing its work. DBOS resumes only unfinished workflows, so
 * an errored one is rewound (`DBOS.rewindWorkflow`): replayed in place, under its own id, from its step that
 * failed, every step before it answered from its record.
 */
const ERRORED = new Set(['ERROR', 'MAX_RECOVERY_ATTEMPTS_EXCEEDED']);
/** How often an errored workflow is resumed before it is left for an operator (on the overdue list). */
const MAX_REVIVALS = 10;
/** The longest wait before resuming an errored step workflow (the hub database may still be recovering). */
const REVIVAL_MAX_MS = 5 * 60_000;

const errorText = (error: unknown) => (error instanceof Error ? error.message : scalarText(error, 'workflow error'));

interface StartedStep {
  handle: WorkflowHandle<string>;
  code: StepCode;
  keyRevision: number;
}

async function birthCaseBody(id: string, revision: number): Promise<string> {
  const started = new Map<string, StartedStep>();
  for (;;) {
    const plan = await DBOS.runStep(() => running().deps.store.advance(id, revision), {
      name: 'advance',
      ...hubDatabaseRetries(),
    });
    if (plan.done) return plan.status;
    for (const step of plan.run) {
      const wid = stepWorkflowId(id, step.code, step.keyRevision);
      if (!started.has(wid))
        started.set(wid, {
          handle: await DBOS.startWorkflow(birthStep, { workflowID: wid })(id, step.code, step.keyRevision),
          ...step,
        });
    }
    const finished = await DBOS.waitFirst([...started.values()].map((s) => s.handle));
    const step = started.get(finished.workflowID)!;
    started.delete(finished.workflowID);
    // A step workflow that errored left its step where it was: starting it again would only hand back the
    // errored workflow (a busy loop), so it is recorded (the case goes on the overdue list) and resumed.
    const status = await DBOS.getWorkflowStatus(finished.workflowID);
    if (status && ERRORED.has(status.status)) {
      const revived = await reviveStep(id, step, String(status.updatedAt ?? ''), errorText(status.error));
      if (revived) started.set(finished.workflowID, { ...step, handle: revived });
    }
  }
}

/**
 * Records an errored step workflow and, after a backoff, replays it from its failed step (every step is safe
 * to run again); after MAX_REVIVALS errors the step is FAILED instead (overdue, for an operator).
 */
async function reviveStep(
  id: string,
  step: StartedStep,
  erroredAt: string,
  error: string,
): Promise<WorkflowHandle<string> | null> {
  const { options } = running();
  const store = () => running().deps.store;
  const wid = stepWorkflowId(id, step.code, step.keyRevision);
  const { errors } = await DBOS.runStep(
    () => store().recordWorkflowError(id, { code: step.code, keyRevision: step.keyRevision }, wid, erroredAt, error),
    { name: 'record-workflow-error', ...hubDatabaseRetries() },
  );
  if (errors > MAX_REVIVALS) {
    await DBOS.runStep(
      () => store().recordFailure(id, step.code, step.keyRevision, `its workflow failed ${errors} times: ${error}`),
      { name: 'record-failure', ...hubDatabaseRetries() },
    );
    return null;
  }
  await DBOS.sleep(Math.min(REVIVAL_MAX_MS, options.retryBaseMs * 2 ** errors));
  const startStep = await rewindPoint(wid);
  running().deps.logger.warn({ case: id, step: step.code, errors, startStep }, 'resuming a birth step workflow that errored');
  return DBOS.rewindWorkflow<string>(wid, { startStep });
}

/** Where an errored workflow is replayed from: its step that failed, or past its last step if it failed between steps. */
async function rewindPoint(workflowId: string): Promise<number> {
  const steps = (await DBOS.listWorkflowSteps(workflowId)) ?? [];
  const failed = steps.find((s) => s.error !== null);
  return failed ? failed.functionID : Math.max(-1, ...steps.map((s) => s.functionID)) + 1;
}

type CallResult =
  | { kind: 'completed'; result: Record<string, unknown>; fetchedAt: string }
  | { kind: 'accepted'; result: Record<string, unknown> }
  | { kind: 'rejected'; reason: string; field: string | null; message: string | null }
  | { kind: 'transient'; error: string }
  | { kind: 'failed'; error: string };

/** What a read of the step's command by key found: its answer, or that the department never received the key. */
type ReadBack = CallResult | { kind: 'not-received' } | { kind: 'unreadable' };

function fromOutcome(outcome: CommandOutcome): CallResult {
  if (outcome.status === 'REJECTED')
    return { kind: 'rejected', reason: outcome.reason, field: outcome.field, message: outcome.message };
  if (outcome.status === 'ACCEPTED') return { kind: 'accepted', result: outcome.result };
  return { kind: 'completed', result: outcome.result, fetchedAt: new Date().toISOString() };
}

/** A connector failure: transient ones (timeouts, 5xx, open breaker) are retried under the same key. */
function fromFailure(error: unknown, code: StepCode, keyRevision: number, id: string): CallResult {
  if (!(error instanceof ConnectorError)) throw error;
  const retryable = error.transient || error.reason === 'CIRCUIT_OPEN';
  running().deps.logger.warn(
    { step: code, case: id, keyRevision, connector: error.connector, operation: error.operation, reason: error.reason },
    'birth step call failed',
  );
  return retryable
    ? { kind: 'transient', error: `${error.reason}: ${error.message}` }
    : { kind: 'failed', error: `${error.reason}: ${error.message}` };
}

async function callDepartment(
  code: StepCode,
  plan: Extract<DispatchPlan, { idempotencyKey: string }>,
  keyRevision: number,
  id: string,
): Promise<CallResult> {
  const { deps, options } = running();
  const definition = stepDefinition(code);
  try {
    const connector = deps.connectors.get(definition.connector);
    const callbackUrl = definition.record
      ? `${options.callbackBase()}/callbacks/birth-steps/${callbackToken(options.callbackSecret, plan.idempotencyKey)}`
      : undefined;
    return fromOutcome(await connector.command(definition.command, plan.input, plan.idempotencyKey, { callbackUrl }));
  } catch (error) {
    return fromFailure(error, code, keyRevision, id);
  }
}

/**
 * Asks the department for the answer it gave to the step's key; executes nothing there. A department that
 * offers no such read is `unreadable`: the command is then sent again under the same key, which its
 * idempotency makes safe.
 */
async function readBackCommand(code: StepCode, idempotencyKey: string, keyRevision: number, id: string): Promise<ReadBack> {
  const definition = stepDefinition(code);
  try {
    const outcome = await running().deps.connectors.get(definition.connector).readCommand(definition.command, idempotencyKey);
    return outcome ? fromOutcome(outcome) : { kind: 'not-received' };
  } catch (error) {
    if (error instanceof ConnectorError && error.reason === 'UNKNOWN_OPERATION') return { kind: 'unreadable' };
    return fromFailure(error, code, keyRevision, id);
  }
}

/** What goes into the history of a read-back that reached the department (failures are retries, not findings). */
function readBackFinding(found: ReadBack): ReadBackFinding | null {
  switch (found.kind) {
    case 'completed':
      return 'COMPLETED';
    case 'accepted':
      return 'ACCEPTED';
    case 'rejected':
      return 'REJECTED';
    case 'not-received':
      return 'NOT_RECEIVED';
    default:
      return null;
  }
}

/** Reads the step's published record (asynchronous replies): the authoritative answer. */
async function readRecord(
  code: StepCode,
  inputs: StepInputs,
): Promise<{ outcome: { succeeded: string } | { rejected: string } | null; record: SourceRecord | null } | { error: string }> {
  const { deps } = running();
  const definition = stepDefinition(code);
  const key = definition.record?.key(inputs);
  if (!definition.record || !key) return { outcome: null, record: null };
  try {
    const [entry] = await deps.connectors.get(definition.connector).loadMany(definition.record.entity, [key]);
    if (!entry || Array.isArray(entry)) return { outcome: null, record: null };
    if (entry instanceof ConnectorError) return { error: entry.message };
    return { outcome: definition.record.outcome(entry.data), record: entry };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A step found done in its department's published record: recorded as succeeded, with the record's lineage. */
function recordSuccessFromRecord(
  id: string,
  code: StepCode,
  keyRevision: number,
  produced: string,
  record: SourceRecord,
): Promise<void> {
  return DBOS.runStep(() => running().deps.store.recordSuccess(id, code, keyRevision, produced, lineageOf(record, 'record')), {
    name: 'record-success',
    ...hubDatabaseRetries(),
  });
}

/**
 * One step, round by round. Before its deadline a round records the dispatch and sends the command. Past the
 * deadline the step is OVERDUE and a round first asks the department for the command's answer by key: an
 * answer found settles the step as if it had just arrived (lineage `via: 'read-back'`); the command is sent
 * again (same key) only when the department says it never received it.
 */
async function birthStepBody(id: string, code: StepCode, keyRevision: number): Promise<string> {
  const store = () => running().deps.store;
  for (let round = 0; ; round += 1) {
    const step = await DBOS.runStep(() => store().stepRound(id, code, keyRevision), {
      name: 'check-state',
      ...hubDatabaseRetries(),
    });
    if (step.stop !== undefined) return step.stop;
    if (step.state === 'AWAITING_REPLY') return awaitReply(id, code, keyRevision, step);

    if (step.deadlineAt !== null && Date.parse(step.deadlineAt) <= (await DBOS.now())) {
      const found = await DBOS.runStep(() => readBackCommand(code, step.idempotencyKey, keyRevision, id), { name: 'read-back' });
      const finding = readBackFinding(found);
      if (finding !== null)
        await DBOS.runStep(() => store().recordReadBack(id, code, keyRevision, finding), {
          name: 'record-read-back',
          ...hubDatabaseRetries(),
        });
      if (found.kind !== 'not-received' && found.kind !== 'unreadable') {
        const settled = await settle(id, code, keyRevision, found, step.attempts, 'read-back', round);
        if (settled !== null) return settled;
        continue;
      }
    }

    const plan = await DBOS.runStep(() => store().beginDispatch(id, code, keyRevision), {
      name: 'record-dispatch',
      ...hubDatabaseRetries(),
    });
    if (plan.stop !== undefined) return plan.stop;
    if (plan.state === 'AWAITING_REPLY') return awaitReply(id, code, keyRevision, plan);
    const answer = await DBOS.runStep(() => callDepartment(code, plan, keyRevision, id), { name: 'call-department' });
    const settled = await settle(id, code, keyRevision, answer, plan.attempts, 'command', round);
    if (settled !== null) return settled;
  }
}

/**
 * Records a department's answer to the step (`via`: how it reached the hub). Returns the step's final state,
 * or null when the step goes on: accepted (the next round waits for the reply) or a transient failure (the
 * next round comes after the backoff, or when a signal interrupts it).
 */
async function settle(
  id: string,
  code: StepCode,
  keyRevision: number,
  answer: CallResult,
  attempts: number,
  via: 'command' | 'read-back',
  round: number,
): Promise<string | null> {
  const { options } = running();
  const store = () => running().deps.store;
  const definition = stepDefinition(code);
  switch (answer.kind) {
    case 'completed': {
      const identifier = definition.produces(answer.result) ?? '';
      const lineage = {
        sourceRecordId: identifier,
        sourceUpdatedAt: scalarText(answer.result.updatedAt ?? answer.result.registeredAt ?? answer.result.createdAt) || null,
        fetchedAt: answer.fetchedAt,
        via,
      };
      await DBOS.runStep(() => store().recordSuccess(id, code, keyRevision, identifier, lineage), {
        name: 'record-success',
        ...hubDatabaseRetries(),
      });
      await finished(code, 'SUCCEEDED', attempts);
      return 'SUCCEEDED';
    }
    case 'accepted':
      await DBOS.runStep(() => store().recordAccepted(id, code, keyRevision, scalarText(answer.result.applicationId) || null), {
        name: 'record-accepted',
        ...hubDatabaseRetries(),
      });
      return null; // the next round sees AWAITING_REPLY and waits
    case 'rejected':
      await DBOS.runStep(() => store().recordRejection(id, code, keyRevision, answer.reason, answer.field, answer.message), {
        name: 'record-rejection',
        ...hubDatabaseRetries(),
      });
      await finished(code, 'REJECTED', attempts);
      return 'REJECTED';
    case 'failed':
      await DBOS.runStep(() => store().recordFailure(id, code, keyRevision, answer.error), {
        name: 'record-failure',
        ...hubDatabaseRetries(),
      });
      await finished(code, 'FAILED', attempts);
      return 'FAILED';
    case 'transient': {
      const delay = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.min(round, 20));
      await DBOS.runStep(() => store().recordRetry(id, code, keyRevision, answer.error, delay), {
        name: 'record-retry',
        ...hubDatabaseRetries(),
      });
      // A cancellation (or an operator's wake-up) interrupts the wait; the next round sees the state.
      await DBOS.recv<StepSignal>('signal', delay / 1000);
      return null;
    }
  }
}

async function awaitReply(
  id: string,
  code: StepCode,
  keyRevision: number,
  plan: { inputs: StepInputs; attempts: number; deadlineAt: string | null },
): Promise<string> {
  const { options } = running();
  const store = () => running().deps.store;
  for (;;) {
    const found = await DBOS.runStep(() => readRecord(code, plan.inputs), { name: 'read-record' });
    if (!('error' in found) && found.outcome && found.record) {
      if ('succeeded' in found.outcome) {
        await recordSuccessFromRecord(id, code, keyRevision, found.outcome.succeeded, found.record);
        await finished(code, 'SUCCEEDED', plan.attempts);
        return 'SUCCEEDED';
      }
      await DBOS.runStep(
        () => store().recordRejection(id, code, keyRevision, (found.outcome as { rejected: string }).rejected, null, null),
        { name: 'record-rejection', ...hubDatabaseRetries() },
      );
      return 'REJECTED';
    }
    if (plan.deadlineAt !== null && Date.parse(plan.deadlineAt) <= (await DBOS.now()))
      await DBOS.runStep(() => store().markOverdue(id, code, keyRevision), { name: 'mark-overdue', ...hubDatabaseRetries() });
    const signal = await DBOS.recv<StepSignal>('signal', options.pollMs / 1000);
    if (signal?.kind === 'cancel') {
      const state = await DBOS.runStep(() => store().beginDispatch(id, code, keyRevision), {
        name: 'check-state',
        ...hubDatabaseRetries(),
      });
      if (state.stop !== undefined) return state.stop;
    }
  }
}

function lineageOf(record: SourceRecord, via: string) {
  return { sourceRecordId: record.sourceRecordId, sourceUpdatedAt: record.sourceUpdatedAt, fetchedAt: record.fetchedAt, via };
}

async function finished(code: StepCode, outcome: string, attempts: number): Promise<void> {
  await DBOS.runStep(
    async () => {
      const { deps } = running();
      const step = await deps.prisma.birthApplicationStep.findFirst({
        where: { code, state: outcome as never },
        orderBy: { finishedAt: 'desc' },
        select: { readyAt: true, finishedAt: true },
      });
      const seconds = step?.readyAt && step.finishedAt ? (step.finishedAt.getTime() - step.readyAt.getTime()) / 1000 : 0;
      deps.metrics.stepFinished(code, stepDefinition(code).connector, outcome, seconds, attempts);
    },
    { name: 'metrics', ...hubDatabaseRetries() },
  );
}

const birthCase = DBOS.registerWorkflow(birthCaseBody, { name: 'birthCase' });
const birthStep = DBOS.registerWorkflow(birthStepBody, { name: 'birthStep' });

// ------------------------------------------------------------------------------------------ runtime

export interface BirthRuntime extends BirthWorkflowControl {
  executorId: string;
  stop(): Promise<void>;
}

/**
 * DBOS's system schema, migrated as the owner under a session advisory lock: hub processes starting together on
 * a fresh database would otherwise run the same DDL at once and fail (seen with two test files' hubs).
 */
async function migrateSystemSchema(owner: { url: string; applicationRole: string }): Promise<void> {
  const client = new pg.Client({ connectionString: owner.url });
  await client.connect();
  try {
    // Polled, not waited for: a statement waiting on the lock would hold a snapshot, which the migration's
    // CREATE INDEX CONCURRENTLY in the lock holder waits out (a deadlock nobody detects).
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('hub:dbos-system-schema')) AS locked",
      );
      if (rows[0]?.locked) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await DBOS.migrate(owner.url, { schemaName: 'dbos', applicationRole: owner.applicationRole });
  } finally {
    await client.end();
  }
}

export async function startBirthRuntime(deps: BirthRuntimeDependencies, options: BirthRuntimeOptions): Promise<BirthRuntime> {
  if (current) throw new Error('the birth workflow runtime is already started in this process');
  const executorId = options.executorId ?? `hub-${randomUUID()}`;
  current = { deps, options };
  const dbosLogger = {
    info: (entry: unknown) => deps.logger.debug({ dbos: String(entry) }, 'workflow runtime'),
    debug: (entry: unknown) => deps.logger.trace({ dbos: String(entry) }, 'workflow runtime'),
    warn: (entry: unknown) => deps.logger.warn({ dbos: String(entry) }, 'workflow runtime'),
    error: (entry: unknown) =>
      deps.logger.error({ dbos: entry instanceof Error ? entry.message : String(entry) }, 'workflow runtime'),
  };
  await migrateSystemSchema(deps.systemSchemaOwner);
  DBOS.setConfig({
    name: options.app,
    systemDatabaseUrl: deps.databaseUrl,
    // Migrated above as the owner: the hub's role may not run DDL.
    runMigrations: false,
    systemDatabaseSchemaName: 'dbos',
    systemDatabasePoolSize: 10,
    executorID: executorId,
    // Version names are global to the system database: qualified by the application.
    applicationVersion: `${options.app}:${options.version}`,
    logger: dbosLogger,
  });
  await deps.prisma.workflowExecutor.upsert({
    where: { executorId },
    create: { executorId, app: options.app, heartbeatAt: deps.now() },
    update: { heartbeatAt: deps.now(), app: options.app },
  });
  try {
    await DBOS.launch();
  } catch (error) {
    current = null;
    await DBOS.shutdown().catch(() => undefined);
    throw error;
  }
  // Queue names are global to the system database: each workflow application has its own.
  const queueName = `${options.app}:${CASE_QUEUE}`;
  await DBOS.registerQueue(queueName, { minPollingIntervalMs: 100, onConflict: 'always_update' });
  deps.logger.info({ executorId, app: options.app }, 'birth workflow runtime started');

  const control: BirthWorkflowControl = {
    async startCase(id, revision) {
      await DBOS.startWorkflow(birthCase, { workflowID: caseWorkflowId(id, revision), queueName })(id, revision);
      await deps.prisma.birthApplication.updateMany({
        where: { id, revision, workflowStartedAt: null },
        data: { workflowStartedAt: deps.now() },
      });
    },
    async signalStep(id, code, keyRevision, message, dedupeKey) {
      await DBOS.send(stepWorkflowId(id, code, keyRevision), message, 'signal', dedupeKey);
    },
  };

  let ticking: Promise<void> = Promise.resolve();
  const tick = async () => {
    await deps.prisma.workflowExecutor.update({ where: { executorId }, data: { heartbeatAt: deps.now() } }).catch(async () => {
      await deps.prisma.workflowExecutor.create({ data: { executorId, app: options.app, heartbeatAt: deps.now() } });
    });
    await takeOverDeadExecutors(deps, options, executorId);
    await reconcileUnstartedCases(deps, options, control);
    await reviveErroredCases(deps, options);
  };
  const timer = setInterval(() => {
    ticking = ticking
      .then(tick)
      .catch((error: Error) => deps.logger.warn({ err: { message: error.message } }, 'workflow heartbeat round failed'));
  }, options.heartbeatMs);

  return {
    executorId,
    ...control,
    async stop() {
      clearInterval(timer);
      await ticking.catch(() => undefined);
      await DBOS.shutdown();
      // A clean stop leaves nothing to take over: this executor's pending workflows resume when it (or a
      // process that takes over its stale row) comes back.
      current = null;
    },
  };
}

/** Claims executors whose heartbeat is stale (one claimant each) and resumes their pending workflows here. */
async function takeOverDeadExecutors(deps: BirthRuntimeDependencies, options: BirthRuntimeOptions, me: string): Promise<void> {
  const staleBefore = new Date(deps.now().getTime() - options.executorTimeoutMs);
  // Refreshing a dead executor's heartbeat is the claim: no other process sees it stale until the timeout
  // passes again, so a claimant that dies here is itself followed by another.
  const claimed = await deps.prisma.$queryRaw<Array<{ executor_id: string }>>`
    UPDATE workflow_executor SET heartbeat_at = now()
     WHERE executor_id = (SELECT executor_id FROM workflow_executor
                           WHERE app = ${options.app} AND executor_id <> ${me} AND heartbeat_at < ${staleBefore}
                           ORDER BY heartbeat_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING executor_id`;
  for (const { executor_id: dead } of claimed) {
    const pending = await DBOS.listWorkflows({ status: 'PENDING', executorId: dead });
    for (const workflow of pending) await DBOS.resumeWorkflow(workflow.workflowID);
    await deps.prisma.workflowExecutor.delete({ where: { executorId: dead } }).catch(() => undefined);
    deps.logger.info({ deadExecutor: dead, resumed: pending.length }, 'took over the workflows of a stopped hub process');
  }
}

/**
 * Case workflows of this application that ended in error (their hub-database steps outlasted by an outage):
 * each error is recorded once over all processes (the case's open steps become overdue: on the overdue list at
 * once) and the process that recorded it replays the workflow from its failed step; after MAX_REVIVALS errors the workflow is
 * cancelled (its steps stay overdue, for an operator) so that it is not listed again.
 */
async function reviveErroredCases(deps: BirthRuntimeDependencies, options: BirthRuntimeOptions): Promise<void> {
  const errored = await DBOS.listWorkflows({
    status: ['ERROR', 'MAX_RECOVERY_ATTEMPTS_EXCEEDED'],
    workflowName: 'birthCase',
    applicationVersion: `${options.app}:${options.version}`,
    limit: 50,
  });
  for (const workflow of errored) {
    const id = /^birth:(.+):r\d+$/.exec(workflow.workflowID)?.[1];
    if (!id) continue;
    const { claimed, errors } = await deps.store.recordWorkflowError(
      id,
      null,
      workflow.workflowID,
      String(workflow.updatedAt ?? ''),
      errorText(workflow.error),
    );
    if (!claimed) continue;
    if (errors > MAX_REVIVALS) {
      await DBOS.cancelWorkflow(workflow.workflowID);
      deps.logger.error({ case: id, errors }, 'a birth case workflow keeps failing: left on the overdue list');
      continue;
    }
    const startStep = await rewindPoint(workflow.workflowID);
    await DBOS.rewindWorkflow(workflow.workflowID, { startStep });
    deps.logger.warn({ case: id, errors, startStep }, 'resumed a birth case workflow that errored');
  }
}

/** Starts the workflow of cases committed without one (a crash between commit and enqueue). */
async function reconcileUnstartedCases(
  deps: BirthRuntimeDependencies,
  options: BirthRuntimeOptions,
  control: BirthWorkflowControl,
): Promise<void> {
  const olderThan = new Date(deps.now().getTime() - Math.max(2000, options.heartbeatMs));
  const cases = await deps.prisma.birthApplication.findMany({
    where: {
      workflowApp: options.app,
      workflowStartedAt: null,
      status: { in: ['SUBMITTED', 'IN_PROGRESS'] },
      updatedAt: { lt: olderThan },
    },
    select: { id: true, revision: true },
    take: 50,
  });
  for (const c of cases) await control.startCase(c.id, c.revision);
}
