/**
 * Unique identifiers of synthetic people: citizen IDs (GB 11643-1999, check character from resolvers/citizen-id.ts) whose region
 * part, birth date and sex digit agree with the person, and 11-digit mobile numbers.
 *
 * Contract: an allocator never hands out the same citizen ID or phone number twice, including IDs reserved up
 * front (the showcase people), and draws only from the Random it is given (deterministic).
 */
import { checkCharacter } from '../domain/citizen-id';
import { toDay } from './calendar';
import type { Random } from './random';
import type { Sex } from './names';

/** Steps through the 500 sequence numbers of one sex in a scrambled order (211 is coprime with 500). */
const SEQUENCE_STRIDE = 211;

export class CitizenIdAllocator {
  /**
   * Per region, birth day and sex: a random starting point and how many numbers were handed out
   * (offset × 1024 + count). Unique by construction: the i-th number of a key is (offset + i × 211) mod 500.
   */
  private readonly issued = new Map<number, number>();
  private readonly reserved = new Set<string>();

  constructor(private readonly random: Random) {}

  /** Marks an ID as taken (e.g. a fixed showcase ID), so that `allocate` never returns it. */
  reserve(citizenId: string): void {
    this.reserved.add(citizenId.slice(0, 17));
  }

  allocate(regionCode6: string, birthDate: string, sex: Sex): string {
    const parity = sex === 'M' ? 1 : 0;
    const key = (toDay(birthDate) * 1e6 + Number(regionCode6)) * 2 + parity;
    let state = this.issued.get(key);
    if (state === undefined) state = this.random.int(0, 499) * 1024;
    const prefix = `${regionCode6}${birthDate.slice(0, 4)}${birthDate.slice(5, 7)}${birthDate.slice(8, 10)}`;
    for (;;) {
      const offset = Math.floor(state / 1024);
      const count = state % 1024;
      if (count >= 500) throw new Error('no free citizen ID sequence number left for one region, birth date and sex');
      state++;
      const sequence = ((offset + count * SEQUENCE_STRIDE) % 500) * 2 + parity;
      const first17 = prefix + String(sequence).padStart(3, '0');
      if (this.reserved.size > 0 && this.reserved.has(first17)) continue;
      this.issued.set(key, state);
      return first17 + checkCharacter(first17);
    }
  }
}

/** Mobile number prefixes (China Mobile, Unicom, Telecom). */
const MOBILE_PREFIXES = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '147',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '178',
  '182',
  '183',
  '184',
  '187',
  '188',
  '198',
  '130',
  '131',
  '132',
  '155',
  '156',
  '166',
  '175',
  '176',
  '185',
  '186',
  '133',
  '153',
  '173',
  '177',
  '180',
  '181',
  '189',
  '191',
  '199',
];

/** Unique by construction: the n-th number's 8 subscriber digits are a bijection of n (7_777_777 is coprime with 10^8). */
export class PhoneAllocator {
  private serial = 0;
  private readonly offset: number;

  constructor(private readonly random: Random) {
    this.offset = random.int(0, 99_999_999);
  }

  allocate(): string {
    const subscriber = (++this.serial * 7_777_777 + this.offset) % 100_000_000;
    return this.random.pick(MOBILE_PREFIXES) + String(subscriber).padStart(8, '0');
  }
}
