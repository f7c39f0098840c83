/**
 * The case store: every state change of a case or step, with its history event and its audit event, in one
 * hub-database transaction (together or not at all), announced on commit with NOTIFY `birth_application`
 * (payload `<case id>:<event seq>`) so that subscribers on every hub instance hear of it.
 *
 * Contract: each method is safe to run again after a crash (the workflow runtime may repeat a step whose
 * result it had not yet recorded): it checks the state it expects and changes nothing otherwise.
 */
import { createHash } from 'node:crypto';
import type { AuditEventContent } from '../../domain/audit-chain';
import { subjectHash } from '../../domain/audit-chain';
import { addWorkingTime, workingTimeBetween } from '../../domain/service-clock';
import type { PrismaClient } from '../../prisma/client';
import type { BirthApplication, BirthApplicationStep, Prisma } from '../../prisma/generated/client';
import { BIRTH_STEPS, correctionField, stepDefinition, type StepCode, type StepInputs } from './graph';
import type { BirthApplicationInput } from './input';

export type Tx = Prisma.TransactionClient;

/** Appends audit events inside the caller's transaction (server/audit/trail.ts implements it). */
export interface TransactionalAudit {
  appendIn(tx: Tx, events: AuditEventContent[]): Promise<void>;
}

export const BIRTH_PURPOSE = 'BIRTH_JOINT_SERVICE';
export const NOTIFY_CHANNEL = 'birth_application';
const TERMINAL_CASE = new Set(['COMPLETED', 'REJECTED', 'CANCELLED']);
const DONE_STEP = new Set(['SUCCEEDED', 'SKIPPED']);
const FINAL_STEP = new Set(['SUCCEEDED', 'SKIPPED', 'REJECTED', 'FAILED', 'CANCELLED']);

export interface StoreDependencies {
  prisma: PrismaClient;
  audit: TransactionalAudit;
  subjectHashKey: string;
  now: () => Date;
}

export interface EventInput {
  type: string;
  actor: string;
  step?: StepCode | null;
  detail?: Record<string, unknown> | null;
}

export type CaseWithSteps = BirthApplication & { steps: BirthApplicationStep[] };

export interface AdvancePlan {
  done: boolean;
  status: string;
  /** Steps to run (READY, DISPATCHED, AWAITING_REPLY), in graph order, with their key revision. */
  run: Array<{ code: StepCode; keyRevision: number }>;
}

export type DispatchPlan =
  | { stop: string }
  | {
      stop?: undefined;
      idempotencyKey: string;
      input: Record<string, unknown>;
      state: string;
      attempts: number;
      deadlineAt: string;
      inputs: StepInputs;
      childCitizenId: string | null;
    };

/** A step as a round of its workflow finds it (nothing written): why to stop, or what the round works with. */
export type StepRound =
  | { stop: string }
  | {
      stop?: undefined;
      state: string;
      idempotencyKey: string;
      attempts: number;
      /** Set at the first dispatch; null before it. */
      deadlineAt: string | null;
      inputs: StepInputs;
    };

