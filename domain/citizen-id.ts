/**
 * Citizen ID numbers 公民身份号码 (GB 11643-1999): 6-digit region code of first registration, 8-digit birth
 * date (YYYYMMDD), 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character
 * (0-9 or X). Pure functions: used to validate input, and by the synthetic data and sandbox departments to
 * make valid numbers.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits. */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('checkCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

export type CitizenIdProblem = 'LENGTH' | 'FORMAT' | 'CHECK_DIGIT' | 'BIRTH_DATE';

export interface ParsedCitizenId {
  citizenId: string;
  regionCode: string;
  birthDate: string;
  sex: 'M' | 'F';
}

/** Parses a citizen ID, or says what is wrong with it. `today` bounds the birth date (no future births). */
export function parseCitizenId(
  value: string,
  today: Date = new Date(),
): { ok: true; value: ParsedCitizenId } | { ok: false; problem: CitizenIdProblem } {
  const id = value.toUpperCase();
  if (id.length !== 18) return { ok: false, problem: 'LENGTH' };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'FORMAT' };
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const plausible =
    birth.getUTCFullYear() === year &&
    birth.getUTCMonth() === month - 1 &&
    birth.getUTCDate() === day &&
    year >= 1890 &&
    birth.getTime() <= today.getTime();
  if (!plausible) return { ok: false, problem: 'BIRTH_DATE' };
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'CHECK_DIGIT' };
  return {
    ok: true,
    value: {
      citizenId: id,
      regionCode: id.slice(0, 6),
      birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
      sex: Number(id[16]) % 2 === 1 ? 'M' : 'F',
    },
  };
}

/** Builds a valid citizen ID. `sequence` is 0-999; its parity is adjusted to `sex` (odd = M, even = F). */
export function makeCitizenId(regionCode6: string, birthDate: string, sequence: number, sex: 'M' | 'F'): string {
  if (!/^\d{6}$/.test(regionCode6)) throw new Error('makeCitizenId needs a 6-digit region code');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new Error('makeCitizenId needs a YYYY-MM-DD birth date');
  let seq = Math.trunc(sequence) % 1000;
  if ((seq % 2 === 1) !== (sex === 'M')) seq = seq === 999 ? 998 : seq + 1;
  const first17 = `${regionCode6}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}
