/**
 * Value encodings shared by the loader, the files and the checksum.
 *
 * - `canonicalText(value, type)`: one text form per value, used both as PostgreSQL COPY text-format field
 *   (before escaping) and in the checksum: null → \N, booleans t/f, numbers in JavaScript's shortest form,
 *   timestamps in UTC (`toISOString`), arrays as PostgreSQL array literals with every element quoted.
 * - `copyField`: canonical text escaped for COPY (backslash, tab, newline, carriage return).
 * - `decodeCsvField` / `decodeJsonValue`: file values to row values by column type, or a reason (never quoting
 *   the value: it may be personal data). CSV: an unquoted empty field is null, a quoted empty field ("") is the
 *   empty string, booleans are true/false (also t/f), arrays are JSON text.
 */
import type { ColumnType } from './columns';
import type { Value } from './tables';

function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** Timestamps repeat a lot (every row's updated_at): their UTC forms are memoised. */
const utcTimestamps = new Map<string, string>();

function utcTimestamp(value: string): string {
  let utc = utcTimestamps.get(value);
  if (utc === undefined) {
    const ms = Date.parse(value);
    utc = Number.isNaN(ms) ? value : new Date(ms).toISOString();
    if (utcTimestamps.size >= 100_000) utcTimestamps.clear();
    utcTimestamps.set(value, utc);
  }
  return utc;
}

export function canonicalText(value: Value, type: ColumnType): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return type === 'timestamptz' ? utcTimestamp(value) : value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return arrayLiteral(value);
}

const COPY_SPECIAL = /[\\\t\n\r]/;

export function copyField(value: Value, type: ColumnType): string {
  const text = canonicalText(value, type);
  if (text === null) return '\\N';
  if (!COPY_SPECIAL.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export type Decoded = { ok: true; value: Value } | { ok: false; reason: string };

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function decodeArray(text: string): Decoded {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((item): item is string => typeof item === 'string')) {
      return { ok: true, value: parsed };
    }
  } catch {
    // reported below
  }
  return { ok: false, reason: 'must be a JSON array of strings, e.g. ["FULL_DAY","HALF_DAY"]' };
}

/** A CSV field (already unquoted) to a row value. `quoted` distinguishes "" (empty string) from an empty field (null). */
export function decodeCsvField(text: string, quoted: boolean, type: ColumnType): Decoded {
  if (text === '' && !quoted) return { ok: true, value: null };
  switch (type) {
    case 'integer':
      return INTEGER.test(text) ? { ok: true, value: Number(text) } : { ok: false, reason: 'must be an integer' };
    case 'numeric':
      return DECIMAL.test(text) ? { ok: true, value: Number(text) } : { ok: false, reason: 'must be a decimal number' };
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 't') return { ok: true, value: true };
      if (lower === 'false' || lower === 'f') return { ok: true, value: false };
      return { ok: false, reason: 'must be true or false' };
    }
    case 'text[]':
      return decodeArray(text);
    default:
      return { ok: true, value: text };
  }
}

/** A JSON value to a row value: numeric columns also accept decimal strings (as PostgreSQL prints them). */
export function decodeJsonValue(value: unknown, type: ColumnType): Decoded {
  if (type === 'numeric' && typeof value === 'string' && DECIMAL.test(value)) return { ok: true, value: Number(value) };
  // Everything else is checked by the table's zod schema.
  return { ok: true, value: value as Value };
}

/** A row value as a CSV field (RFC 4180 quoting). */
export function csvField(value: Value): string {
  if (value === null) return '';
  const text = Array.isArray(value) ? JSON.stringify(value) : typeof value === 'string' ? value : String(value);
  if (text === '') return '""';
  return /[",\r\n]/.test(text) || text.trim() !== text ? `"${text.replace(/"/g, '""')}"` : text;
}
