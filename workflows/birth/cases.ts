/**
 * The 出生一件事 use cases called by schema/birth-application.ts: submit (pre-review, duplicate guard,
 * idempotency), correct, cancel, read and list. Writes happen in one hub-database transaction with their
 * history and audit events; the case's workflow is started after the commit (and by the reconciler if this
 * process dies in between).
 */
import { randomBytes } from 'node:crypto';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../domain/errors';
import { inRegionScopeOf } from './scope';
import { addWorkingDays, uncoveredYears } from '../../domain/service-clock';
import type { Prisma } from '../../prisma/generated/client';
import type { HubContext } from '../../resolvers/context';
import { BIRTH_STEPS, isChosen, stepIdempotencyKey, type StepCode } from './graph';
import type { BirthApplicationInput } from './input';
import type { BirthServices } from './port';
import { preReview, PreReviewFailedError } from './pre-review';
import { BIRTH_PURPOSE, BirthStore, sha256, type CaseWithSteps } from './store';

/** Purposes under which a consumer may use the joint application (DEMO: the all-access demo consumer). */
const PURPOSES = new Set([BIRTH_PURPOSE, 'DEMO']);
const ACTIVE = ['SUBMITTED', 'IN_PROGRESS', 'NEEDS_CORRECTION'] as const;

function services(ctx: HubContext): BirthServices {
  if (!ctx.joint.birth)
    throw new ForbiddenError('本实例未启用联办 This hub runs no joint applications', { reason: 'SERVICE_DISABLED' });
  if (!PURPOSES.has(ctx.access.purpose)) {
    throw new ForbiddenError(
      '出生一件事须以 BIRTH_JOINT_SERVICE 目的办理 The joint application needs purpose BIRTH_JOINT_SERVICE',
      {
        reason: 'PURPOSE_NOT_APPROVED',
      },
    );
  }
  return ctx.joint.birth;
}

/** JSON with sorted keys: the same input in another field order is the same request. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,100}$/;

function checkKey(key: string): void {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new BadUserInputError('idempotencyKey must be 8 to 100 visible ASCII characters 幂等键格式错误', {
      field: 'idempotencyKey',
      reason: 'INVALID_FORMAT',
    });
  }
}

/** Notes the case's people as subjects of this request's audit event (reading a case is a personal read). */
function audited(ctx: HubContext, application: CaseWithSteps): CaseWithSteps {
  ctx.access.markAudited('personal');
  for (const id of [application.motherCitizenId, application.fatherCitizenId, application.childCitizenId])
    if (id) ctx.access.subjects.add(id);
  const input = application.input as unknown as BirthApplicationInput;
  ctx.access.subjects.add(input.householdHeadCitizenId);
  return application;
}

