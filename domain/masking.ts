/**
 * Masking of personal identifiers for consumers that do not hold their catalogue item (DESIGN §4).
 *
 * Contract: pure and total. Each mask keeps only what is needed to tell records apart on a screen and never
 * reveals more than the rule below, whatever the input looks like (short, malformed or non-string values are
 * masked entirely). Null stays null.
 * - CITIZEN_ID: nothing of the number. Every character of a citizen ID can be derived from other fields a consumer
 *   may read (region code, birth date and sex give 6 + 8 characters and the parity of the 17th), so any partial
 *   mask can be completed. A consumer sees a pseudonym instead, `psn_` and 16 base32 characters of an HMAC of the
 *   ID under a key of its own (`citizenIdPseudonyms`): stable for that consumer, so it can tell people apart and
 *   follow one person across its requests, but unlinkable between consumers and useless for recovering the ID.
 *   Where no consumer is known (a log line), the ID is replaced by stars.
 * - NAME: the first character (surname): `张*`, `欧阳**` → `欧**`.
 * - PHONE: first 3 and last 4 digits: `138****5678`.
 * - ADDRESS: up to and including the district (市…区/县), the rest replaced: `重庆市渝中区****`; an address
 *   that does not start with a city is masked entirely.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { MaskKind } from './catalogue';
import { scalarText } from './text';

const STAR = '*';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Derived keys by secret and consumer (derived once, not on every request; bounded: consumers are few). */
const PSEUDONYM_KEYS = new Map<string, Buffer>();
const MAX_PSEUDONYM_KEYS = 1000;

function pseudonymKey(secret: string, consumerId: string): Buffer {
  const id = `${consumerId}\u0000${secret}`;
  let key = PSEUDONYM_KEYS.get(id);
  if (!key) {
    if (PSEUDONYM_KEYS.size >= MAX_PSEUDONYM_KEYS) PSEUDONYM_KEYS.clear();
    key = Buffer.from(hkdfSync('sha256', secret, 'yilao-yixiao-hub', `citizen-id-pseudonym:${consumerId}`, 32));
    PSEUDONYM_KEYS.set(id, key);
  }
  return key;
}

/** The pseudonyms one consumer sees for citizen IDs; `secret` is the hub's, `consumerId` the consumer's. */
export function citizenIdPseudonyms(secret: string, consumerId: string): (citizenId: string) => string {
  const key = pseudonymKey(secret, consumerId);
  return (citizenId) => {
    const digest = createHmac('sha256', key).update(citizenId, 'utf8').digest();
    let text = '';
    for (let i = 0; i < 16; i++) text += BASE32[digest[i]! & 31];
    return `psn_${text}`;
  };
}

const maskCitizenIdAnonymously = (value: string): string => STAR.repeat(Math.max(value.length, 4));

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

export type Masker = (kind: MaskKind, value: unknown) => unknown;

/** Masks for one consumer (its citizen-ID pseudonyms), or for nobody in particular (citizen IDs starred). */
export function maskerFor(pseudonym?: (citizenId: string) => string): Masker {
  const masks: Record<MaskKind, (value: string) => string> = {
    CITIZEN_ID: pseudonym ?? maskCitizenIdAnonymously,
    NAME: maskName,
    PHONE: maskPhone,
    ADDRESS: maskAddress,
  };
  const apply: Masker = (kind, value) => {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) return value.map((item) => apply(kind, item));
    return masks[kind](scalarText(value));
  };
  return apply;
}

/** Masks for nobody in particular: what a log line or an error message may show. */
export const mask: Masker = maskerFor();
