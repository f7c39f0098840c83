/**
 * Reads of hub-database tables that change rarely (the region tree, indicator definitions, data versions, reported
 * values), kept per process until one of their tables changes (issues 12 and 13: each was a round trip on every
 * request).
 *
 * Contract: `read(key, tables, load)` answers what `load()` answers now, or what it answered earlier while nothing
 * has changed since in `tables`: every change of those tables is announced at commit (migrations
 * `reference_change_notify`, `indicator_change_notify`; channel hub_reference_change, payload the table) and drops
 * every kept read over that table on every instance. While the change listener is not listening nothing is kept.
 * A read under way when a change of its tables is announced is not kept (it is dropped from the map like a
 * settled one, and only a read still in the map when it settles is kept). At most `MAX_KEPT` reads are kept (least recently used
 * first out).
 */
import { LRUCache } from 'lru-cache';
import type { KeptReadSource } from '../resolvers/loaders';
import type { ChangeListener } from './change-listener';

export const REFERENCE_CHANGE_CHANNEL = 'hub_reference_change';
const MAX_KEPT = 500;

interface Kept {
  tables: readonly string[];
  value: Promise<unknown>;
  settled?: { value: unknown };
}

export class KeptReads implements KeptReadSource {
  private readonly kept = new LRUCache<string, Kept>({ max: MAX_KEPT });

  constructor(private readonly changes: ChangeListener) {
    changes.subscribe(REFERENCE_CHANGE_CHANNEL, (table) => this.forget(table));
  }

  /** The kept answer of `key` if it is at hand now, without waiting. */
  peek<T>(key: string): T | undefined {
    return this.kept.get(key)?.settled?.value as T | undefined;
  }

  read<T>(key: string, tables: readonly string[], load: () => Promise<T>): Promise<T> {
    const found = this.kept.get(key);
    if (found) return found.value as Promise<T>;
    const value = load();
    if (!this.changes.listening) return value;
    const entry: Kept = { tables, value };
    this.kept.set(key, entry);
    value.then(
      (settled) => {
        if (this.kept.peek(key) === entry) entry.settled = { value: settled };
      },
      () => {
        if (this.kept.peek(key) === entry) this.kept.delete(key);
      },
    );
    return value;
  }

  /** Drops every kept read: this instance just committed a change (its own announcement is still on its way). */
  forgetAll(): void {
    this.forget(null);
  }

  /** Drops the reads over `table`, in flight or settled (every read when `table` is null: see ChangeListener). */
  private forget(table: string | null): void {
    for (const [key, entry] of this.kept.entries()) if (table === null || entry.tables.includes(table)) this.kept.delete(key);
  }
}
