/**
 * Region codes as record filters: a region of any level selects the records whose 12-digit region code starts
 * with its prefix. District and city codes are 6 digits (GB/T 2260): a province-level city (500000) is its first
 * 2 digits, a prefecture-level one (e.g. 510100) its first 4, a district its 6; streets (9) and communities (12)
 * are used whole.
 */
export function regionPrefix(regionCode: string): string {
  if (regionCode.length === 6) {
    if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
    if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  }
  return regionCode;
}

/** Length of the region code prefix that groups records at a level. */
export const REGION_LEVEL_LENGTH = { DISTRICT: 6, STREET: 9, COMMUNITY: 12 } as const;
