/**
 * What a department's command handler is given and what it answers (departments/http/commands/*.ts).
 *
 * Contract: a handler receives the input already validated by the command's zod input schema and a
 * transaction (`tx`) that also holds the idempotency ledger row: everything it writes commits or rolls back
 * with the answer. It answers COMPLETED or ACCEPTED (asynchronous: the department finishes later) with a result
 * that must satisfy the command's result schema, or REJECTED with a stable reason code, the input field to fix
 * and a human-readable message (Chinese and English). It serialises its own check-then-write sequences with
 * `lockFor` (transaction-scoped advisory locks), so concurrent requests with different keys cannot both pass a
 * uniqueness check.
 */
import type pg from 'pg';
import type { z } from 'zod';
import type { DepartmentInterface } from '../../../connectors/department-interface';
import { recordJsonSql, ident, type StoredEntity } from '../../storage';

/** A record as a parsed JSON object. */
export type JsonRecord = Record<string, unknown>;

export type CommandOutcome =
  | { status: 'COMPLETED' | 'ACCEPTED'; result: JsonRecord }
  | { status: 'REJECTED'; reason: string; field: string | null; message: string };

export interface CommandContext {
  tx: pg.PoolClient;
  idempotencyKey: string;
  /** The department's entities as stored, to read records in their published shape. */
  entities: ReadonlyMap<string, StoredEntity>;
}

export type CommandHandler<TInput> = (input: TInput, context: CommandContext) => Promise<CommandOutcome>;

/** One handler per command of the department's interface, typed by the command's input schema. */
export type HandlersOf<D extends DepartmentInterface> = {
  [C in keyof D['commands']]: CommandHandler<z.infer<D['commands'][C]['input']>>;
};

export type AnyHandlers = Record<string, CommandHandler<never>>;

export const rejected = (reason: string, field: string | null, message: string): CommandOutcome => ({
  status: 'REJECTED',
  reason,
  field,
  message,
});

/** Waits for, then holds until the transaction ends, the lock named `name`. */
export async function lockFor(tx: pg.ClientBase, name: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
}

/** Reads one record of `entityName` in its published shape, by a column of its storage table. */
export async function loadRecord(
  context: CommandContext,
  entityName: string,
  column: string,
  value: unknown,
): Promise<JsonRecord | undefined> {
  const entity = context.entities.get(entityName);
  if (!entity) throw new Error(`no entity ${entityName}`);
  const { rows } = await context.tx.query<{ record: JsonRecord }>(
    `SELECT ${recordJsonSql(entity)} AS record FROM ${entity.table} t WHERE t.${ident(column)} = $1`,
    [value],
  );
  return rows[0]?.record;
}

/**
 * The next identifier `prefix` + `width` digits not yet used in `table.column` (one more than the highest),
 * under a lock on the prefix, so concurrent commands never collide with each other or with existing data.
 */
export async function nextIdentifier(
  tx: pg.ClientBase,
  table: string,
  column: string,
  prefix: string,
  width: number,
): Promise<string> {
  await lockFor(tx, `identifier:${table}:${prefix}`);
  const { rows } = await tx.query<{ last: string | null }>(
    `SELECT max(substr(${ident(column)}, $2)::numeric)::text AS last FROM ${table}
      WHERE ${ident(column)} ~ $1`,
    [`^${prefix}\\d{${width}}$`, prefix.length + 1],
  );
  const next = BigInt(rows[0]?.last ?? '0') + 1n;
  if (next.toString().length > width) throw new Error(`identifiers ${prefix}… are exhausted`);
  return `${prefix}${next.toString().padStart(width, '0')}`;
}