async function replayed(ctx: HubContext, operation: string, key: string, hash: string): Promise<CaseWithSteps | null> {
  const request = await ctx.prisma.birthApplicationRequest.findUnique({
    where: { consumerId_idempotencyKey: { consumerId: ctx.access.consumer.id, idempotencyKey: key } },
  });
  if (!request) return null;
  if (request.operation !== operation || request.requestHash !== hash) {
    throw new BadUserInputError('此幂等键已用于另一申请 This idempotency key was used with another input', {
      field: 'idempotencyKey',
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
  }
  return ctx.prisma.birthApplication.findUniqueOrThrow({ where: { id: request.applicationId }, include: { steps: true } });
}

const newId = (now: Date) =>
  `BA${now.toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(5).toString('hex').toUpperCase()}`;

export async function submitBirthApplication(ctx: HubContext, raw: unknown, idempotencyKey: string): Promise<CaseWithSteps> {
  const birth = services(ctx);
  checkKey(idempotencyKey);
  const hash = sha256(stableJson(raw));
  const earlier = await replayed(ctx, 'SUBMIT', idempotencyKey, hash);
  if (earlier) return audited(ctx, earlier);

  const passed = await preReview(raw, {
    prisma: ctx.prisma,
    connectors: ctx.connectors,
    now: birth.now,
    ageLimitDays: birth.ageLimitDays,
  });
  const { input } = passed;
  ctx.access.assertInRegionScope(input.enrolmentRegionCode, 'enrolmentRegionCode');
  const guard = `${input.mother.citizenId}|${input.child.birthDate}|${input.child.birthOrder}`;
  const store = birth.store;

  const created = await store.transaction(async (tx) => {
    // Same key, or same child, at the same time: one at a time, then the checks below see the winner.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`birth-request:${ctx.access.consumer.id}:${idempotencyKey}`}))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`birth-guard:${guard}`}))`;
    const request = await tx.birthApplicationRequest.findUnique({
      where: { consumerId_idempotencyKey: { consumerId: ctx.access.consumer.id, idempotencyKey } },
    });
    if (request) {
      if (request.requestHash !== hash || request.operation !== 'SUBMIT') {
        throw new BadUserInputError('此幂等键已用于另一申请 This idempotency key was used with another input', {
          field: 'idempotencyKey',
          reason: 'IDEMPOTENCY_KEY_REUSED',
        });
      }
      return { id: request.applicationId, fresh: false };
    }
    const duplicate = await tx.birthApplication.findUnique({ where: { activeGuard: guard }, select: { id: true } });
    if (duplicate) {
      throw new BadUserInputError('该新生儿已有办理中的联办申请 An application for this child already exists', {
        field: 'child',
        reason: 'DUPLICATE_APPLICATION',
        applicationId: duplicate.id,
      });
    }
    const now = birth.now();
    const id = newId(now);
    const application = await tx.birthApplication.create({
      data: {
        id,
        status: 'SUBMITTED',
        revision: 1,
        input: input,
        registeringParent: passed.registeringParent,
        motherCitizenId: input.mother.citizenId,
        fatherCitizenId: input.father.citizenId,
        childBirthDate: input.child.birthDate,
        birthOrder: input.child.birthOrder,
        activeGuard: guard,
        regionCode: input.enrolmentRegionCode,
        consumerId: ctx.access.consumer.id,
        consumerCode: ctx.access.consumer.code,
        workflowApp: birth.workflowApp,
        submittedAt: now,
        dueAt: addWorkingDays(now, birth.serviceDays),
        steps: {
          create: BIRTH_STEPS.map((step) => ({
            code: step.code,
            state: isChosen(step, input.items) ? 'BLOCKED' : 'SKIPPED',
            connector: step.connector,
            command: step.command,
            keyRevision: 1,
            idempotencyKey: stepIdempotencyKey(id, step.code, 1),
          })),
        },
      },
    });
    await tx.birthApplicationRequest.create({
      data: { consumerId: ctx.access.consumer.id, idempotencyKey, operation: 'SUBMIT', requestHash: hash, applicationId: id },
    });
    const actor = `consumer:${ctx.access.consumer.code}`;
    await store.event(tx, application, { type: 'SUBMITTED', actor, detail: { items: input.items } });
    await store.event(tx, application, {
      type: 'PRE_REVIEW_PASSED',
      actor: 'hub',
      detail: { registeringParent: passed.registeringParent },
    });
    await store.audit(tx, application, 'submitBirthApplication', ctx.requestId);
    return { id, fresh: true };
  });
  if (created.fresh) await startQuietly(ctx, birth, created.id, 1);
  const application = await ctx.prisma.birthApplication.findUniqueOrThrow({
    where: { id: created.id },
    include: { steps: true },
  });
  const estimated = uncoveredYears(application.submittedAt, application.dueAt);
  if (created.fresh && estimated.length > 0)
    ctx.logger.warn(
      { application: application.id, years: estimated },
      'birth case due date counts weekends only: the calendar has no holiday notice for these years',
    );
  return audited(ctx, application);
}

async function startQuietly(ctx: HubContext, birth: BirthServices, id: string, revision: number): Promise<void> {
  try {
    await birth.control.startCase(id, revision);
  } catch (error) {
    // Committed: the reconciler starts it on the next heartbeat round.
    ctx.logger.warn({ err: { message: (error as Error).message }, application: id }, 'birth case workflow not started yet');
  }
}

export interface BirthApplicationPatch {
  child?: Partial<BirthApplicationInput['child']> | null;
  mother?: Partial<BirthApplicationInput['mother']> | null;
  father?: Partial<BirthApplicationInput['father']> | null;
  marriageCertificateNumber?: string | null;
  householdHeadCitizenId?: string | null;
  householdConsent?: boolean | null;
  enrolmentRegionCode?: string | null;
  cardBank?: string | null;
}

function merge(input: BirthApplicationInput, patch: BirthApplicationPatch): BirthApplicationInput {
  const pick = <T extends object>(base: T, over: Partial<T> | null | undefined): T => ({
    ...base,
    ...Object.fromEntries(Object.entries(over ?? {}).filter(([, v]) => v !== null && v !== undefined)),
  });
  return {
    ...input,
    child: pick(input.child, patch.child),
    mother: pick(input.mother, patch.mother),
    father: pick(input.father, patch.father),
    marriageCertificateNumber: patch.marriageCertificateNumber ?? input.marriageCertificateNumber,
    householdHeadCitizenId: patch.householdHeadCitizenId ?? input.householdHeadCitizenId,
    householdConsent: patch.householdConsent ?? input.householdConsent,
    enrolmentRegionCode: patch.enrolmentRegionCode ?? input.enrolmentRegionCode,
    cardBank: patch.cardBank ?? input.cardBank,
  };
}

async function findCase(ctx: HubContext, id: string): Promise<CaseWithSteps> {
  const application = await ctx.prisma.birthApplication.findUnique({ where: { id }, include: { steps: true } });
  if (!application || !inRegionScopeOf(ctx, application.regionCode)) {
    throw new NotFoundError('无此联办申请 No such birth application', { field: 'id', reason: 'UNKNOWN_APPLICATION' });
  }
  return application;
}

export async function correctBirthApplication(
  ctx: HubContext,
  id: string,
  patch: BirthApplicationPatch,
  idempotencyKey: string,
): Promise<CaseWithSteps> {
  const birth = services(ctx);
  checkKey(idempotencyKey);
  const hash = sha256(stableJson({ id, patch }));
  const earlier = await replayed(ctx, 'CORRECT', idempotencyKey, hash);
  if (earlier) return audited(ctx, earlier);
  const application = await findCase(ctx, id);
  if (application.status !== 'NEEDS_CORRECTION') {
    throw new BadUserInputError('该申请不在待补正状态 The application is not waiting for a correction', {
      field: 'id',
      reason: 'NOT_AWAITING_CORRECTION',
    });
  }
  const merged = merge(application.input as unknown as BirthApplicationInput, patch);
  const passed = await preReview(merged, {
    prisma: ctx.prisma,
    connectors: ctx.connectors,
    now: birth.now,
    ageLimitDays: birth.ageLimitDays,
  });
  // A correction may not change what a succeeded step sent: that department's record stands (one of each per child).
  const store = birth.store;
  const trial = {
    ...application,
    input: passed.input as unknown as Prisma.JsonValue,
    registeringParent: passed.registeringParent,
  };
  const inputs = store.inputsOf(trial);
  const changed = application.steps.filter((step) => {
    if (step.state !== 'SUCCEEDED' || !step.inputHash) return false;
    const definition = BIRTH_STEPS.find((d) => d.code === step.code)!;
    return sha256(JSON.stringify(definition.buildInput(inputs))) !== step.inputHash;
  });
  if (changed.length > 0) {
    throw new PreReviewFailedError(
      changed.map((step) => ({
        field: 'patch',
        reason: 'CHANGES_COMPLETED_STEP',
        message: `已办结的 ${step.code} 不能更改 ${step.code} is done; its inputs cannot change`,
      })),
    );
  }
  const revision = await store.transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM birth_application WHERE id = ${id} FOR UPDATE`;
    const request = await tx.birthApplicationRequest.findUnique({
      where: { consumerId_idempotencyKey: { consumerId: ctx.access.consumer.id, idempotencyKey } },
    });
    if (request) return null;
    const locked = await tx.birthApplication.findUniqueOrThrow({ where: { id } });
    if (locked.status !== 'NEEDS_CORRECTION') {
      throw new BadUserInputError('该申请不在待补正状态 The application is not waiting for a correction', {
        field: 'id',
        reason: 'NOT_AWAITING_CORRECTION',
      });
    }
    const now = birth.now();
    const next = locked.revision + 1;
    const updated = await tx.birthApplication.update({
      where: { id },
      data: {
        revision: next,
        input: passed.input,
        registeringParent: passed.registeringParent,
        status: 'IN_PROGRESS',
        dueAt: BirthStore.resumedDueAt(locked, now),
        pausedAt: null,
        workflowStartedAt: null,
        correctionStep: null,
        correctionReason: null,
        correctionField: null,
        correctionMessage: null,
      },
    });
    for (const step of application.steps.filter((s) => s.state === 'REJECTED')) {
      await tx.birthApplicationStep.update({
        where: { applicationId_code: { applicationId: id, code: step.code } },
        data: {
          state: 'BLOCKED',
          keyRevision: next,
          idempotencyKey: stepIdempotencyKey(id, step.code as StepCode, next),
          attempts: 0,
          readyAt: null,
          dispatchedAt: null,
          finishedAt: null,
          deadlineAt: null,
          overdue: false,
          replyReason: null,
          replyField: null,
          replyMessage: null,
          lastError: null,
        },
      });
    }
    await tx.birthApplicationRequest.create({
      data: { consumerId: ctx.access.consumer.id, idempotencyKey, operation: 'CORRECT', requestHash: hash, applicationId: id },
    });
    await store.event(tx, updated, {
      type: 'CORRECTED',
      actor: `consumer:${ctx.access.consumer.code}`,
      detail: { fields: Object.keys(patch) },
    });
    await store.event(tx, updated, {
      type: 'PRE_REVIEW_PASSED',
      actor: 'hub',
      detail: { registeringParent: passed.registeringParent },
    });
    await store.audit(tx, updated, 'correctBirthApplication', ctx.requestId);
    return next;
  });
  if (revision !== null) await startQuietly(ctx, birth, id, revision);
  return audited(ctx, await ctx.prisma.birthApplication.findUniqueOrThrow({ where: { id }, include: { steps: true } }));
}

export async function cancelBirthApplication(ctx: HubContext, id: string, reason: string): Promise<CaseWithSteps> {
  const birth = services(ctx);
  if (!reason.trim() || reason.length > 500) {
    throw new BadUserInputError('须说明撤回理由（至多 500 字）A reason of 1 to 500 characters is needed', {
      field: 'reason',
      reason: 'REASON_REQUIRED',
    });
  }
  await findCase(ctx, id);
  const store = birth.store;
  const cancelled = await store.transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM birth_application WHERE id = ${id} FOR UPDATE`;
    const application = (await store.load(tx, id))!;
    if (application.status === 'CANCELLED') return [];
    if (!(ACTIVE as readonly string[]).includes(application.status)) {
      throw new BadUserInputError(
        `已${application.status}的申请不能撤回 A ${application.status} application cannot be cancelled`,
        { field: 'id', reason: 'NOT_CANCELLABLE' },
      );
    }
    const open = application.steps.filter((s) =>
      ['BLOCKED', 'READY', 'DISPATCHED', 'AWAITING_REPLY', 'REJECTED'].includes(s.state),
    );
    const done = application.steps.filter((s) => s.state === 'SUCCEEDED').map((s) => s.code);
    await tx.birthApplicationStep.updateMany({
      where: { applicationId: id, code: { in: open.map((s) => s.code) } },
      data: { state: 'CANCELLED', finishedAt: birth.now() },
    });
    await tx.birthApplication.update({
      where: { id },
      data: { status: 'CANCELLED', cancelReason: reason, closedAt: birth.now(), activeGuard: null, pausedAt: null },
    });
    await store.event(tx, application, {
      type: 'CANCELLED',
      actor: `consumer:${ctx.access.consumer.code}`,
      detail: { reason, registered: done.includes('BIRTH_REGISTRATION'), done, cancelled: open.map((s) => s.code) },
    });
    await store.audit(tx, application, 'cancelBirthApplication', ctx.requestId);
    return open.filter((s) => s.state === 'DISPATCHED' || s.state === 'AWAITING_REPLY');
  });
  for (const step of cancelled) {
    await birth.control.signalStep(id, step.code as StepCode, step.keyRevision, { kind: 'cancel' }).catch(() => undefined);
  }
  return audited(ctx, await ctx.prisma.birthApplication.findUniqueOrThrow({ where: { id }, include: { steps: true } }));
}

