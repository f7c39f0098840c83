/**
 * One LISTEN connection per hub process for the database's change announcements, shared by every cache that
 * must not outlive a change: the key lookups (channel hub_consumer_change) and reference data such as the region
 * tree (hub_reference_change). Triggers announce each change at commit (migrations `consumer_change_notify`,
 * `reference_change_notify`).
 *
 * Contract: a subscriber's `onChange` is called with the changed table for every announcement on its channel, and
 * with null whenever the connection is lost and whenever it starts listening again (announcements made meanwhile
 * were not heard, so whatever a subscriber kept may be stale). `listening` is true only while announcements are heard: a cache
 * keeps nothing while it is false. A lost connection is re-established after 1 s, until it succeeds.
 */
import pg from 'pg';
import type { Logger } from 'pino';

const RELISTEN_MS = 1000;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

export class ChangeListener {
  private readonly subscribers = new Map<string, Set<(table: string | null) => void>>();
  private client: pg.Client | undefined;
  private started = false;
  private stopped = false;
  private relisten: NodeJS.Timeout | undefined;
  private heard = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  /** Whether announcements are being heard now. */
  get listening(): boolean {
    return this.heard;
  }

  /** Calls `onChange` for each announcement on `channel` (the changed table), and with null on every loss. */
  subscribe(channel: string, onChange: (table: string | null) => void): void {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
    if (this.started) throw new Error('subscribe before start()');
    let set = this.subscribers.get(channel);
    if (!set) this.subscribers.set(channel, (set = new Set()));
    set.add(onChange);
  }

  /** Starts listening; resolves once it listens (or, if it cannot yet, once it has tried and scheduled a retry). */
  start(): Promise<void> {
    this.started = true;
    return this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relisten);
    const client = this.client;
    this.client = undefined;
    this.heard = false;
    this.notifyAll();
    await client?.end().catch(() => undefined);
  }

  /** Tells every subscriber that anything it kept may be stale. */
  private notifyAll(): void {
    for (const set of this.subscribers.values()) for (const onChange of set) onChange(null);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'hub-change-listener' });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.heard = false;
      this.client = undefined;
      this.notifyAll();
      if (error) this.logger.warn({ err: error }, 'change listener lost; caches hold nothing until it is back');
      void client.end().catch(() => undefined);
      if (!this.stopped) this.relisten = setTimeout(() => void this.listen(), RELISTEN_MS);
    };
    client.on('notification', (message) => {
      for (const onChange of this.subscribers.get(message.channel) ?? []) onChange(message.payload ?? null);
    });
    client.on('error', lost);
    client.on('end', () => lost());
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${channel}`);
      // Whatever was kept before listening may predate a change that was not heard.
      this.notifyAll();
      this.heard = this.client === client;
    } catch (error) {
      lost(error as Error);
    }
  }
}
