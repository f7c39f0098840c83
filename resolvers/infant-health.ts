/**
 * Infant health management 婴幼儿健康管理 (卫健 health), under the National Basic Public Health Service
 * Specification (国家基本公共卫生服务规范, 0-6岁儿童健康管理): a newborn home visit, then checks at 1 (满月), 3, 6, 8,
 * 12, 18, 24, 30 and 36 months of age.
 *
 * The rule implemented (stated in the schema too), as of a date D:
 * - a scheduled check is DONE when health recorded it; otherwise MISSED once a month has passed since the age
 *   was reached, DUE during that month, UPCOMING before it;
 * - a child under 3 on D is MANAGED (纳入健康管理) when the newborn visit is done and no check is MISSED,
 *   NOT_MANAGED otherwise; a child aged 3 or more is NOT_APPLICABLE.
 * Pure functions below; `infantHealth` reads the records through the request's loaders.
 */
import type { InfantVisitRecord } from '../connectors/health/interface';
import type { HubContext } from './context';
import { loadList } from './department';

export const CHECK_AGES_MONTHS = [1, 3, 6, 8, 12, 18, 24, 30, 36] as const;

export type CheckStatus = 'DONE' | 'DUE' | 'MISSED' | 'UPCOMING';
export type ManagementStatus = 'MANAGED' | 'NOT_MANAGED' | 'NOT_APPLICABLE';

export interface ScheduledCheck {
  ageMonths: number;
  dueOn: string;
  doneOn: string | null;
  organisation: string | null;
  status: CheckStatus;
}

export interface InfantHealth {
  citizenId: string;
  asOf: string;
  newbornVisit: { doneOn: string | null; organisation: string | null };
  checks: ScheduledCheck[];
  managementStatus: ManagementStatus;
}

/** `date` plus `months` calendar months (clamped to the month's last day), YYYY-MM-DD. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export function checkStatus(dueOn: string, doneOn: string | null, asOf: string): CheckStatus {
  if (doneOn) return 'DONE';
  if (dueOn > asOf) return 'UPCOMING';
  return addMonths(dueOn, 1) < asOf ? 'MISSED' : 'DUE';
}

/** The management picture of a child born on `birthDate`, from health's visit records, as of `asOf`. */
export function assessInfantHealth(
  citizenId: string,
  birthDate: string,
  visits: InfantVisitRecord[],
  asOf: string,
): InfantHealth {
  const newborn =
    visits.find((v) => v.kind === 'NEWBORN_HOME_VISIT' && v.doneOn) ?? visits.find((v) => v.kind === 'NEWBORN_HOME_VISIT');
  const checks = CHECK_AGES_MONTHS.map((ageMonths) => {
    const record =
      visits.find((v) => v.kind === 'CHECK' && v.ageMonths === ageMonths && v.doneOn) ??
      visits.find((v) => v.kind === 'CHECK' && v.ageMonths === ageMonths);
    const dueOn = addMonths(birthDate, ageMonths);
    const doneOn = record?.doneOn ?? null;
    return { ageMonths, dueOn, doneOn, organisation: record?.organisation ?? null, status: checkStatus(dueOn, doneOn, asOf) };
  });
  const underThree = addMonths(birthDate, 36) > asOf;
  const managementStatus: ManagementStatus = !underThree
    ? 'NOT_APPLICABLE'
    : newborn?.doneOn && checks.every((c) => c.status !== 'MISSED')
      ? 'MANAGED'
      : 'NOT_MANAGED';
  return {
    citizenId,
    asOf,
    newbornVisit: { doneOn: newborn?.doneOn ?? null, organisation: newborn?.organisation ?? null },
    checks,
    managementStatus,
  };
}

/** Infant health of a person, or null when they were not yet born or were 3 or older on `asOf`. */
export async function infantHealth(
  ctx: HubContext,
  citizenId: string,
  birthDate: string,
  asOf: string,
): Promise<InfantHealth | null> {
  if (birthDate > asOf || addMonths(birthDate, 36) <= asOf) return null;
  const visits = await loadList(ctx, 'health', 'infantVisit', citizenId);
  return assessInfantHealth(citizenId, birthDate, visits, asOf);
}
