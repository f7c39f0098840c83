/**
 * Asynchronous replies from departments (`POST /callbacks/birth-steps/<token>`). A callback is a notification:
 * it wakes the step's workflow, which then reads the department's record (authoritative) and records the
 * outcome. So a callback changes nothing by itself, and
 * - a forged or altered token (no step) → 401, logged;
 * - a malformed body (not a JSON object) → 400, logged;
 * - a replay (same step key, same body) → 200, de-duplicated by the receipt table, logged;
 * - a late callback (the step is no longer waiting: cancelled, done) → 200, recorded in the history, logged.
 */
import type { Logger } from 'pino';
import { verifyCallbackToken } from './callback-token';
import type { StepCode } from './graph';
import type { BirthWorkflowControl } from './runtime';
import { sha256, type BirthStore } from './store';
import { stableJson } from './cases';

export interface CallbackDependencies {
  store: BirthStore;
  control: BirthWorkflowControl;
  secret: string;
  logger: Logger;
}

export interface CallbackAnswer {
  status: number;
  outcome: 'FORGED' | 'MALFORMED' | 'UNKNOWN_STEP' | 'REPLAYED' | 'LATE' | 'ACCEPTED';
}

export async function receiveCallback(
  deps: CallbackDependencies,
  token: string,
  body: unknown,
  headerKey: string | undefined,
): Promise<CallbackAnswer> {
  const key = verifyCallbackToken(deps.secret, token);
  if (!key || (headerKey !== undefined && headerKey !== key)) {
    deps.logger.warn({ outcome: 'FORGED' }, 'birth callback refused: token not issued by this hub');
    return { status: 401, outcome: 'FORGED' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    deps.logger.warn({ outcome: 'MALFORMED', stepKey: key }, 'birth callback refused: malformed body');
    return { status: 400, outcome: 'MALFORMED' };
  }
  const digest = sha256(stableJson(body));
  const outcome = await deps.store.transaction(async (tx) => {
    const step = await tx.birthApplicationStep.findUnique({ where: { idempotencyKey: key }, include: { application: true } });
    if (!step) return { outcome: 'UNKNOWN_STEP' as const };
    const receipt = await tx.birthCallbackReceipt.createMany({
      data: [{ idempotencyKey: key, replyDigest: digest }],
      skipDuplicates: true,
    });
    if (receipt.count === 0) return { outcome: 'REPLAYED' as const };
    const late = step.state !== 'AWAITING_REPLY' || step.application.status === 'CANCELLED';
    await deps.store.event(tx, step.application, {
      type: late ? 'CALLBACK_IGNORED' : 'CALLBACK_RECEIVED',
      actor: `department:${step.connector}`,
      step: step.code as StepCode,
      detail: { digest, stepState: step.state },
    });
    return { outcome: late ? ('LATE' as const) : ('ACCEPTED' as const), step };
  });
  if (outcome.outcome === 'UNKNOWN_STEP') {
    deps.logger.warn({ outcome: 'UNKNOWN_STEP' }, 'birth callback for no known step');
    return { status: 404, outcome: 'UNKNOWN_STEP' };
  }
  if (outcome.outcome === 'REPLAYED' || outcome.outcome === 'LATE') {
    deps.logger.info({ outcome: outcome.outcome, stepKey: key }, 'birth callback changes nothing');
    return { status: 200, outcome: outcome.outcome };
  }
  const step = outcome.step;
  await deps.control.signalStep(
    step.applicationId,
    step.code as StepCode,
    step.keyRevision,
    { kind: 'callback' },
    `callback:${key}:${digest}`,
  );
  deps.logger.info({ outcome: 'ACCEPTED', stepKey: key }, 'birth callback received');
  return { status: 202, outcome: 'ACCEPTED' };
}
