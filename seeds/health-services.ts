/**
 * Health services for adults and children beyond infant care: annual health checks of people aged 65+
 * (65岁及以上老年人健康体检) and family-doctor contracts (家庭医生签约).
 *
 * Contract:
 * - elderly_health_check: for each of HEALTH_CHECK_YEARS, about 70% of residents aged 65+ by that year's end
 *   (people checked one year are more likely checked the next), on a day between March and November, by the
 *   community health centre of their street; never after the reference date;
 * - family_doctor_contract: exactly 40% (rounded) of residents aged 60+ (people with a capability level ≥ 2 or in
 *   special difficulty more likely), about 30% of resident children under 4, and the showcase people; one
 *   contract per person, signed in the reference year, valid for one year.
 */
import { addYears, DATA_UPDATED_AT, fromDay, REFERENCE_DAY, REFERENCE_YEAR, toDay } from './calendar';
import type { ElderlyCare } from './elderly-care';
import { healthCentreOf } from './places';
import { isResident, type Person, type Population } from './population';
import type { Random } from './random';
import type { TableRow } from './tables';

export const HEALTH_CHECK_YEARS = [REFERENCE_YEAR - 1, REFERENCE_YEAR] as const;
export const FAMILY_DOCTOR_ELDERLY_SHARE = 0.4;
export const FAMILY_DOCTOR_CHILD_SHARE = 0.3;

export interface HealthServices {
  elderlyHealthChecks: Array<TableRow<'elderlyHealthCheck'>>;
  familyDoctorContracts: Array<TableRow<'familyDoctorContract'>>;
}

export function generateHealthServices(population: Population, care: ElderlyCare, random: Random): HealthServices {
  const randomDay = (lo: number, hi: number) => fromDay(random.int(lo, Math.max(lo, hi)));
  const residents = population.persons.filter(isResident);
  const showcase = new Set(Object.values(population.showcase));

  let checkNo = 0;
  const elderlyHealthChecks: HealthServices['elderlyHealthChecks'] = [];
  for (const p of residents) {
    if (p.age < 64) continue;
    let checkedLastYear = false;
    for (const year of HEALTH_CHECK_YEARS) {
      if (Number(p.birthDate.slice(0, 4)) > year - 65) continue;
      const p65 = showcase.has(p) ? 1 : checkedLastYear ? 0.85 : year === HEALTH_CHECK_YEARS[0] ? 0.68 : 0.35;
      checkedLastYear = random.chance(p65);
      if (!checkedLastYear) continue;
      elderlyHealthChecks.push({
        check_id: `TJ${year}${String(++checkNo).padStart(7, '0')}`,
        citizen_id: p.citizenId,
        year,
        checked_on: randomDay(toDay(`${year}-03-01`), Math.min(toDay(`${year}-11-30`), REFERENCE_DAY)),
        organisation: healthCentreOf(p.community.streetIndex),
        updated_at: DATA_UPDATED_AT,
      });
    }
  }

  const elders = residents.filter((p) => p.age >= 60);
  const weight = (p: Person) =>
    showcase.has(p)
      ? 0
      : ((care.levelOf.get(p) ?? 0) >= 2 ? 4 : 1) * (care.specialDifficulty.has(p) ? 3 : 1) * (p.age >= 65 ? 1.5 : 1);
  const elderlyShowcase = elders.filter((p) => showcase.has(p));
  const signed: Person[] = [
    ...elderlyShowcase,
    ...random
      .sampleWeighted(elders.map(weight), Math.round(FAMILY_DOCTOR_ELDERLY_SHARE * elders.length) - elderlyShowcase.length)
      .map((i) => elders[i]!),
    ...residents.filter((p) => p.age < 4 && (showcase.has(p) || random.chance(FAMILY_DOCTOR_CHILD_SHARE))),
  ];
  const yearStart = toDay(`${REFERENCE_YEAR}-01-01`);
  const familyDoctorContracts: HealthServices['familyDoctorContracts'] = signed.map((p, i) => {
    const signedOn = randomDay(Math.max(yearStart, p.birthDay), REFERENCE_DAY);
    return {
      contract_id: `QY${String(i + 1).padStart(9, '0')}`,
      citizen_id: p.citizenId,
      team: `${p.community.name}家庭医生${random.int(1, 3)}组`,
      organisation: healthCentreOf(p.community.streetIndex),
      signed_on: signedOn,
      valid_until: fromDay(toDay(addYears(signedOn, 1)) - 1),
      updated_at: DATA_UPDATED_AT,
    };
  });
  return { elderlyHealthChecks, familyDoctorContracts };
}
