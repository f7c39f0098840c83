/**
 * Administrative region codes and the one containment rule every layer uses (connectors' filters, the access
 * policy's region scope, statistics, and every later caller).
 *
 * Codes: 6 digits for a city or district (GB/T 2260), 9 for a street, 12 for a community (statistical division
 * codes); a child's code starts with its parent's significant digits. A province-level city (500000) is
 * significant in its first 2 digits, a prefecture-level city (e.g. 510100) in its first 4, a district in all 6;
 * streets and communities are significant whole. Records carry the 12-digit code of their community.
 */
import { z } from 'zod';

export type RegionLevel = 'CITY' | 'DISTRICT' | 'STREET' | 'COMMUNITY';

export const regionCodeSchema = z
  .string()
  .regex(/^(\d{6}|\d{9}|\d{12})$/, 'must be 6 (city/district), 9 (street) or 12 (community) digits')
  .refine((code) => !/^0{6}/.test(code), 'must not start with 000000');

/** The significant prefix of a region code: a record lies in the region when its code starts with it. */
export function regionPrefix(regionCode: string): string {
  if (regionCode.length === 6) {
    if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
    if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  }
  return regionCode;
}

/** The level a well-formed code names. */
export function levelOf(regionCode: string): RegionLevel {
  if (regionCode.length === 12) return 'COMMUNITY';
  if (regionCode.length === 9) return 'STREET';
  return regionPrefix(regionCode).length < 6 ? 'CITY' : 'DISTRICT';
}

/** Whether `code` (a region of any level, or a record's community) lies in `ancestor` (or is it). */
export function contains(ancestor: string, code: string): boolean {
  return code.startsWith(regionPrefix(ancestor));
}

/** Length of the region code prefix that groups records at a level. */
export const REGION_LEVEL_LENGTH = { DISTRICT: 6, STREET: 9, COMMUNITY: 12 } as const;
