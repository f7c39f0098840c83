/**
 * The age and sex structure of the synthetic population, and the "slots" (age, sex, birth date, residence type)
 * that households are later assembled from.
 *
 * Contract: `drawSlots(figures, random)` returns exactly `figures.residentPopulation` resident slots
 * (REGISTERED_RESIDENT + RESIDENT_ONLY) of which exactly `figures.aged60Plus` are aged 60+ and exactly
 * `figures.under3` are under 3 on REFERENCE_DATE, plus exactly `figures.registeredOnly` REGISTERED_ONLY slots.
 * Single-year ages within each band follow a Yuzhong-like pyramid (old, urban, low fertility); the exact counts
 * come from integer apportionment, not from sampling. Residence type and sex are drawn per slot.
 */
import { apportion } from './apportion';
import { birthDayRangeForAge, fromDay, REFERENCE_YEAR } from './calendar';
import type { ScaledFigures } from './figures';
import type { Sex } from './names';
import type { Random } from './random';

export type ResidenceType = 'REGISTERED_RESIDENT' | 'RESIDENT_ONLY' | 'REGISTERED_ONLY';

export const MAX_AGE = 104;

/**
 * A person before household assembly: mutable while households are built. Every field is set at creation
 * (undefined until known), so all slots share one object shape.
 */
export interface Slot {
  index: number;
  sex: Sex;
  birthDay: number;
  birthDate: string;
  age: number;
  residence: ResidenceType;
  placed: boolean;
  surname: string | undefined;
  /** Parents living in the same household, recorded for children (birth certificates name the parents). */
  mother: Slot | undefined;
  father: Slot | undefined;
}

/** Relative number of people per single year of age for ages 3..59 (piecewise by band). */
function middleAgeWeight(age: number): number {
  if (age <= 5) return 6.2;
  if (age <= 14) return 5.6;
  if (age <= 17) return 5.0;
  if (age <= 22) return 6.5;
  if (age <= 29) return 9.5;
  if (age <= 34) return 10.5;
  if (age <= 44) return 9.8;
  if (age <= 49) return 9.0;
  if (age <= 54) return 9.5;
  return 8.0;
}

/** Share (%) of the 60+ population per 5-year band (80+ ≈ 13.5%, as in Chongqing's 2020 census). */
const ELDERLY_BAND_SHARES: ReadonlyArray<readonly [number, number]> = [
  [60, 31],
  [65, 27],
  [70, 18],
  [75, 10.5],
  [80, 7.5],
  [85, 4],
  [90, 1.6],
  [95, 0.35],
  [100, 0.05],
];

function elderlyAgeWeight(age: number): number {
  let share = 0;
  for (const [from, s] of ELDERLY_BAND_SHARES) if (age >= from) share = s;
  const birthYear = REFERENCE_YEAR - age;
  // Small cohorts of the 1959-1961 famine years.
  const cohort = birthYear >= 1959 && birthYear <= 1961 ? 0.7 : 1;
  return (share / 5) * cohort;
}

/** Births fell year by year: 2020 > 2021 > 2022. Index = age (0, 1, 2). */
const UNDER3_WEIGHTS = [0.92, 1.0, 1.08];

function ages(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Exact number of resident people per single year of age, 0..MAX_AGE. */
export function residentAgeCounts(figures: ScaledFigures): number[] {
  const middle = figures.residentPopulation - figures.aged60Plus - figures.under3;
  if (middle < 0) throw new Error('60+ and under-3 counts exceed the resident population');
  const counts = [
    ...apportion(figures.under3, UNDER3_WEIGHTS),
    ...apportion(middle, ages(3, 59).map(middleAgeWeight)),
    ...apportion(figures.aged60Plus, ages(60, MAX_AGE).map(elderlyAgeWeight)),
  ];
  return counts;
}

/** Relative number of REGISTERED_ONLY people per age: mostly young adults studying or working elsewhere. */
function registeredOnlyAgeWeight(age: number): number {
  if (age < 18) return 0.4;
  if (age <= 24) return 2.5;
  if (age <= 40) return 1.8;
  if (age <= 60) return 0.8;
  if (age <= 80) return 0.4;
  if (age <= 95) return 0.15;
  return 0;
}

export function registeredOnlyAgeCounts(figures: ScaledFigures): number[] {
  return apportion(figures.registeredOnly, ages(0, MAX_AGE).map(registeredOnlyAgeWeight));
}

function maleShare(age: number): number {
  if (age < 18) return 0.52;
  if (age < 60) return 0.5;
  if (age < 70) return 0.49;
  if (age < 80) return 0.47;
  if (age < 90) return 0.42;
  return 0.35;
}

/** Share of residents of an age who are registered elsewhere (常住非户籍). */
function residentOnlyShare(age: number): number {
  if (age < 3) return 0.15;
  if (age < 18) return 0.14;
  if (age < 23) return 0.35;
  if (age < 45) return 0.3;
  if (age < 60) return 0.18;
  if (age < 75) return 0.06;
  return 0.03;
}

export function drawSlots(figures: ScaledFigures, random: Random): Slot[] {
  const slots: Slot[] = [];
  const add = (age: number, residence: ResidenceType) => {
    const [first, last] = birthDayRangeForAge(age);
    const birthDay = random.int(first, last);
    slots.push({
      index: slots.length,
      sex: random.chance(maleShare(age)) ? 'M' : 'F',
      birthDay,
      birthDate: fromDay(birthDay),
      age,
      residence,
      placed: false,
      surname: undefined,
      mother: undefined,
      father: undefined,
    });
  };
  residentAgeCounts(figures).forEach((count, age) => {
    for (let i = 0; i < count; i++) add(age, random.chance(residentOnlyShare(age)) ? 'RESIDENT_ONLY' : 'REGISTERED_RESIDENT');
  });
  registeredOnlyAgeCounts(figures).forEach((count, age) => {
    for (let i = 0; i < count; i++) add(age, 'REGISTERED_ONLY');
  });
  return slots;
}
