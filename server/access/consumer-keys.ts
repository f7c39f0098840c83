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
import type { PrismaClient } from '../../prisma/client';
import { findConsumerByKey, type AuthenticatedConsumer } from '../../resolvers/consumers';
import { hashApiKey } from '../../domain/api-keys';
import type { ChangeListener } from '../change-listener';

export const CONSUMER_CHANGE_CHANNEL = 'hub_consumer_change';
const MAX_ENTRIES = 10_000;

export interface ConsumerKeysOptions {
  prisma: PrismaClient;
  /** The process's change listener (server/change-listener.ts): announcements drop the cache. */
  changes: ChangeListener;
  /** How long a found consumer is kept at most, changes or not. */
  ttlMs: number;
}

export class ConsumerKeys {
  private readonly entries = new Map<string, { consumer: AuthenticatedConsumer; expires: number }>();
  /** Counts announced changes (and losses of the listening connection): a lookup spanning one is not kept. */
  private generation = 0;

  /** Subscribes to the listener, which must not have started yet. */
  constructor(private readonly options: ConsumerKeysOptions) {
    options.changes.subscribe(CONSUMER_CHANGE_CHANNEL, () => this.forget());
  }

  /** The consumer of `key` if this instance holds a current lookup of it (no database round trip), else undefined. */
  known(key: string): AuthenticatedConsumer | undefined {
    return this.current(hashApiKey(key));
  }

  private current(hash: string): AuthenticatedConsumer | undefined {
    const hit = this.entries.get(hash);
    return hit && hit.expires > Date.now() ? hit.consumer : undefined;
  }

  async find(key: string): Promise<AuthenticatedConsumer | null> {
    const hash = hashApiKey(key);
    const hit = this.current(hash);
    if (hit) return hit;
    const generation = this.generation;
    const consumer = await findConsumerByKey(this.options.prisma, key);
    if (consumer && this.options.changes.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(hash, { consumer, expires: Date.now() + this.options.ttlMs });
    } else if (!consumer) this.entries.delete(hash);
    return consumer;
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
}