export async function getBirthApplication(ctx: HubContext, id: string): Promise<CaseWithSteps | null> {
  services(ctx);
  const application = await ctx.prisma.birthApplication.findUnique({ where: { id }, include: { steps: true } });
  if (!application || !inRegionScopeOf(ctx, application.regionCode)) return null;
  return audited(ctx, application);
}

export interface BirthApplicationFilter {
  status?: string | null;
  regionCode?: string | null;
  overdue?: boolean | null;
  submittedFrom?: Date | null;
  submittedTo?: Date | null;
}

/** The where clause of a staff list (region scope applied). */
export function listWhere(ctx: HubContext, filter: BirthApplicationFilter | null | undefined): Prisma.BirthApplicationWhereInput {
  services(ctx);
  const region = ctx.access.listRegion(filter?.regionCode ?? undefined);
  if (region === null) return { id: { in: [] } };
  const now = ctx.joint.birth!.now();
  const overdueClause: Prisma.BirthApplicationWhereInput = {
    // As caseIsOverdue reads it: a step done (or cancelled) after being late no longer keeps the case on the list.
    OR: [
      { steps: { some: { overdue: true, state: { notIn: ['SUCCEEDED', 'SKIPPED', 'CANCELLED'] } } } },
      { status: { in: ['SUBMITTED', 'IN_PROGRESS'] }, dueAt: { lt: now } },
    ],
  };
  return {
    ...(filter?.status ? { status: filter.status as never } : {}),
    ...(region ? { regionCode: { startsWith: regionPrefixOf(region) } } : {}),
    ...(filter?.submittedFrom || filter?.submittedTo
      ? {
          submittedAt: {
            ...(filter.submittedFrom ? { gte: filter.submittedFrom } : {}),
            ...(filter.submittedTo ? { lte: filter.submittedTo } : {}),
          },
        }
      : {}),
    ...(filter?.overdue === true ? overdueClause : filter?.overdue === false ? { NOT: overdueClause } : {}),
  };
}

import { regionPrefix as regionPrefixOf } from '../../domain/regions';

/** Whether the case is overdue: a step past its deadline or failed, or an open case past its due date. */
export function isOverdue(application: CaseWithSteps, now: Date): boolean {
  if (application.steps.some((s) => s.overdue && !['SUCCEEDED', 'SKIPPED', 'CANCELLED'].includes(s.state))) return true;
  return ['SUBMITTED', 'IN_PROGRESS'].includes(application.status) && application.dueAt.getTime() < now.getTime();
}
