/**
 * Opaque list cursors: the sort key (recordId, then the rest of the primary key) of the last record of a page,
 * as base64url JSON. A cursor that does not decode to a key of the expected length is a BadRequestError on
 * `after`.
 */
import { z } from 'zod';
import { BadRequestError } from './errors';

const sortKeySchema = z.array(z.string());

export function encodeCursor(sortKey: string[]): string {
  return Buffer.from(JSON.stringify(sortKey), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = sortKeySchema.length(length).safeParse(decoded);
  if (!parsed.success)
    throw new BadRequestError('after is not a cursor of this list', { field: 'after', reason: 'INVALID_CURSOR' });
  return parsed.data;
}
