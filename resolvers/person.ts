/**
 * People across departments: identity and household from 公安 public security, and what each other department
 * holds about the same citizen ID, each read through the request's loaders (one batched call per department
 * and entity however many people a query touches).
 *
 * The citizen ID argument is validated first (18 characters, GB 11643 check character, plausible birth date):
 * an invalid one is BAD_USER_INPUT with the reason; a valid one nobody is registered under is null.
 */
import type { ListFilter } from '../connectors/departments';
import type { PersonRecord } from '../connectors/public-security/interface';
import type { HubContext } from './context';
import { BadUserInputError } from '../domain/errors';
import { parseCitizenId, type CitizenIdProblem } from '../domain/citizen-id';
import type { PageArgs } from '../domain/paging';
import { departmentConnection, WHOLE_LIST, type ListSelection } from './connection';
import { loadList, loadOne, withinRegionScope } from './department';
import { parseRegionCode } from './region';

const PROBLEMS: Record<CitizenIdProblem, string> = {
  LENGTH: 'must be 18 characters 身份号码应为18位',
  FORMAT: 'must be 17 digits and a digit or X 前17位应为数字，末位为数字或X',
  BIRTH_DATE: 'has no valid birth date in the past 出生日期无效',
  CHECK_DIGIT: 'has a wrong check character (GB 11643) 校验码错误',
};

/** Parses a citizen ID argument or throws BAD_USER_INPUT naming the argument and the reason. */
export function parseCitizenIdArgument(value: string, field: string): string {
  const parsed = parseCitizenId(value);
  if (parsed.ok) return parsed.value.citizenId;
  throw new BadUserInputError(`Invalid citizen ID 公民身份号码无效: ${PROBLEMS[parsed.problem]}`, {
    field,
    reason: `CITIZEN_ID_${parsed.problem}`,
  });
}

/**
 * The root lookup `person(citizenId)`: the person, or null when nobody is registered under the ID or the person
 * lives outside the consumer's region scope (the two answer alike: `withinRegionScope`). Every lookup of a valid
 * ID is audited with that ID as its subject, whatever the answer (`noteSubject`), so a refused lookup is on the
 * trail and the trail's writes do not tell the cases apart either.
 */
export function lookUpPerson(ctx: HubContext, citizenIdArgument: string): Promise<PersonRecord | null> {
  const citizenId = parseCitizenIdArgument(citizenIdArgument, 'citizenId');
  ctx.access.noteSubject(citizenId);
  return withinRegionScope(ctx, loadOne(ctx, 'public-security', 'person', citizenId));
}