/** What a read of a command by its key found: the department's answer, or that the key never arrived. */
export type ReadBackFinding = 'COMPLETED' | 'ACCEPTED' | 'REJECTED' | 'NOT_RECEIVED';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export class BirthStore {
  constructor(private readonly deps: StoreDependencies) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.deps.prisma.$transaction(work, { maxWait: 10000, timeout: 20000 });
  }

  /** Appends a history event and announces it on commit. */
  async event(tx: Tx, application: Pick<BirthApplication, 'id' | 'revision'>, event: EventInput): Promise<void> {
    const row = await tx.birthApplicationEvent.create({
      data: {
        applicationId: application.id,
        at: this.deps.now(),
        actor: event.actor,
        type: event.type,
        step: event.step ?? null,
        revision: application.revision,
        detail: (event.detail ?? undefined) as Prisma.InputJsonValue | undefined,
      },
      select: { seq: true },
    });
    await tx.$executeRaw`SELECT pg_notify(${NOTIFY_CHANNEL}, ${`${application.id}:${row.seq}`})`;
  }

  /** The audit event of a workflow action on the case's people (parents, household head, child). */
  async audit(tx: Tx, application: BirthApplication, operation: string, requestId: string): Promise<void> {
    const people = [application.motherCitizenId, application.fatherCitizenId, application.childCitizenId].filter(
      (id): id is string => !!id,
    );
    await this.deps.audit.appendIn(tx, [
      {
        time: this.deps.now(),
        consumerId: application.consumerId,
        consumerCode: application.consumerCode,
        purpose: BIRTH_PURPOSE,
        operationName: operation,
        documentHash: sha256(`${operation}\n${application.id}\n${requestId}`),
        subjects: [...new Set(people.map((id) => subjectHash(this.deps.subjectHashKey, id)))].sort(),
        catalogueItems: [],
        outcome: 'OK',
        requestId,
      },
    ]);
  }

  async load(tx: Tx, id: string): Promise<CaseWithSteps | null> {
    return tx.birthApplication.findUnique({ where: { id }, include: { steps: true } });
  }

  inputsOf(application: CaseWithSteps): StepInputs {
    const input = application.input as unknown as BirthApplicationInput;
    const produced: Partial<Record<StepCode, string>> = {};
    for (const step of application.steps)
      if (step.state === 'SUCCEEDED' && step.identifier) produced[step.code as StepCode] = step.identifier;
    return {
      input,
      registeringParentCitizenId:
        application.registeringParent === 'FATHER' ? application.fatherCitizenId : application.motherCitizenId,
      produced,
    };
  }

  /**
   * Moves the case forward: BLOCKED steps whose needs have all succeeded become READY; a case whose steps
   * are all done is COMPLETED. Returns the steps to run, or done when the revision has nothing to run.
   */
  advance(id: string, revision: number): Promise<AdvancePlan> {
    return this.transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM birth_application WHERE id = ${id} FOR UPDATE`;
      const application = await this.load(tx, id);
      if (!application) return { done: true, status: 'MISSING', run: [] };
      if (
        application.revision !== revision ||
        TERMINAL_CASE.has(application.status) ||
        application.status === 'NEEDS_CORRECTION'
      ) {
        return { done: true, status: application.status, run: [] };
      }
      const byCode = new Map(application.steps.map((s) => [s.code, s]));
      const now = this.deps.now();
      for (const definition of BIRTH_STEPS) {
        const step = byCode.get(definition.code);
        if (!step || step.state !== 'BLOCKED') continue;
        if (definition.needs.every((need) => DONE_STEP.has(byCode.get(need)?.state ?? ''))) {
          const updated = await tx.birthApplicationStep.update({
            where: { applicationId_code: { applicationId: id, code: definition.code } },
            data: { state: 'READY', readyAt: now },
          });
          byCode.set(definition.code, updated);
          await this.event(tx, application, { type: 'STEP_READY', actor: 'hub', step: definition.code });
        }
      }
      const steps = [...byCode.values()];
      if (steps.every((s) => DONE_STEP.has(s.state))) {
        await tx.birthApplication.update({ where: { id }, data: { status: 'COMPLETED', closedAt: now } });
        await this.event(tx, application, { type: 'COMPLETED', actor: 'hub' });
        await this.audit(tx, application, 'birthApplication.completed', `birth:${id}:completed`);
        return { done: true, status: 'COMPLETED', run: [] };
      }
      if (application.status === 'SUBMITTED') {
        await tx.birthApplication.update({ where: { id }, data: { status: 'IN_PROGRESS' } });
      }
      const run = BIRTH_STEPS.map((d) => byCode.get(d.code))
        .filter((s): s is BirthApplicationStep => !!s && ['READY', 'DISPATCHED', 'AWAITING_REPLY'].includes(s.state))
        .map((s) => ({ code: s.code as StepCode, keyRevision: s.keyRevision }));
      // Nothing runnable and not complete: a step failed or was rejected; the case waits (and shows as overdue).
      return { done: run.length === 0, status: 'IN_PROGRESS', run };
    });
  }

  /** The step's state for a round of its workflow, read in one transaction; writes nothing. */
  stepRound(id: string, code: StepCode, keyRevision: number): Promise<StepRound> {
    return this.transaction(async (tx) => {
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code);
      if (!application || !step) return { stop: 'MISSING' };
      if (step.keyRevision !== keyRevision) return { stop: 'SUPERSEDED' };
      if (FINAL_STEP.has(step.state)) return { stop: step.state };
      if (application.status === 'CANCELLED' || application.status === 'REJECTED') return { stop: application.status };
      return {
        state: step.state,
        idempotencyKey: step.idempotencyKey,
        attempts: step.attempts,
        deadlineAt: step.deadlineAt?.toISOString() ?? null,
        inputs: this.inputsOf(application),
      };
    });
  }

  /**
   * A step past its deadline was looked up at its department by key instead of being commanded again: the
   * finding goes into the history (STEP_READ_BACK) with its audit event, and the step is OVERDUE (once).
   */
  recordReadBack(id: string, code: StepCode, keyRevision: number, finding: ReadBackFinding): Promise<void> {
    return this.transaction(async (tx) => {
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code && s.keyRevision === keyRevision);
      if (!application || !step || FINAL_STEP.has(step.state)) return;
      const definition = stepDefinition(code);
      await this.event(tx, application, {
        type: 'STEP_READ_BACK',
        actor: `department:${definition.connector}`,
        step: code,
        detail: { idempotencyKey: step.idempotencyKey, command: definition.command, finding },
      });
      await this.audit(tx, application, `birthApplication.readBack.${code}`, step.idempotencyKey);
      await this.markOverdueIn(tx, application, step);
    });
  }

  /**
   * A workflow of the case ended in error (its hub-database steps ran out of retries: an outage longer than
   * they last, or a bug): recorded once per error (`erroredAt` identifies it, so several hub processes seeing
   * the same error record it once; `claimed` says whether this call did), with the step it ran (null: the case
   * workflow). The step — for the case workflow every step not yet final — is marked OVERDUE, so the case is
   * on the overdue list at once instead of at its due date. `errors`: how many errors that workflow has had.
   */
  recordWorkflowError(
    id: string,
    step: { code: StepCode; keyRevision: number } | null,
    workflowId: string,
    erroredAt: string,
    error: string,
  ): Promise<{ claimed: boolean; errors: number }> {
    return this.transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM birth_application WHERE id = ${id} FOR UPDATE`;
      const application = await this.load(tx, id);
      if (!application) return { claimed: false, errors: 0 };
      const earlier = (
        await tx.birthApplicationEvent.findMany({
          where: { applicationId: id, type: 'WORKFLOW_ERROR' },
          select: { detail: true },
        })
      )
        .map((event) => event.detail as { workflowId?: string; erroredAt?: string } | null)
        .filter((detail) => detail?.workflowId === workflowId);
      if (earlier.some((detail) => detail?.erroredAt === erroredAt)) return { claimed: false, errors: earlier.length };
      await this.event(tx, application, {
        type: 'WORKFLOW_ERROR',
        actor: 'hub',
        step: step?.code ?? null,
        detail: { workflowId, erroredAt, error: error.slice(0, 300), errors: earlier.length + 1 },
      });
      const late = application.steps.filter(
        (s) => !FINAL_STEP.has(s.state) && (step === null || (s.code === step.code && s.keyRevision === step.keyRevision)),
      );
      for (const s of late) await this.markOverdueIn(tx, application, s);
      return { claimed: true, errors: earlier.length + 1 };
    });
  }

  /** Records a dispatch before the department is called (state DISPATCHED, attempts + 1, deadline set once). */
  beginDispatch(id: string, code: StepCode, keyRevision: number): Promise<DispatchPlan> {
    return this.transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM birth_application WHERE id = ${id} FOR UPDATE`;
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code);
      if (!application || !step) return { stop: 'MISSING' };
      if (step.keyRevision !== keyRevision) return { stop: 'SUPERSEDED' };
      if (FINAL_STEP.has(step.state)) return { stop: step.state };
      if (application.status === 'CANCELLED' || application.status === 'REJECTED') return { stop: application.status };
      const definition = stepDefinition(code);
      const inputs = this.inputsOf(application);
      const input = definition.buildInput(inputs);
      const now = this.deps.now();
      const deadlineAt = step.deadlineAt ?? new Date(now.getTime() + this.stepDeadlineMs);
      if (step.state === 'AWAITING_REPLY') {
        return {
          idempotencyKey: step.idempotencyKey,
          input,
          state: step.state,
          attempts: step.attempts,
          deadlineAt: deadlineAt.toISOString(),
          inputs,
          childCitizenId: application.childCitizenId,
        };
      }
      const updated = await tx.birthApplicationStep.update({
        where: { applicationId_code: { applicationId: id, code } },
        data: {
          state: 'DISPATCHED',
          attempts: { increment: 1 },
          dispatchedAt: step.dispatchedAt ?? now,
          deadlineAt,
          inputHash: sha256(JSON.stringify(input)),
        },
      });
      await this.event(tx, application, {
        type: 'STEP_DISPATCHED',
        actor: 'hub',
        step: code,
        detail: {
          idempotencyKey: step.idempotencyKey,
          attempt: updated.attempts,
          connector: definition.connector,
          command: definition.command,
        },
      });
      await this.audit(tx, application, `birthApplication.dispatch.${code}`, step.idempotencyKey);
      return {
        idempotencyKey: step.idempotencyKey,
        input,
        state: 'DISPATCHED',
        attempts: updated.attempts,
        deadlineAt: deadlineAt.toISOString(),
        inputs,
        childCitizenId: application.childCitizenId,
      };
    });
  }

  stepDeadlineMs = 4 * 3600_000;

  /** A transient failure: the step stays DISPATCHED and is retried with the same key; OVERDUE once past its deadline. */
  recordRetry(id: string, code: StepCode, keyRevision: number, error: string, retryInMs: number): Promise<void> {
    return this.transaction(async (tx) => {
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code && s.keyRevision === keyRevision);
      if (!application || !step || FINAL_STEP.has(step.state)) return;
      const overdueNow = !step.overdue && step.deadlineAt !== null && step.deadlineAt.getTime() <= this.deps.now().getTime();
      await tx.birthApplicationStep.update({
        where: { applicationId_code: { applicationId: id, code } },
        data: { lastError: error.slice(0, 300), ...(overdueNow ? { overdue: true } : {}) },
      });
      await this.event(tx, application, {
        type: 'STEP_RETRY',
        actor: 'hub',
        step: code,
        detail: { error: error.slice(0, 300), attempt: step.attempts, retryInMs },
      });
      if (overdueNow)
        await this.event(tx, application, {
          type: 'STEP_OVERDUE',
          actor: 'hub',
          step: code,
          detail: { deadlineAt: step.deadlineAt!.toISOString() },
        });
    });
  }

  /** Marks an asynchronous step past its deadline as OVERDUE (once). */
  markOverdue(id: string, code: StepCode, keyRevision: number): Promise<void> {
    return this.transaction(async (tx) => {
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code && s.keyRevision === keyRevision);
      if (!application || !step || FINAL_STEP.has(step.state)) return;
      await this.markOverdueIn(tx, application, step);
    });
  }

  private async markOverdueIn(tx: Tx, application: CaseWithSteps, step: BirthApplicationStep): Promise<void> {
    if (step.overdue) return;
    await tx.birthApplicationStep.update({
      where: { applicationId_code: { applicationId: application.id, code: step.code } },
      data: { overdue: true },
    });
    await this.event(tx, application, {
      type: 'STEP_OVERDUE',
      actor: 'hub',
      step: step.code as StepCode,
      detail: { deadlineAt: step.deadlineAt?.toISOString() ?? null },
    });
  }

  /** The department accepted the command and will answer later (AWAITING_REPLY). */
  recordAccepted(id: string, code: StepCode, keyRevision: number, sourceRecordId: string | null): Promise<void> {
    return this.transaction(async (tx) => {
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code && s.keyRevision === keyRevision);
      if (!application || !step || step.state !== 'DISPATCHED') return;
      await tx.birthApplicationStep.update({
        where: { applicationId_code: { applicationId: id, code } },
        data: { state: 'AWAITING_REPLY', lastError: null },
      });
      const definition = stepDefinition(code);
      await this.event(tx, application, {
        type: 'STEP_ACCEPTED',
        actor: `department:${definition.connector}`,
        step: code,
        detail: { sourceRecordId },
      });
      await this.audit(tx, application, `birthApplication.reply.${code}`, step.idempotencyKey);
    });
  }

  /** The step's effect is done: its identifier, with lineage. A reply after cancellation is recorded as what happened. */
  recordSuccess(
    id: string,
    code: StepCode,
    keyRevision: number,
    identifier: string,
    lineage: { sourceRecordId: string; sourceUpdatedAt: string | null; fetchedAt: string; via: string },
  ): Promise<void> {
    return this.transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM birth_application WHERE id = ${id} FOR UPDATE`;
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code && s.keyRevision === keyRevision);
      if (!application || !step || step.state === 'SUCCEEDED') return;
      if (step.state === 'CANCELLED' && lineage.via === 'callback') return;
      const definition = stepDefinition(code);
      const afterCancellation = step.state === 'CANCELLED';
      await tx.birthApplicationStep.update({
        where: { applicationId_code: { applicationId: id, code } },
        data: {
          state: 'SUCCEEDED',
          identifier,
          finishedAt: this.deps.now(),
          lastError: null,
          replyReason: null,
          replyField: null,
          replyMessage: null,
          lineage: { department: definition.connector, connector: definition.connector, ...lineage },
        },
      });
      if (code === 'BIRTH_REGISTRATION') {
        await tx.birthApplication.update({ where: { id }, data: { childCitizenId: identifier } });
        application.childCitizenId = identifier;
      }
      await this.event(tx, application, {
        type: afterCancellation ? 'STEP_SUCCEEDED_AFTER_CANCELLATION' : 'STEP_SUCCEEDED',
        actor: `department:${definition.connector}`,
        step: code,
        detail: { identifier, via: lineage.via },
      });
      await this.audit(tx, application, `birthApplication.reply.${code}`, step.idempotencyKey);
    });
  }

  /**
   * The department refused: a reason the applicant can fix → NEEDS_CORRECTION (clock paused), another →
   * REJECTED (terminal); dependent steps stay BLOCKED (or are cancelled when the case is rejected).
   */
  recordRejection(
    id: string,
    code: StepCode,
    keyRevision: number,
    reason: string,
    field: string | null,
    message: string | null,
  ): Promise<void> {
    return this.transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM birth_application WHERE id = ${id} FOR UPDATE`;
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code && s.keyRevision === keyRevision);
      if (!application || !step || FINAL_STEP.has(step.state)) return;
      const definition = stepDefinition(code);
      const now = this.deps.now();
      await tx.birthApplicationStep.update({
        where: { applicationId_code: { applicationId: id, code } },
        data: { state: 'REJECTED', finishedAt: now, replyReason: reason, replyField: field, replyMessage: message },
      });
      await this.event(tx, application, {
        type: 'STEP_REJECTED',
        actor: `department:${definition.connector}`,
        step: code,
        detail: { reason, field, message },
      });
      await this.audit(tx, application, `birthApplication.reply.${code}`, step.idempotencyKey);
      if (application.status === 'CANCELLED') return;
      const fixableField = correctionField(definition, reason, this.inputsOf(application));
      if (fixableField) {
        await tx.birthApplication.update({
          where: { id },
          data: {
            status: 'NEEDS_CORRECTION',
            pausedAt: now,
            correctionStep: code,
            correctionReason: reason,
            correctionField: fixableField,
            correctionMessage: message,
          },
        });
        await this.event(tx, application, {
          type: 'NEEDS_CORRECTION',
          actor: 'hub',
          step: code,
          detail: { reason, field: fixableField, departmentField: field },
        });
      } else {
        await tx.birthApplication.update({
          where: { id },
          data: {
            status: 'REJECTED',
            closedAt: now,
            activeGuard: null,
            correctionStep: code,
            correctionReason: reason,
            correctionField: field,
            correctionMessage: message,
          },
        });
        await tx.birthApplicationStep.updateMany({
          where: { applicationId: id, state: { in: ['BLOCKED', 'READY'] } },
          data: { state: 'CANCELLED' },
        });
        await this.event(tx, application, { type: 'REJECTED', actor: 'hub', step: code, detail: { reason, field } });
      }
    });
  }

  /** A failure retries cannot cure (the department refused the request as malformed): FAILED, case shows as overdue. */
  recordFailure(id: string, code: StepCode, keyRevision: number, error: string): Promise<void> {
    return this.transaction(async (tx) => {
      const application = await this.load(tx, id);
      const step = application?.steps.find((s) => s.code === code && s.keyRevision === keyRevision);
      if (!application || !step || FINAL_STEP.has(step.state)) return;
      await tx.birthApplicationStep.update({
        where: { applicationId_code: { applicationId: id, code } },
        data: { state: 'FAILED', finishedAt: this.deps.now(), lastError: error.slice(0, 300), overdue: true },
      });
      await this.event(tx, application, {
        type: 'STEP_FAILED',
        actor: 'hub',
        step: code,
        detail: { error: error.slice(0, 300) },
      });
    });
  }

  /** Clock: the due date, extended by the working time a correction pause lasted. */
  static resumedDueAt(application: Pick<BirthApplication, 'dueAt' | 'pausedAt'>, now: Date): Date {
    if (!application.pausedAt) return application.dueAt;
    return addWorkingTime(application.dueAt, workingTimeBetween(application.pausedAt, now));
  }
}
