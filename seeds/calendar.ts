/**
 * Dates of the synthetic data set. Every age, due date and "recent" period is measured from REFERENCE_DATE,
 * never from the clock, so the same seed gives the same data on any day.
 *
 * Dates are ISO strings `YYYY-MM-DD` at the edges (rows, files) and day numbers (days since 1970-01-01, UTC)
 * inside the generators, where arithmetic is needed.
 */

/** The day the data set describes: the Yuzhong figures are those of the plan issued at the end of 2022. */
export const REFERENCE_DATE = '2022-12-31';

/** The `updated_at` of every generated row (deterministic, so checksums are stable): the evening of the reference date, Beijing time. */
export const DATA_UPDATED_AT = '2022-12-31T18:00:00+08:00';

/** Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function toDay(isoDate: string): number {
  return daysFromCivil(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)), Number(isoDate.slice(8, 10)));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The ISO date of a day number (civil_from_days); hot in the generators, so pure arithmetic. */
export function fromDay(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export const REFERENCE_DAY = toDay(REFERENCE_DATE);
export const REFERENCE_YEAR = Number(REFERENCE_DATE.slice(0, 4));

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return fromDay(toDay(value)) === value;
}

/** The date `months` months after `isoDate`, clamped to the end of a shorter month (01-31 + 1 month = 02-28). */
export function addMonths(isoDate: string, months: number): string {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const lastDay = daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
  return `${year}-${pad2(month)}-${pad2(Math.min(d, lastDay))}`;
}

export function addYears(isoDate: string, years: number): string {
  return addMonths(isoDate, years * 12);
}

/** Age in completed years on `onDate` (a person born on 29 Feb turns a year older on 28 Feb). */
export function ageOn(birthDate: string, onDate: string = REFERENCE_DATE): number {
  let age = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (addYears(birthDate, age) > onDate) age--;
  return age;
}

/** First day of the month of `isoDate`. */
export function monthStart(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

/** Last day of the month of `isoDate`. */
export function monthEnd(isoDate: string): string {
  return fromDay(toDay(addMonths(monthStart(isoDate), 1)) - 1);
}

const birthRangeCache = new Map<string, [number, number]>();

/** The range of birth dates of people aged exactly `age` on `onDate`, as day numbers [first, last]. */
export function birthDayRangeForAge(age: number, onDate: string = REFERENCE_DATE): [number, number] {
  const key = `${age}/${onDate}`;
  let range = birthRangeCache.get(key);
  if (!range) {
    range = [toDay(addYears(onDate, -(age + 1))) + 1, toDay(addYears(onDate, -age))];
    birthRangeCache.set(key, range);
  }
  return range;
}

/** A timestamp at a given local (Beijing, +08:00) time of day. */
export function beijingTimestamp(isoDate: string, time = '09:00:00'): string {
  return `${isoDate}T${time}+08:00`;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
