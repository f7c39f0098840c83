/**
 * Resident medical insurance enrolment (医保) and social security card applications (人社).
 *
 * Contract: about 95% of residents have an enrolment (employee scheme for most working-age and many retired
 * people, resident scheme for children and the rest; nearly all ACTIVE); about 97% have a card application
 * (almost everyone enrolled applies): ISSUED with a unique card number, ACCEPTED when applied in the last 30 days,
 * a few REJECTED with a reason. Children are enrolled and apply shortly after birth (出生一件事). The showcase
 * people always have both.
 */
import { addYears, DATA_UPDATED_AT, fromDay, REFERENCE_DAY, toDay } from './calendar';
import { isResident, type Population } from './population';
import type { Random } from './random';
import type { TableRow } from './tables';

export const ENROLMENT_SHARE = 0.95;

const REJECT_REASONS = ['照片不符合制卡要求', '身份信息核验不一致', '已有有效社保卡'];

export interface Insurance {
  enrolments: Array<TableRow<'enrolment'>>;
  cardApplications: Array<TableRow<'cardApplication'>>;
}

export function generateInsurance(population: Population, random: Random): Insurance {
  const randomDay = (lo: number, hi: number) => fromDay(random.int(lo, Math.max(lo, hi)));
  const showcase = new Set(Object.values(population.showcase));
  const enrolments: Insurance['enrolments'] = [];
  const cardApplications: Insurance['cardApplications'] = [];
  // Card numbers: a letter and 8 digits, unique by construction (serial scrambled by a multiplier coprime to 10^8).
  let cardSerial = 0;
  const cardNumber = () => {
    const n = (++cardSerial * 48_271 + 12_345_679) % 100_000_000;
    return `${'ABCDEFGHJK'[cardSerial % 10]}${String(n).padStart(8, '0')}`;
  };
  for (const p of population.persons) {
    if (!isResident(p)) continue;
    const adultFrom = toDay(addYears(p.birthDate, 18));
    const enrolled = showcase.has(p) || random.chance(ENROLMENT_SHARE);
    if (enrolled) {
      const employee = p.age >= 18 && random.chance(p.age < 60 ? 0.62 : 0.55);
      const r = random.float();
      enrolments.push({
        enrolment_id: `YB${String(enrolments.length + 1).padStart(10, '0')}`,
        idempotency_key: null,
        citizen_id: p.citizenId,
        scheme: employee ? 'EMPLOYEE' : 'RESIDENT',
        status: showcase.has(p) || r < 0.975 ? 'ACTIVE' : r < 0.995 ? 'SUSPENDED' : 'ENDED',
        enrolled_on: employee
          ? randomDay(Math.max(adultFrom, toDay('1999-01-01')), REFERENCE_DAY)
          : p.age < 3
            ? fromDay(Math.min(REFERENCE_DAY, p.birthDay + random.int(5, 60)))
            : randomDay(Math.max(p.birthDay, toDay('2008-01-01')), REFERENCE_DAY),
        updated_at: DATA_UPDATED_AT,
      });
    }
    if (!(showcase.has(p) || random.chance(enrolled ? 0.99 : 0.6))) continue;
    const appliedDay =
      p.age < 3
        ? Math.min(REFERENCE_DAY, p.birthDay + random.int(10, 90))
        : random.int(Math.max(p.birthDay, toDay('2010-01-01')), REFERENCE_DAY);
    const recent = appliedDay > REFERENCE_DAY - 30;
    const rejected = !showcase.has(p) && !recent && random.chance(0.01);
    const status = recent ? 'ACCEPTED' : rejected ? 'REJECTED' : 'ISSUED';
    cardApplications.push({
      application_id: `SB${String(cardApplications.length + 1).padStart(10, '0')}`,
      idempotency_key: null,
      citizen_id: p.citizenId,
      status,
      card_number: status === 'ISSUED' ? cardNumber() : null,
      reject_reason: status === 'REJECTED' ? random.pick(REJECT_REASONS) : null,
      applied_on: fromDay(appliedDay),
      updated_at: DATA_UPDATED_AT,
    });
  }
  return { enrolments, cardApplications };
}
