/**
 * The idempotency ledger of a department's commands (table sandbox.command_answer).
 *
 * Contract: `answerOnce(request, work)` runs `work` at most once per (department, Idempotency-Key) and
 * returns the answer it gave to every later request with that key, status code included, without running it
 * again. The ledger row is inserted in the same transaction as the command's own writes, before them: a
 * concurrent request with the same key waits on that row and then replays the committed answer (or, if the
 * first transaction failed, runs the command itself). A key already used for another command or another
 * input is an IdempotencyKeyReusedError (409). Failed work (an exception) leaves no trace, so it can be
 * retried with the same key.
 *
 * `lookup(command, key)` reads the answer given for a key without running anything: the stored answer, null
 * when no request with that key was committed (never received, or still being executed: its row is not
 * visible until it commits, and a command sent then waits on that row and replays its answer), or an
 * IdempotencyKeyReusedError when the key was used for another command. The ledger counts, per key, the
 * command requests (first and replays) and the lookups.
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import type { HttpDepartment } from '../storage';
import { IdempotencyKeyReusedError, InternalError } from './errors';

export interface CommandAnswer {
  httpStatus: number;
  body: unknown;
}

export interface LedgerRequest {
  command: string;
  idempotencyKey: string;
  /** The validated input; its JSON (keys in schema order) identifies the request. */
  input: unknown;
  callbackUrl: string | null;
}

export function requestHash(command: string, input: unknown): string {
  return crypto
    .createHash('sha256')
    .update(`${command}\n${JSON.stringify(input)}`, 'utf8')
    .digest('hex');
}

export class CommandLedger {
  constructor(
    private readonly pool: pg.Pool,
    private readonly department: HttpDepartment,
  ) {}

  async answerOnce(
    request: LedgerRequest,
    work: (tx: pg.PoolClient) => Promise<CommandAnswer>,
  ): Promise<{ answer: CommandAnswer; replayed: boolean }> {
    const hash = requestHash(request.command, request.input);
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN');
      const inserted = await tx.query(
        `INSERT INTO sandbox.command_answer (department, idempotency_key, command, request_hash, callback_url)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (department, idempotency_key) DO NOTHING`,
        [this.department, request.idempotencyKey, request.command, hash, request.callbackUrl],
      );
      if (inserted.rowCount === 0) {
        await tx.query('ROLLBACK');
        const answer = await this.replay(tx, request.command, request.idempotencyKey, hash);
        await tx.query(
          'UPDATE sandbox.command_answer SET requests = requests + 1 WHERE department = $1 AND idempotency_key = $2',
          [this.department, request.idempotencyKey],
        );
        return { answer, replayed: true };
      }
      const answer = await work(tx);
      await tx.query(
        `UPDATE sandbox.command_answer SET http_status = $3, answer = $4
          WHERE department = $1 AND idempotency_key = $2`,
        [this.department, request.idempotencyKey, answer.httpStatus, JSON.stringify(answer.body)],
      );
      await tx.query('COMMIT');
      return { answer, replayed: false };
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      tx.release();
    }
  }

  async lookup(command: string, key: string): Promise<CommandAnswer | null> {
    const { rows } = await this.pool.query<{ command: string; http_status: number | null; answer: unknown }>(
      `UPDATE sandbox.command_answer SET lookups = lookups + 1
        WHERE department = $1 AND idempotency_key = $2
        RETURNING command, http_status, answer`,
      [this.department, key],
    );
    const row = rows[0];
    if (!row || row.http_status === null) return null;
    if (row.command !== command) throw new IdempotencyKeyReusedError();
    return { httpStatus: row.http_status, body: row.answer };
  }

  private async replay(db: pg.ClientBase, command: string, key: string, hash: string): Promise<CommandAnswer> {
    const { rows } = await db.query<{ command: string; request_hash: string; http_status: number | null; answer: unknown }>(
      `SELECT command, request_hash, http_status, answer FROM sandbox.command_answer
        WHERE department = $1 AND idempotency_key = $2`,
      [this.department, key],
    );
    const row = rows[0];
    if (!row || row.http_status === null) throw new InternalError('the answer for this Idempotency-Key is not available yet');
    if (row.command !== command || row.request_hash !== hash) throw new IdempotencyKeyReusedError();
    return { httpStatus: row.http_status, body: row.answer };
  }
}
