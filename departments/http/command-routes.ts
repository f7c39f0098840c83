/**
 * `POST /v1/commands/<command>` of a department's exchange API.
 *
 * Contract: header `Idempotency-Key` (1..128 visible ASCII characters) is required; optional header
 * `X-Callback-Url` (http or https) receives the final record of an asynchronous answer. The body is validated
 * with the command's input schema (400 BAD_REQUEST naming `field` and `reason`). Answers: 200
 * `{"status":"COMPLETED","result"}`, 202 `{"status":"ACCEPTED","result"}` (the department finishes later),
 * 422 `{"status":"REJECTED","reason","field","message"}`. The answer given for a key is given again for that key
 * (idempotency.ts); the same key with another command or input is 409.
 *
 * `GET /v1/commands/<command>` with header `Idempotency-Key` reads the answer given to that key and never
 * executes anything (the key stays out of the URL, as every key does): 200 `{"command","answeredWith","answer"}`
 * (`answeredWith` the status the command was answered with, `answer` its body), 404 `{"error":{"code":
 * "NOT_FOUND","field":"Idempotency-Key","reason":"COMMAND_NOT_RECEIVED"}}` when no request with that key was
 * received (or it is still being executed), 409 when the key was used for another command.
 *
 * Injected fault `lostAnswerRate` (departments/faults.ts): that fraction of command answers (first or replayed)
 * are lost after the command committed; lookups are always answered.
 */
import { Router } from 'express';
import type { DepartmentInterface } from '../../connectors/department-interface';
import type { Logger } from 'pino';
import type { Faults } from '../faults';
import type { StoredEntity } from '../storage';
import type { AnyHandlers, CommandOutcome } from './commands/context';
import { BadRequestError, InternalError, NotFoundError, fromZodError } from './errors';
import type { CommandAnswer, CommandLedger } from './idempotency';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

function callbackUrl(header: string | undefined): string | null {
  if (header === undefined) return null;
  try {
    const url = new URL(header);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // fall through
  }
  throw new BadRequestError('X-Callback-Url must be an http(s) URL', { field: 'X-Callback-Url', reason: 'INVALID_URL' });
}

/** The request's Idempotency-Key, checked (400 naming the header otherwise). */
function idempotencyKeyOf(header: string | undefined): string {
  if (header === undefined) {
    throw new BadRequestError('the Idempotency-Key header is required', { field: 'Idempotency-Key', reason: 'REQUIRED' });
  }
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new BadRequestError('Idempotency-Key must be 1 to 128 visible ASCII characters', {
      field: 'Idempotency-Key',
      reason: 'INVALID_FORMAT',
    });
  }
  return header;
}

export interface CommandRoutesOptions {
  spec: DepartmentInterface;
  handlers: AnyHandlers;
  ledger: CommandLedger;
  entities: ReadonlyMap<string, StoredEntity>;
  logger: Logger;
  faults: () => Readonly<Faults>;
}

export function commandRoutes({ spec, handlers, ledger, entities, logger, faults }: CommandRoutesOptions): Router {
  const router = Router();
  router.get('/v1/commands/:command', async (req, res) => {
    const command = req.params.command;
    if (!Object.hasOwn(spec.commands, command) || !handlers[command]) throw new NotFoundError(`no command ${command}`);
    const answer = await ledger.lookup(command, idempotencyKeyOf(req.get('idempotency-key')));
    if (!answer) {
      throw new NotFoundError('no request with this Idempotency-Key was received', {
        field: 'Idempotency-Key',
        reason: 'COMMAND_NOT_RECEIVED',
      });
    }
    res.json({ command, answeredWith: answer.httpStatus, answer: answer.body });
  });
  router.post('/v1/commands/:command', async (req, res) => {
    const command = req.params.command;
    const commandSpec = Object.hasOwn(spec.commands, command) ? spec.commands[command] : undefined;
    const handler = handlers[command];
    if (!commandSpec || !handler) throw new NotFoundError(`no command ${command}`);
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    const callback = callbackUrl(req.get('x-callback-url'));
    const parsed = commandSpec.input.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error);
    const input = parsed.data;

    const { answer, replayed } = await ledger.answerOnce(
      { command, idempotencyKey, input, callbackUrl: callback },
      async (tx): Promise<CommandAnswer> => {
        const outcome: CommandOutcome = await (handler as (i: unknown, c: unknown) => Promise<CommandOutcome>)(input, {
          tx,
          idempotencyKey,
          entities,
        });
        if (outcome.status === 'REJECTED') return { httpStatus: 422, body: outcome };
        const result = commandSpec.result.safeParse(outcome.result);
        if (!result.success) {
          const issue = result.error.issues[0]!;
          logger.error({ command, field: issue.path.join('.'), reason: issue.code }, 'command result breaks its schema');
          throw new InternalError();
        }
        return {
          httpStatus: outcome.status === 'ACCEPTED' ? 202 : 200,
          body: { status: outcome.status, result: outcome.result },
        };
      },
    );
    if (Math.random() < faults().lostAnswerRate) {
      // Injected: the effect is committed, the answer never reaches the caller.
      req.socket.destroy();
      return;
    }
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(answer.httpStatus).json(answer.body);
  });
  return router;
}
