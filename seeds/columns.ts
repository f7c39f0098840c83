/**
 * Column definitions for the table catalogue (seeds/tables.ts): each column's PostgreSQL type (which drives
 * CSV/JSON decoding and COPY encoding) and its zod schema (which mirrors the DDL's type, NOT NULL and CHECK
 * constraints, and the contracts stated in the DDL comments, e.g. a citizen ID's check digit).
 *
 * Validation messages never quote the offending value: rows hold personal data, and reports are logged.
 */
import { z } from 'zod';
import { parseCitizenId } from '../domain/citizen-id';
import { isIsoDate } from './calendar';

export type ColumnType = 'text' | 'char' | 'date' | 'timestamptz' | 'integer' | 'boolean' | 'numeric' | 'text[]';

export interface ColumnDef<T extends z.ZodType = z.ZodType> {
  type: ColumnType;
  nullable: boolean;
  /** Added after data sets were written: a data-set file without the column loads it as null. */
  addedLater?: boolean;
  zod: T;
}

const def = <T extends z.ZodType>(type: ColumnType, zod: T): ColumnDef<T> => ({ type, nullable: false, zod });

/** Far in the future: structural validity only (the birth-date check is not a "no future births" check here). */
const NO_UPPER_BOUND = new Date(Date.UTC(9999, 11, 31));

const citizenIdSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseCitizenId(value, NO_UPPER_BOUND);
  if (!parsed.ok) {
    const reasons = {
      LENGTH: 'must be 18 characters',
      FORMAT: 'must be 17 digits and a check character (0-9 or X)',
      CHECK_DIGIT: 'check digit is wrong (GB 11643 MOD 11-2)',
      BIRTH_DATE: 'birth-date digits are not a valid date',
    } as const;
    ctx.addIssue({ code: 'custom', message: `not a valid citizen ID: ${reasons[parsed.problem]}` });
  } else if (parsed.value.citizenId !== value) {
    ctx.addIssue({ code: 'custom', message: 'not a valid citizen ID: check character X must be upper case' });
  }
});

const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

export const col = {
  text: () => def('text', z.string().min(1, 'must not be empty')),
  /** A text column restricted to a CHECK (… IN (…)) list. */
  enumText: <const V extends readonly [string, ...string[]]>(values: V) => def('text', z.enum(values)),
  char: (length: number) => def('char', z.string().length(length, `must be exactly ${length} characters`)),
  enumChar: <const V extends readonly [string, ...string[]]>(values: V) => def('char', z.enum(values)),
  citizenId: () => def('char', citizenIdSchema),
  regionCode: () => def('char', z.string().regex(/^\d{12}$/, 'must be a 12-digit region code')),
  date: () => def('date', z.string().refine(isIsoDate, 'must be a YYYY-MM-DD date')),
  timestamptz: () => def('timestamptz', z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp with offset' })),
  integer: (min = INT4_MIN, max = INT4_MAX) =>
    def('integer', z.number().int('must be an integer').min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`)),
  integerIn: <const V extends readonly number[]>(values: V) =>
    def(
      'integer',
      z
        .number()
        .int('must be an integer')
        .refine((n) => values.includes(n), `must be one of ${values.join(', ')}`),
    ),
  boolean: () => def('boolean', z.boolean()),
  /** numeric(precision, scale): at most `scale` decimals and `precision - scale` integer digits. */
  numeric: (precision: number, scale: number, options: { positive?: boolean } = {}) =>
    def(
      'numeric',
      z
        .number()
        .refine((n) => Number.isFinite(n) && Math.abs(n) < 10 ** (precision - scale), `must fit numeric(${precision},${scale})`)
        .refine((n) => Math.abs(Math.round(n * 10 ** scale) - n * 10 ** scale) < 1e-6, `must have at most ${scale} decimals`)
        .refine((n) => !options.positive || n > 0, 'must be > 0'),
    ),
  textArray: <const V extends readonly [string, ...string[]]>(values: V) =>
    def(
      'text[]',
      z.array(z.enum(values)).refine((a) => new Set(a).size === a.length, 'must not repeat a value'),
    ),
};

export function nullable<T extends z.ZodType>(column: ColumnDef<T>): ColumnDef<z.ZodNullable<T>> {
  return { type: column.type, nullable: true, zod: column.zod.nullable() };
}

/**
 * A nullable column added after data sets were written (`seed --out`): directories without it still load
 * (`seed --from`), the column null in every row.
 */
export function addedLater<T extends z.ZodType>(column: ColumnDef<T>): ColumnDef<z.ZodNullable<T>> {
  return { ...nullable(column), addedLater: true };
}
