/**
 * The service clock of joint services: working time in China (Asia/Shanghai, UTC+8 all year), counting only
 * working days — Monday to Friday, except the State Council's public holidays, plus the 调休 make-up working
 * days that fall on a weekend.
 *
 * Contract: a working day counts whole (24 hours of working time from 00:00 to 24:00 China time); other days
 * count nothing. `addWorkingDays(t, 5)` is the moment when five working days of working time have passed
 * since `t` (a case accepted on Wednesday 10:00 before a holiday week is due five working days later at
 * 10:00). The calendar comes from `chinese-days` (the official 国务院办公厅 notices, one data file per year;
 * 1.5.7 covers 2004–2026). A year it does not cover yet counts weekends only — even 元旦 is a working day
 * then — so every due date reaching into such a year is an estimate: `calendarCoversYear` and
 * `uncoveredYears` say so, and the hub shows it (the case's `dueAtEstimated`, a readiness note, a metric, a
 * log warning). Upgrade the package when the State Council publishes the next year's notice (usually in
 * November); the coverage is read from the package's data, so the upgrade alone ends the estimate.
 */
import { getHolidaysInRange, isWorkday } from 'chinese-days';

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export interface WorkingCalendar {
  /** Whether the China-time calendar date `YYYY-MM-DD` is a working day. */
  isWorkingDay(date: string): boolean;
}

const coverage = new Map<number, boolean>();

/**
 * Whether the bundled calendar holds the State Council's holiday notice for `year`: every notice names 元旦
 * and 春节 at least, so a year without a single holiday in the package's data is one it does not know.
 */
export function calendarCoversYear(year: number): boolean {
  let covered = coverage.get(year);
  if (covered === undefined) {
    covered = getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    coverage.set(year, covered);
  }
  return covered;
}

/** The China-time years from `from` to `to` (inclusive) whose days the calendar counts by weekends only. */
export function uncoveredYears(from: Date, to: Date): number[] {
  const first = Number(chinaDate(from).slice(0, 4));
  const last = Number(chinaDate(to).slice(0, 4));
  const years: number[] = [];
  for (let year = first; year <= last; year += 1) if (!calendarCoversYear(year)) years.push(year);
  return years;
}

export const chinaCalendar: WorkingCalendar = {
  isWorkingDay: (date) => isWorkday(date),
};

/** The China-time calendar date of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Start (China-time midnight) of the day holding `ms`, as epoch milliseconds. */
function dayStart(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
}

/** The instant when `amountMs` of working time has passed since `start`. */
export function addWorkingTime(start: Date, amountMs: number, calendar: WorkingCalendar = chinaCalendar): Date {
  let t = start.getTime();
  let left = amountMs;
  // A bound far beyond any real holiday run: a calendar without working days must not loop forever.
  for (let guard = 0; guard < 3660; guard += 1) {
    const end = dayStart(t) + DAY_MS;
    if (calendar.isWorkingDay(chinaDate(new Date(t)))) {
      if (left <= end - t) return new Date(t + left);
      left -= end - t;
    }
    t = end;
  }
  throw new Error('the working calendar has no working day within ten years');
}

export function addWorkingDays(start: Date, days: number, calendar: WorkingCalendar = chinaCalendar): Date {
  return addWorkingTime(start, days * DAY_MS, calendar);
}

/** Working time between two instants (0 when `to` is not after `from`). */
export function workingTimeBetween(from: Date, to: Date, calendar: WorkingCalendar = chinaCalendar): number {
  let t = from.getTime();
  const stop = to.getTime();
  let total = 0;
  while (t < stop) {
    const end = Math.min(dayStart(t) + DAY_MS, stop);
    if (calendar.isWorkingDay(chinaDate(new Date(t)))) total += end - t;
    t = end;
  }
  return total;
}
