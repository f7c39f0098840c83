/**
 * 人社 asynchronous card issuance: an application accepted through the hub (applyForCard) is ISSUED with a
 * card number `delayMs` after its acceptance. Then, for every applyForCard request that was answered with
 * this application and carried `X-Callback-Url`, the final record is POSTed there as JSON (header
 * `Idempotency-Key`: the request's key), best-effort: up to 5 attempts with exponential backoff, a 5 s budget
 * each, any 2xx accepts it.
 *
 * Contract: work is found by polling storage (every `pollMs`), not held in memory, so a restarted process
 * issues what is due; applications created outside the hub (no idempotency key) are left alone. Several
 * processes may run: each due application is claimed by one (FOR UPDATE SKIP LOCKED). Callbacks lost in a
 * crash are not re-sent; the record itself (cardApplication batchGet) is authoritative.
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type pg from 'pg';
import type { Logger } from 'pino';
import { recordJsonSql, type StoredEntity } from '../storage';

export interface CardIssuerOptions {
  pool: pg.Pool;
  entity: StoredEntity;
  logger: Logger;
  delayMs: number;
  pollMs?: number;
}

const callbackPolicy = retry(handleAll, {
  maxAttempts: 4,
  backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 8000 }),
});

export class CardIssuer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(private readonly options: CardIssuerOptions) {}

  start(): void {
    const pollMs = this.options.pollMs ?? Math.max(100, Math.min(1000, this.options.delayMs / 4));
    this.timer = setInterval(() => {
      this.running = this.running
        .then(() => this.issueDue())
        .catch((error: Error) => {
          this.options.logger.warn({ err: { message: error.message } }, 'card issuance round failed');
        });
    }, pollMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running.catch(() => undefined);
  }

  private async issueDue(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const { pool, entity } = this.options;
    const { rows } = await pool.query<{ record: Record<string, unknown>; application_id: string }>(
      `WITH due AS (
         SELECT application_id FROM social_security.card_application
          WHERE status = 'ACCEPTED' AND idempotency_key IS NOT NULL
            AND updated_at <= now() - make_interval(secs => $1::float8 / 1000)
          ORDER BY updated_at LIMIT 100
          FOR UPDATE SKIP LOCKED)
       UPDATE social_security.card_application t
          SET status = 'ISSUED', card_number = 'CQ' || right(t.application_id, 9), updated_at = now()
         FROM due WHERE t.application_id = due.application_id
       RETURNING ${recordJsonSql(entity)} AS record, t.application_id`,
      [this.options.delayMs],
    );
    for (const row of rows) {
      const callbacks = await pool.query<{ idempotency_key: string; callback_url: string }>(
        `SELECT idempotency_key, callback_url FROM sandbox.command_answer
          WHERE department = 'social-security' AND command = 'applyForCard' AND callback_url IS NOT NULL
            AND http_status = 202 AND answer -> 'result' ->> 'applicationId' = $1`,
        [row.application_id],
      );
      for (const callback of callbacks.rows) void this.deliver(callback.callback_url, callback.idempotency_key, row.record);
    }
    if (rows.length) this.options.logger.info({ issued: rows.length }, 'social security cards issued');
  }

  private async deliver(url: string, idempotencyKey: string, record: Record<string, unknown>): Promise<void> {
    try {
      await callbackPolicy.execute(async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(record),
          signal: AbortSignal.any([AbortSignal.timeout(5000), this.stopping.signal]),
        });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`callback answered HTTP ${response.status}`);
      }, this.stopping.signal);
      this.options.logger.info('card callback delivered');
    } catch (error) {
      this.options.logger.warn({ err: { message: (error as Error).message } }, 'card callback not delivered');
    }
  }
}
