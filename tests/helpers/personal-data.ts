/**
 * Finds personal data in log text: citizen IDs (18 characters with a valid GB 11643 check digit, not part of a
 * longer token such as a hash), mobile numbers, full street addresses, and given names. Findings are returned
 * masked, so a failing test does not print what it found.
 */
import { checkCharacter } from '../../domain/citizen-id';
import { mask } from '../../domain/masking';

const CITIZEN_ID = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;
const ADDRESS = /重庆市[^"\s*]{2,20}?区[^"\s*]{2,40}?号/g;

export function findPersonalData(text: string, names: string[] = []): string[] {
  const found: string[] = [];
  for (const [candidate] of text.matchAll(CITIZEN_ID)) {
    if (checkCharacter(candidate.slice(0, 17)) === candidate[17]!.toUpperCase())
      found.push(`citizen ID ${mask('CITIZEN_ID', candidate) as string}`);
  }
  for (const [phone] of text.matchAll(MOBILE)) found.push(`phone ${mask('PHONE', phone) as string}`);
  for (const [address] of text.matchAll(ADDRESS)) found.push(`address ${mask('ADDRESS', address) as string}`);
  for (const name of names) if (name.length >= 2 && text.includes(name)) found.push(`name ${mask('NAME', name) as string}`);
  return [...new Set(found)];
}
