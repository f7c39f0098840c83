/**
 * Masking of personal identifiers for consumers that do not hold their catalogue item (DESIGN §4).
 *
 * Contract: pure and total. Each mask keeps only what is needed to tell records apart on a screen and never
 * reveals more than the rule below, whatever the input looks like (short, malformed or non-string values are
 * masked entirely). Null stays null.
 * - CITIZEN_ID: first 6 (issuing region) and last 4 characters: `500103********1234`.
 * - NAME: the first character (surname): `张*`, `欧阳**` → `欧**`.
 * - PHONE: first 3 and last 4 digits: `138****5678`.
 * - ADDRESS: up to and including the district (市…区/县), the rest replaced: `重庆市渝中区****`; an address
 *   that does not start with a city is masked entirely.
 */
import type { MaskKind } from './catalogue';

const STAR = '*';

function maskCitizenId(value: string): string {
  if (value.length !== 18) return STAR.repeat(Math.max(value.length, 4));
  return `${value.slice(0, 6)}${STAR.repeat(8)}${value.slice(14)}`;
}

function maskName(value: string): string {
  const characters = [...value];
  if (characters.length === 0) return value;
  return characters[0] + STAR.repeat(Math.max(characters.length - 1, 1));
}

function maskPhone(value: string): string {
  if (!/^\d{7,}$/.test(value)) return STAR.repeat(Math.max(value.length, 4));
  return `${value.slice(0, 3)}${STAR.repeat(value.length - 7)}${value.slice(-4)}`;
}

// Province/city then district, e.g. 重庆市渝中区 or 四川省成都市武侯区; `小区` alone is not a district, so an
// address that does not start with a city keeps nothing.
const DISTRICT_END = /^(?:[^\d\s]{2,7}?(?:省|自治区))?[^\d\s]{2,7}?市[^\d\s]{1,7}?[区县旗]/u;

function maskAddress(value: string): string {
  const district = DISTRICT_END.exec(value)?.[0];
  // An address without a recognisable district keeps nothing.
  return district && district.length < value.length ? `${district}${STAR.repeat(4)}` : STAR.repeat(4);
}

const MASKS: Record<MaskKind, (value: string) => string> = {
  CITIZEN_ID: maskCitizenId,
  NAME: maskName,
  PHONE: maskPhone,
  ADDRESS: maskAddress,
};

export function mask(kind: MaskKind, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => mask(kind, item));
  return MASKS[kind](typeof value === 'string' ? value : String(value));
}
