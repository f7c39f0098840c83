/**
 * Periods as DHIS2 writes them: `2022` (year), `2022Q4` (quarter), `202212` (month), and the relative periods
 * THIS_YEAR, LAST_YEAR, THIS_QUARTER, THIS_MONTH, LAST_MONTH and LAST_12_MONTHS, resolved against a reference
 * date (the hub's configured "today"; the synthetic data is a snapshot on 2022-12-31).
 *
 * Contract: `resolvePeriods(ids, referenceDate)` returns one `Period` per fixed period, in the order asked,
 * without duplicates; a relative period expands as DHIS2 expands it (LAST_12_MONTHS: the 12 months before the
 * reference month, oldest first). A malformed or unknown period is a BadUserInputError naming `periods.<i>`.
 * Pure: no clock, no I/O.
 */
import { BadUserInputError } from './errors';

export type PeriodType = 'YEARLY' | 'QUARTERLY' | 'MONTHLY';

export interface Period {
  /** The DHIS2 id: `2022`, `2022Q4`, `202212`. */
  id: string;
  type: PeriodType;
  /** First and last day, YYYY-MM-DD. */
  start: string;
  end: string;
  year: number;
}

export const RELATIVE_PERIODS = ['THIS_YEAR', 'LAST_YEAR', 'THIS_QUARTER', 'THIS_MONTH', 'LAST_MONTH', 'LAST_12_MONTHS'] as const;
export type RelativePeriod = (typeof RELATIVE_PERIODS)[number];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function monthPeriod(year: number, month: number): Period {
  return {
    id: `${year}${pad(month)}`,
    type: 'MONTHLY',
    start: `${year}-${pad(month)}-01`,
    end: `${year}-${pad(month)}-${pad(lastDayOfMonth(year, month))}`,
    year,
  };
}

function quarterPeriod(year: number, quarter: number): Period {
  const lastMonth = quarter * 3;
  return {
    id: `${year}Q${quarter}`,
    type: 'QUARTERLY',
    start: `${year}-${pad(lastMonth - 2)}-01`,
    end: `${year}-${pad(lastMonth)}-${pad(lastDayOfMonth(year, lastMonth))}`,
    year,
  };
}

function yearPeriod(year: number): Period {
  return { id: String(year), type: 'YEARLY', start: `${year}-01-01`, end: `${year}-12-31`, year };
}

/** Month `offset` months from (year, month), as [year, month]. */
function shiftMonth(year: number, month: number, offset: number): [number, number] {
  const index = year * 12 + (month - 1) + offset;
  return [Math.floor(index / 12), (index % 12) + 1];
}

const YEAR_RANGE = { min: 1900, max: 2100 };

/** One fixed period id, or null when it is not one. */
export function parseFixedPeriod(id: string): Period | null {
  let match = /^(\d{4})$/.exec(id);
  const inRange = (year: number) => year >= YEAR_RANGE.min && year <= YEAR_RANGE.max;
  if (match) {
    const year = Number(match[1]);
    return inRange(year) ? yearPeriod(year) : null;
  }
  match = /^(\d{4})Q([1-4])$/.exec(id);
  if (match) {
    const year = Number(match[1]);
    return inRange(year) ? quarterPeriod(year, Number(match[2])) : null;
  }
  match = /^(\d{4})(\d{2})$/.exec(id);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    return inRange(year) && month >= 1 && month <= 12 ? monthPeriod(year, month) : null;
  }
  return null;
}

/** The fixed periods a relative period stands for on `referenceDate` (YYYY-MM-DD). */
export function expandRelativePeriod(relative: RelativePeriod, referenceDate: string): Period[] {
  const year = Number(referenceDate.slice(0, 4));
  const month = Number(referenceDate.slice(5, 7));
  switch (relative) {
    case 'THIS_YEAR':
      return [yearPeriod(year)];
    case 'LAST_YEAR':
      return [yearPeriod(year - 1)];
    case 'THIS_QUARTER':
      return [quarterPeriod(year, Math.ceil(month / 3))];
    case 'THIS_MONTH':
      return [monthPeriod(year, month)];
    case 'LAST_MONTH':
      return [monthPeriod(...shiftMonth(year, month, -1))];
    case 'LAST_12_MONTHS':
      return Array.from({ length: 12 }, (_, i) => monthPeriod(...shiftMonth(year, month, i - 12)));
  }
}

export function resolvePeriods(ids: readonly string[], referenceDate: string, field = 'periods'): Period[] {
  if (ids.length === 0)
    throw new BadUserInputError('At least one period is needed 至少需要一个期间', { field, reason: 'NO_PERIOD' });
  const out = new Map<string, Period>();
  ids.forEach((raw, i) => {
    const id = raw.trim();
    const periods = (RELATIVE_PERIODS as readonly string[]).includes(id)
      ? expandRelativePeriod(id as RelativePeriod, referenceDate)
      : [parseFixedPeriod(id)];
    if (periods[0] === null) {
      throw new BadUserInputError(
        `Malformed period "${raw.slice(0, 20)}" 期间格式错误 (2022, 2022Q4, 202212 or ${RELATIVE_PERIODS.join(', ')})`,
        {
          field: `${field}.${i}`,
          reason: 'MALFORMED_PERIOD',
        },
      );
    }
    for (const period of periods as Period[]) out.set(period.id, period);
  });
  return [...out.values()];
}

/** Whether `date` (YYYY-MM-DD) lies in the period. */
export const periodContains = (period: Period, date: string) => period.start <= date && date <= period.end;

/** `date` shifted by whole years (29 February → 28 February), YYYY-MM-DD. */
export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const month = Number(date.slice(5, 7));
  const day = Math.min(Number(date.slice(8, 10)), lastDayOfMonth(year, month));
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The day after `date`, YYYY-MM-DD. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
