/**
 * Keeps a department service's injected faults current: LISTENs on the sandbox fault channel and reloads the
 * department's row from `sandbox.fault` when it is announced, then acknowledges with the row's version
 * (departments/faults.ts). Requests read `current()`, which is a plain memory read: no query per request.
 *
 * Contract: `start()` resolves once the listener is connected and the faults are loaded (it rejects if the
 * database cannot be reached). A lost connection is re-established with exponential backoff (and the faults
 * reloaded); meanwhile the last known faults stay in force. `stop()` ends the connection and the retries.
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import pg from 'pg';
import type { Logger } from 'pino';
import {
  FAULT_APPLIED_CHANNEL,
  FAULT_CHANNEL,
  NO_FAULTS,
  SELECT_FAULTS_SQL,
  faultListenerName,
  faultsFromRow,
  type FaultRow,
  type Faults,
} from '../faults';
import type { HttpDepartment } from '../storage';

export class FaultListener {
  private faults: Faults = { ...NO_FAULTS };
  private client: pg.Client | undefined;
  private readonly stopping = new AbortController();
  private readonly reconnectPolicy = retry(handleAll, {
    maxAttempts: Number.MAX_SAFE_INTEGER,
    backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5000 }),
  });

  constructor(
    private readonly databaseUrl: string,
    private readonly department: HttpDepartment,
    private readonly logger: Logger,
  ) {}

  current(): Readonly<Faults> {
    return this.faults;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: faultListenerName(this.department) });
    client.on('notification', (message) => {
      if (message.channel === FAULT_CHANNEL && message.payload === this.department) void this.reload(client);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${FAULT_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopping.signal.aborted) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    await this.reload(client);
  }

  /** Loads the department's row and acknowledges its version. */
  private async reload(client: pg.Client): Promise<void> {
    try {
      const { rows } = await client.query<FaultRow>(SELECT_FAULTS_SQL, [this.department]);
      const { faults, version } = faultsFromRow(rows[0]);
      this.faults = faults;
      await client.query('SELECT pg_notify($1, $2)', [
        FAULT_APPLIED_CHANNEL,
        JSON.stringify({ department: this.department, version }),
      ]);
      this.logger.info({ faults }, 'faults applied');
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'faults could not be reloaded');
    }
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client || this.stopping.signal.aborted) return;
    this.client = undefined;
    this.logger.warn({ reason: error?.message ?? 'connection ended' }, 'fault listener disconnected; reconnecting');
    client.end().catch(() => undefined);
    this.reconnectPolicy.execute(() => this.connect(), this.stopping.signal).catch(() => undefined);
  }
}