/** Whole years between `birthDate` and `today`. */
export function ageOn(birthDate: string, today: Date = new Date()): number {
  // `birthDate` is a record's YYYY-MM-DD (validated): read by position, not split (called for every person of a page).
  const year = Number(birthDate.slice(0, 4));
  const monthDay = Number(birthDate.slice(5, 7)) * 100 + Number(birthDate.slice(8, 10));
  const todayMonthDay = (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
  return today.getUTCFullYear() - year - (todayMonthDay < monthDay ? 1 : 0);
}

export const elderlyProfile = (ctx: HubContext, citizenId: string) => loadOne(ctx, 'civil-affairs', 'elderlyProfile', citizenId);

/** Capability assessments, most recent first. */
export async function capabilityAssessments(ctx: HubContext, citizenId: string) {
  const records = await loadList(ctx, 'civil-affairs', 'capabilityAssessment', citizenId);
  return records.sort((a, b) => b.assessedOn.localeCompare(a.assessedOn));
}

/** Subsidies, most recent period first. */
export async function subsidies(ctx: HubContext, citizenId: string) {
  const records = await loadList(ctx, 'civil-affairs', 'subsidy', citizenId);
  return records.sort((a, b) => b.periodStart.localeCompare(a.periodStart));
}

export const careArrangement = (ctx: HubContext, citizenId: string) =>
  loadOne(ctx, 'civil-affairs', 'careArrangement', citizenId);

export const medicalInsurance = (ctx: HubContext, citizenId: string) => loadOne(ctx, 'medical-insurance', 'enrolment', citizenId);

export const socialSecurityCard = (ctx: HubContext, citizenId: string) =>
  loadOne(ctx, 'social-security', 'cardApplication', citizenId);

export const familyDoctorContract = (ctx: HubContext, citizenId: string) =>
  loadOne(ctx, 'health', 'familyDoctorContract', citizenId);

/** Annual health checks (65+), most recent first. */
export async function annualHealthChecks(ctx: HubContext, citizenId: string) {
  const records = await loadList(ctx, 'health', 'elderlyHealthCheck', citizenId);
  return records.sort((a, b) => b.checkedOn.localeCompare(a.checkedOn));
}

/** Vaccinations in the order given. */
export async function vaccinations(ctx: HubContext, citizenId: string) {
  const records = await loadList(ctx, 'health', 'vaccination', citizenId);
  return records.sort((a, b) => a.vaccinatedOn.localeCompare(b.vaccinatedOn) || a.vaccineCode.localeCompare(b.vaccineCode));
}

export interface ElderlyCriteria {
  specialHardship?: boolean | null;
  minimumLiving?: boolean | null;
  economicDifficulty?: boolean | null;
  livingAlone?: boolean | null;
  emptyNest?: boolean | null;
  familyPlanningSpecial?: boolean | null;
  disabilityLevelAtLeast?: number | null;
}

export interface PersonFilter {
  elderly?: ElderlyCriteria | null;
  regionCode?: string | null;
  ageMin?: number | null;
  ageMax?: number | null;
  sex?: 'M' | 'F' | null;
  residence?: 'REGISTERED' | 'RESIDENT' | null;
  residenceTypes?: PersonRecord['residenceType'][] | null;
}

/** `date` shifted by whole years (29 February → 28 February in common years), YYYY-MM-DD. */
function shiftYears(date: Date, years: number): Date {
  const shifted = new Date(Date.UTC(date.getUTCFullYear() + years, date.getUTCMonth(), date.getUTCDate()));
  if (shifted.getUTCMonth() !== date.getUTCMonth()) shifted.setUTCDate(0);
  return shifted;
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The public-security filter for a person filter, with ages as of `today`: aged ≥ a ⇔ born on or before
 * today − a years; aged ≤ b ⇔ born after today − (b + 1) years.
 */
export function personSearchFilter(filter: PersonFilter, today: Date = new Date()): ListFilter<'public-security', 'person'> {
  const out: ListFilter<'public-security', 'person'> = {};
  if (filter.regionCode != null) out.regionCode = parseRegionCode(filter.regionCode, 'filter.regionCode');
  for (const [field, age] of [
    ['ageMin', filter.ageMin],
    ['ageMax', filter.ageMax],
  ] as const) {
    if (age != null && (!Number.isInteger(age) || age < 0 || age > 150)) {
      throw new BadUserInputError(`${field} must be a whole number of years from 0 to 150 年龄应为0到150`, {
        field: `filter.${field}`,
        reason: 'AGE_OUT_OF_RANGE',
      });
    }
  }
  if (filter.ageMin != null && filter.ageMax != null && filter.ageMin > filter.ageMax) {
    throw new BadUserInputError('ageMin is greater than ageMax 最小年龄大于最大年龄', {
      field: 'filter.ageMin',
      reason: 'EMPTY_AGE_RANGE',
    });
  }
  const todayUtc = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  if (filter.ageMin != null) out.bornOnOrBefore = iso(shiftYears(todayUtc, -filter.ageMin));
  if (filter.ageMax != null) {
    const earliest = shiftYears(todayUtc, -(filter.ageMax + 1));
    earliest.setUTCDate(earliest.getUTCDate() + 1);
    out.bornOnOrAfter = iso(earliest);
  }
  if (filter.sex) out.sex = filter.sex;
  const types = new Set<PersonRecord['residenceType']>(
    filter.residenceTypes ?? ['REGISTERED_RESIDENT', 'RESIDENT_ONLY', 'REGISTERED_ONLY'],
  );
  if (filter.residence === 'REGISTERED') types.delete('RESIDENT_ONLY');
  if (filter.residence === 'RESIDENT') types.delete('REGISTERED_ONLY');
  if (types.size < 3) out.residenceType = [...types];
  return out;
}

/**
 * A filter on a field reveals that field's values (who is 特困, who lives alone), so each filter needs read
 * access to the field it filters on; otherwise the list is FORBIDDEN, naming the filter.
 */
function requireReadableFilters(ctx: HubContext, filter: PersonFilter): void {
  const access = ctx.access;
  if (filter.regionCode != null) access.requireReadable('Person.region', 'filter.regionCode');
  if (filter.sex != null) access.requireReadable('Person.sex', 'filter.sex');
  if (filter.ageMin != null) access.requireReadable('Person.age', 'filter.ageMin');
  if (filter.ageMax != null) access.requireReadable('Person.age', 'filter.ageMax');
  if (filter.residence != null) access.requireReadable('Household.residenceType', 'filter.residence');
  if (filter.residenceTypes != null) access.requireReadable('Household.residenceType', 'filter.residenceTypes');
  if (!filter.elderly) return;
  access.requireReadable('Person.elderlyProfile', 'filter.elderly');
  for (const flag of FLAGS) {
    if (filter.elderly[flag] != null) access.requireReadable(`ElderlyProfile.${flag}`, `filter.elderly.${flag}`);
  }
  if (filter.elderly.disabilityLevelAtLeast != null) {
    access.requireReadable('CapabilityAssessment.level', 'filter.elderly.disabilityLevelAtLeast');
  }
}

const FLAGS = [
  'specialHardship',
  'minimumLiving',
  'economicDifficulty',
  'livingAlone',
  'emptyNest',
  'familyPlanningSpecial',
] as const;

/**
 * People matching the filter. Without elderly criteria the list comes from 公安's register. With them it comes
 * from 民政's roster of resident elderly (which keeps community, birth date, sex and current capability level),
 * so that paging and totalCount stay exact, and each page's people are then read from 公安 in one batched call.
 */
export function listPersons(ctx: HubContext, filter: PersonFilter, args: PageArgs, selection: ListSelection = WHOLE_LIST) {
  requireReadableFilters(ctx, filter);
  const search = personSearchFilter(filter);
  if (!filter.elderly) {
    return departmentConnection(ctx, 'public-security', 'person', search, args, (r) => r.data, selection);
  }
  if (filter.residence === 'REGISTERED' || filter.residenceTypes) {
    throw new BadUserInputError(
      'Elderly criteria list the roster of resident elderly (常住); residence filters cannot be added 老年人条件仅适用于常住人口',
      { field: 'filter.elderly', reason: 'UNSUPPORTED_COMBINATION' },
    );
  }
  const { residenceType: _residents, ...common } = search;
  const roster: ListFilter<'civil-affairs', 'elderlyProfile'> = { ...common };
  for (const flag of FLAGS) if (filter.elderly[flag] != null) roster[flag] = filter.elderly[flag];
  const level = filter.elderly.disabilityLevelAtLeast;
  if (level != null) {
    if (!Number.isInteger(level) || level < 1 || level > 4) {
      throw new BadUserInputError('disabilityLevelAtLeast must be 1 (轻度) to 4 (完全失能)', {
        field: 'filter.elderly.disabilityLevelAtLeast',
        reason: 'LEVEL_OUT_OF_RANGE',
      });
    }
    roster.capabilityLevelAtLeast = level;
  }
  // The roster's records are not the nodes (the people are read from 公安): only the count follows the selection.
  const rosterSelection = { fields: undefined, totalCount: selection.totalCount };
  return departmentConnection(
    ctx,
    'civil-affairs',
    'elderlyProfile',
    roster,
    args,
    async (record) => {
      const person = await loadOne(ctx, 'public-security', 'person', record.data.citizenId);
      if (!person)
        throw new Error(`civil affairs lists a person public security does not know (${record.sourceRecordId.slice(0, 6)}…)`);
      return person;
    },
    rosterSelection,
  );
}
