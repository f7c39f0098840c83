/**
 * People across departments: identity and household from 公安 public security, and what each other department
 * holds about the same citizen ID, each read through the request's loaders (one batched call per department
 * and entity however many people a query touches).
 *
 * The citizen ID argument is validated first (18 characters, GB 11643 check character, plausible birth date):
 * an invalid one is BAD_USER_INPUT with the reason; a valid one nobody is registered under is null.
 */
import type { CapabilityAssessmentRecord, CareArrangementRecord, ElderlyProfileRecord, SubsidyRecord } from '../connectors/civil-affairs/interface';
import type { FamilyDoctorContractRecord, ElderlyHealthCheckRecord, VaccinationRecord } from '../connectors/health/interface';
import type { EnrolmentRecord } from '../connectors/medical-insurance/interface';
import type { PersonRecord } from '../connectors/public-security/interface';
import type { CardApplicationRecord } from '../connectors/social-security/interface';
import type { HubContext } from '../server/context';
import { BadUserInputError } from '../server/errors';
import { parseCitizenId, type CitizenIdProblem } from './citizen-id';
import { loadList, loadOne } from './department';

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

export function findPerson(ctx: HubContext, citizenId: string): Promise<PersonRecord | null> {
  return loadOne<PersonRecord>(ctx, 'public-security', 'person', parseCitizenIdArgument(citizenId, 'citizenId'));
}

/** Whole years between `birthDate` and `today`. */
export function ageOn(birthDate: string, today: Date = new Date()): number {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  return today.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}

export const elderlyProfile = (ctx: HubContext, citizenId: string) =>
  loadOne<ElderlyProfileRecord>(ctx, 'civil-affairs', 'elderlyProfile', citizenId);

/** Capability assessments, most recent first. */
export async function capabilityAssessments(ctx: HubContext, citizenId: string) {
  const records = await loadList<CapabilityAssessmentRecord>(ctx, 'civil-affairs', 'capabilityAssessment', citizenId);
  return records.sort((a, b) => b.assessedOn.localeCompare(a.assessedOn));
}

/** Subsidies, most recent period first. */
export async function subsidies(ctx: HubContext, citizenId: string) {
  const records = await loadList<SubsidyRecord>(ctx, 'civil-affairs', 'subsidy', citizenId);
  return records.sort((a, b) => b.periodStart.localeCompare(a.periodStart));
}

export const careArrangement = (ctx: HubContext, citizenId: string) =>
  loadOne<CareArrangementRecord>(ctx, 'civil-affairs', 'careArrangement', citizenId);

export const medicalInsurance = (ctx: HubContext, citizenId: string) =>
  loadOne<EnrolmentRecord>(ctx, 'medical-insurance', 'enrolment', citizenId);

export const socialSecurityCard = (ctx: HubContext, citizenId: string) =>
  loadOne<CardApplicationRecord>(ctx, 'social-security', 'cardApplication', citizenId);

export const familyDoctorContract = (ctx: HubContext, citizenId: string) =>
  loadOne<FamilyDoctorContractRecord>(ctx, 'health', 'familyDoctorContract', citizenId);

/** Annual health checks (65+), most recent first. */
export async function annualHealthChecks(ctx: HubContext, citizenId: string) {
  const records = await loadList<ElderlyHealthCheckRecord>(ctx, 'health', 'elderlyHealthCheck', citizenId);
  return records.sort((a, b) => b.checkedOn.localeCompare(a.checkedOn));
}

/** Vaccinations in the order given. */
export async function vaccinations(ctx: HubContext, citizenId: string) {
  const records = await loadList<VaccinationRecord>(ctx, 'health', 'vaccination', citizenId);
  return records.sort((a, b) => a.vaccinatedOn.localeCompare(b.vaccinatedOn) || a.vaccineCode.localeCompare(b.vaccineCode));
}
