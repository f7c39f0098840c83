/**
 * The access gate's key lookups, cached without weakening revocation (issue 13: the lookup was a third of the
 * database round trips of every request).
 *
 * Contract: `find(key)` answers what `findConsumerByKey` answers now, or what it answered at most `ttlMs` ago and
 * nothing about consumers has changed since on any hub instance: every change of a consumer, its keys or its
 * grants is announced by the database at commit (migration `consumer_change_notify`, channel
 * hub_consumer_change), and each instance drops its whole cache when it hears one. Only while this instance is
 * listening is anything cached; when the listening connection fails the cache is dropped and lookups go to the
 * database until it listens again. A lookup that was under way when a change was announced is not cached (it
 * may have read the state before the change). Unknown keys are never cached (key guessing is limited per
 * address by the rate limits, and must not fill memory).
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { PrismaClient } from '../../prisma/client';
import { findConsumerByKey, type AuthenticatedConsumer } from '../../resolvers/consumers';
import { hashApiKey } from '../../domain/api-keys';

export const CONSUMER_CHANGE_CHANNEL = 'hub_consumer_change';
const MAX_ENTRIES = 10_000;
const RELISTEN_MS = 1000;

export interface ConsumerKeysOptions {
  prisma: PrismaClient;
  /** The hub database, for the listening connection (the runtime role may LISTEN). */
  databaseUrl: string;
  /** How long a found consumer is kept at most, changes or not. */
  ttlMs: number;
  logger: Logger;
}

export class ConsumerKeys {
  private readonly entries = new Map<string, { consumer: AuthenticatedConsumer; expires: number }>();
  /** Counts announced changes (and losses of the listening connection): a lookup spanning one is not kept. */
  private generation = 0;
  private listener: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  private relisten: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConsumerKeysOptions) {}

  /** Starts listening; resolves once it listens (or, if it cannot yet, once it has tried and scheduled a retry). */
  async start(): Promise<void> {
    await this.listen();
  }

  async find(key: string): Promise<AuthenticatedConsumer | null> {
    const hash = hashApiKey(key);
    const hit = this.entries.get(hash);
    if (hit && hit.expires > Date.now()) return hit.consumer;
    const generation = this.generation;
    const consumer = await findConsumerByKey(this.options.prisma, key);
    if (consumer && this.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(hash, { consumer, expires: Date.now() + this.options.ttlMs });
    } else if (!consumer) this.entries.delete(hash);
    return consumer;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relisten);
    this.forget();
    const listener = this.listener;
    this.listener = undefined;
    this.listening = false;
    await listener?.end().catch(() => undefined);
  }

  /**
   * Drops every cached lookup. Also called by the server after any mutation this instance answered, before the
   * answer is sent: a consumer revoked here is refused by the next request here even if it arrives before this
   * instance hears the database's announcement (other instances hear it within milliseconds).
   */
  forget(): void {
    this.generation += 1;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'hub-consumer-keys' });
    const lost = (error?: Error) => {
      if (this.listener !== client) return;
      this.listening = false;
      this.listener = undefined;
      this.forget();
      if (error) this.options.logger.warn({ err: error }, 'consumer change listener lost; key lookups uncached until it is back');
      void client.end().catch(() => undefined);
      if (!this.stopped) this.relisten = setTimeout(() => void this.listen(), RELISTEN_MS);
    };
    client.on('notification', () => this.forget());
    client.on('error', lost);
    client.on('end', () => lost());
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CONSUMER_CHANGE_CHANNEL}`);
      // Whatever was looked up before listening may predate a change that was not heard.
      this.forget();
      this.listening = this.listener === client;
    } catch (error) {
      lost(error as Error);
    }
  }
}
