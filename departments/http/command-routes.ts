/**
 * `POST /v1/commands/<command>` of a department's exchange API.
 *
 * Contract: header `Idempotency-Key` (1..128 visible ASCII characters) is required; optional header
 * `X-Callback-Url` (http or https) receives the final record of an asynchronous answer. The body is validated
 * with the command's input schema (400 BAD_REQUEST naming `field` and `reason`). Answers: 200
 * `{"status":"COMPLETED","result"}`, 202 `{"status":"ACCEPTED","result"}` (the department finishes later),
 * 422 `{"status":"REJECTED","reason","field","message"}`. The answer given for a key is given again for that key
 * (idempotency.ts); the same key with another command or input is 409.
 */
import { Router } from 'express';
import type { DepartmentInterface } from '../../connectors/department-interface';
import type { Logger } from 'pino';
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

export interface CommandRoutesOptions {
  spec: DepartmentInterface;
  handlers: AnyHandlers;
  ledger: CommandLedger;
  entities: ReadonlyMap<string, StoredEntity>;
  logger: Logger;
}

export function commandRoutes({ spec, handlers, ledger, entities, logger }: CommandRoutesOptions): Router {
  const router = Router();
  router.post('/v1/commands/:command', async (req, res) => {
    const command = req.params.command;
    const commandSpec = Object.hasOwn(spec.commands, command) ? spec.commands[command] : undefined;
    const handler = handlers[command];
    if (!commandSpec || !handler) throw new NotFoundError(`no command ${command}`);
    const idempotencyKey = req.get('idempotency-key');
    if (idempotencyKey === undefined) {
      throw new BadRequestError('the Idempotency-Key header is required', { field: 'Idempotency-Key', reason: 'REQUIRED' });
    }
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestError('Idempotency-Key must be 1 to 128 visible ASCII characters', {
        field: 'Idempotency-Key',
        reason: 'INVALID_FORMAT',
      });
    }
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
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(answer.httpStatus).json(answer.body);
  });
  return router;
}
