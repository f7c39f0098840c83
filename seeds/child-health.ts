/**
 * Records about young children: birth certificates (health), infant health management visits and checks,
 * vaccinations, childcare enrolment (health), kindergarten 托班 enrolment and parenting guidance (education),
 * and the final rows of the childcare institutions and kindergartens (whose enrolled counts come from here).
 *
 * Contract:
 * - a birth certificate for every person born in the 3 years up to REFERENCE_DATE (any residence type), naming
 *   the mother (and the father when known) from the household, the child's citizen ID and community;
 * - infant_visit rows for resident children under 4: the newborn home visit (age 0, due 7 days after birth)
 *   and each scheduled check (1, 3, 6, 8, 12, 18, 24, 30, 36 months) due by the reference date; most are done
 *   (done_on), a few missed (done_on null); never a row for a check not yet due;
 * - vaccination rows for resident children under 7, one per dose of the national schedule that is due and was
 *   given by the reference date (about 98.5% of due doses, a little after the due date);
 * - the showcase infant has every due visit done and every due dose given; the showcase child is in the 托班
 *   of the kindergarten with the most places;
 * - nursery enrolment of 2-year-olds up to each kindergarten's places, childcare enrolment of 1-2-year-olds up
 *   to each institution's places (a child is in at most one of them), preferring the same street;
 * - parenting guidance per community and year (the last three years): households with a child under 3 at the
 *   year's end, and how many of them guidance reached.
 */
import {
  addMonths,
  DATA_UPDATED_AT,
  fromDay,
  minDate,
  REFERENCE_DATE,
  REFERENCE_DAY,
  REFERENCE_YEAR,
  toDay,
  beijingTimestamp,
} from './calendar';
import type { ChildcareFacility, ChildcareServiceType, Facilities, Kindergarten } from './facilities';
import { CitizenIdAllocator } from './identity';
import { IMMUNISATION_SCHEDULE } from './immunisation-schedule';
import { COMMUNITIES, healthCentreOf, MATERNITY_HOSPITALS } from './places';
import { isResident, type Person, type Population } from './population';
import type { Random } from './random';
import type { TableRow } from './tables';

/** 0 = newborn home visit (due 7 days after birth); then the scheduled checks, months of age. */
export const INFANT_CHECK_MONTHS = [0, 1, 3, 6, 8, 12, 18, 24, 30, 36] as const;
export const PARENTING_GUIDANCE_YEARS = [REFERENCE_YEAR - 2, REFERENCE_YEAR - 1, REFERENCE_YEAR] as const;

export interface ChildHealth {
  birthCertificates: Array<TableRow<'birthCertificate'>>;
  infantVisits: Array<TableRow<'infantVisit'>>;
  vaccinations: Array<TableRow<'vaccination'>>;
  childcareInstitutions: Array<TableRow<'childcareInstitution'>>;
  childcareEnrolments: Array<TableRow<'childcareEnrolment'>>;
  kindergartens: Array<TableRow<'kindergarten'>>;
  nurseryEnrolments: Array<TableRow<'nurseryEnrolment'>>;
  parentingGuidance: Array<TableRow<'parentingGuidance'>>;
}

function counter(prefix: string, digits: number): () => string {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(digits, '0')}`;
}

function checkDoneChance(months: number): number {
  if (months === 0) return 0.97;
  if (months <= 12) return 0.95;
  return 0.9;
}

/** Takes children from per-street pools, preferring `streetIndex`. */
class StreetPools {
  private readonly pools = new Map<number, Person[]>();

  constructor(random: Random, children: readonly Person[]) {
    for (const c of random.shuffle([...children])) {
      const list = this.pools.get(c.community.streetIndex) ?? [];
      list.push(c);
      this.pools.set(c.community.streetIndex, list);
    }
  }

  take(streetIndex: number): Person | undefined {
    const own = this.pools.get(streetIndex);
    if (own && own.length > 0) return own.pop();
    for (const list of this.pools.values()) if (list.length > 0) return list.pop();
    return undefined;
  }
}

/*
 * Generation runs in stages over one random stream, in this order: birth certificates, infant visits,
 * vaccinations, 托班 enrolment, 托育 enrolment, parenting guidance. Reordering the stages, or the draws inside a
 * stage, changes the data set; `--checksum` catches that. The enrolment stages also set the facilities' enrolled
 * counts, which the institution and kindergarten rows then publish.
 */

function randomDay(random: Random, lo: number, hi: number): string {
  return fromDay(random.int(lo, Math.max(lo, hi)));
}

/**
 * The maternity hospital of each child, drawn on first use. Shared by the birth certificate and the birth doses,
 * so that both name the same hospital.
 */
function hospitalChooser(random: Random): (child: Person) => string {
  const hospitalOf = new Map<Person, string>();
  return (child) => {
    let h = hospitalOf.get(child);
    if (!h) hospitalOf.set(child, (h = random.pick(MATERNITY_HOSPITALS)));
    return h;
  };
}

/** 出生医学证明 for children born in the last 3 years, in birth order (then citizen ID), numbered in that order. */
function birthCertificateRows(
  population: Population,
  random: Random,
  hospital: (child: Person) => string,
): ChildHealth['birthCertificates'] {
  const newborns = population.persons
    .filter((p) => p.age < 3)
    .sort((a, b) => a.birthDay - b.birthDay || (a.citizenId < b.citizenId ? -1 : 1));
  const outsideMothers = new CitizenIdAllocator(random.fork('outside-mothers'));
  let knownIds: Set<string> | undefined;
  return newborns.map((child, i) => {
    let mother = child.mother?.citizenId;
    if (!mother) {
      // Mother not registered in the district (fallback at very small scales): an ID from 江北区.
      knownIds ??= new Set(population.persons.map((p) => p.citizenId));
      do mother = outsideMothers.allocate('500105', fromDay(child.birthDay - random.int(22, 38) * 365), 'F');
      while (knownIds.has(mother));
    }
    const weight = Math.round(random.normal(child.sex === 'M' ? 3350 : 3250, 420));
    return {
      certificate_number: `Q500103${String(i + 1).padStart(6, '0')}`,
      idempotency_key: null,
      child_name: child.name,
      sex: child.sex,
      birth_date: child.birthDate,
      birth_weight_g: Math.min(4800, Math.max(1500, weight)),
      hospital: hospital(child),
      mother_citizen_id: mother,
      father_citizen_id: child.father?.citizenId ?? null,
      region_code: child.community.code,
      child_citizen_id: child.citizenId,
      issued_at: beijingTimestamp(fromDay(Math.min(REFERENCE_DAY, child.birthDay + random.int(1, 5))), '10:00:00'),
      updated_at: DATA_UPDATED_AT,
    };
  });
}

/** 婴幼儿健康管理: the newborn visit and each scheduled check due by the reference date, resident children under 4. */
function infantVisitRows(population: Population, random: Random): ChildHealth['infantVisits'] {
  const showcaseInfant = population.showcase.INFANT;
  const nextVisit = counter('EB', 9);
  const infantVisits: ChildHealth['infantVisits'] = [];
  for (const child of population.persons) {
    if (!isResident(child) || child.age >= 4) continue;
    const centre = healthCentreOf(child.community.streetIndex);
    for (const months of INFANT_CHECK_MONTHS) {
      const due = months === 0 ? fromDay(child.birthDay + 7) : addMonths(child.birthDate, months);
      if (due > REFERENCE_DATE) break;
      const done = child === showcaseInfant || random.chance(checkDoneChance(months));
      infantVisits.push({
        visit_id: nextVisit(),
        citizen_id: child.citizenId,
        kind: months === 0 ? 'NEWBORN_HOME_VISIT' : 'CHECK',
        age_months: months,
        done_on: done ? minDate(REFERENCE_DATE, fromDay(toDay(due) + random.int(0, 14))) : null,
        organisation: centre,
        updated_at: DATA_UPDATED_AT,
      });
    }
  }
  return infantVisits;
}

/** 预防接种: the doses due and given by the reference date, resident children under 7; birth doses at the hospital. */
function vaccinationRows(
  population: Population,
  random: Random,
  hospital: (child: Person) => string,
): ChildHealth['vaccinations'] {
  const showcaseInfant = population.showcase.INFANT;
  const nextVaccination = counter('JZ', 10);
  const vaccinations: ChildHealth['vaccinations'] = [];
  for (const child of population.persons) {
    if (!isResident(child) || child.age >= 7) continue;
    const centre = healthCentreOf(child.community.streetIndex);
    for (const d of IMMUNISATION_SCHEDULE) {
      const due = d.atBirth ? child.birthDay : toDay(addMonths(child.birthDate, d.months));
      if (due > REFERENCE_DAY) continue;
      if (child !== showcaseInfant && !random.chance(0.985)) continue;
      const onTime = child === showcaseInfant || random.chance(0.9);
      const delay = d.atBirth ? random.int(0, 1) : onTime ? random.int(0, child === showcaseInfant ? 7 : 20) : random.int(21, 60);
      const given = due + delay;
      if (given > REFERENCE_DAY) continue;
      vaccinations.push({
        vaccination_id: nextVaccination(),
        citizen_id: child.citizenId,
        vaccine_code: d.vaccineCode,
        vaccine_name: d.vaccineName,
        dose: d.dose,
        vaccinated_on: fromDay(given),
        organisation: d.atBirth ? hospital(child) : centre,
        updated_at: DATA_UPDATED_AT,
      });
    }
  }
  return vaccinations;
}

/** The kindergarten with the most 托班 places (the first of equals), undefined when none has any. */
function largestNursery(withNursery: readonly Kindergarten[]): Kindergarten | undefined {
  return withNursery.reduce<Kindergarten | undefined>(
    (best, k) => (!best || k.nurseryPlaces > best.nurseryPlaces ? k : best),
    undefined,
  );
}

/**
 * 托班: resident 2-year-olds, up to each kindergarten's planned enrolment (never beyond its places), preferring
 * the same street; the showcase child first in the kindergarten with the most places. Sets each kindergarten's
 * nurseryEnrolled and returns the children enrolled.
 */
function nurseryEnrolmentRows(
  population: Population,
  facilities: Facilities,
  random: Random,
): { rows: ChildHealth['nurseryEnrolments']; enrolled: Set<Person> } {
  const showcaseChild = population.showcase.NURSERY_CHILD;
  const twoYearOlds = population.persons.filter((p) => isResident(p) && p.age === 2 && p !== showcaseChild);
  const nurseryPool = new StreetPools(random, twoYearOlds);
  const withNursery = facilities.kindergartens.filter((k) => k.nurseryPlaces > 0);
  const showcaseKindergarten = largestNursery(withNursery);
  const rows: ChildHealth['nurseryEnrolments'] = [];
  const enrolledChildren = new Set<Person>();
  for (const k of withNursery) {
    const target = Math.min(k.nurseryPlaces, Math.max(k.nurseryEnrolled, k === showcaseKindergarten ? 1 : 0));
    let enrolled = 0;
    while (enrolled < target) {
      const child = k === showcaseKindergarten && enrolled === 0 ? showcaseChild : nurseryPool.take(k.street.index);
      if (!child) break;
      enrolledChildren.add(child);
      rows.push({
        citizen_id: child.citizenId,
        kindergarten_id: k.id,
        enrolled_on:
          child === showcaseChild
            ? '2022-09-01'
            : random.chance(0.8)
              ? fromDay(toDay(`${REFERENCE_YEAR}-09-01`) + random.int(0, 14))
              : randomDay(random, toDay(`${REFERENCE_YEAR}-09-15`), REFERENCE_DAY),
        updated_at: DATA_UPDATED_AT,
      });
      enrolled++;
    }
    k.nurseryEnrolled = enrolled;
  }
  return { rows, enrolled: enrolledChildren };
}

/**
 * 托育机构: resident 1-2-year-olds not in a 托班 (nor the showcase child), up to each institution's planned
 * enrolment (never beyond its places), preferring the same street. Sets each institution's enrolled.
 */
function childcareEnrolmentRows(
  population: Population,
  facilities: Facilities,
  random: Random,
  inNursery: ReadonlySet<Person>,
): ChildHealth['childcareEnrolments'] {
  const showcaseChild = population.showcase.NURSERY_CHILD;
  const toddlers = population.persons.filter(
    (p) => isResident(p) && (p.age === 1 || p.age === 2) && !inNursery.has(p) && p !== showcaseChild,
  );
  const childcarePool = new StreetPools(random, toddlers);
  const childcareEnrolments: ChildHealth['childcareEnrolments'] = [];
  for (const f of facilities.childcare) {
    let enrolled = 0;
    while (enrolled < Math.min(f.places, f.enrolled)) {
      const child = childcarePool.take(f.street.index);
      if (!child) break;
      const types = f.serviceTypes;
      const serviceType: ChildcareServiceType =
        types.includes('FULL_DAY') && random.chance(0.7) ? 'FULL_DAY' : random.pick(types);
      childcareEnrolments.push({
        citizen_id: child.citizenId,
        institution_id: f.id,
        service_type: serviceType,
        enrolled_on: randomDay(random, Math.max(toDay(addMonths(child.birthDate, 12)), REFERENCE_DAY - 365), REFERENCE_DAY),
        updated_at: DATA_UPDATED_AT,
      });
      enrolled++;
    }
    f.enrolled = enrolled;
  }
  return childcareEnrolments;
}

/** 科学育儿指导: per year and community (every community, zero included), households with a resident child under 3 at the year's end. */
function parentingGuidanceRows(population: Population, random: Random): ChildHealth['parentingGuidance'] {
  const parentingGuidance: ChildHealth['parentingGuidance'] = [];
  for (const year of PARENTING_GUIDANCE_YEARS) {
    const yearEnd = toDay(`${year}-12-31`);
    const firstBirth = toDay(`${year - 3}-12-31`) + 1;
    const households = new Map<string, Set<string>>();
    for (const p of population.persons) {
      if (!isResident(p) || p.birthDay < firstBirth || p.birthDay > yearEnd) continue;
      const set = households.get(p.community.code) ?? new Set<string>();
      set.add(p.household.id);
      households.set(p.community.code, set);
    }
    const rate = year === REFERENCE_YEAR ? 0.88 : year === REFERENCE_YEAR - 1 ? 0.8 : 0.7;
    for (const community of COMMUNITIES) {
      const total = households.get(community.code)?.size ?? 0;
      parentingGuidance.push({
        region_code: community.code,
        year,
        households_total: total,
        households_reached: Math.min(total, Math.round(total * Math.min(1, rate + random.normal(0, 0.05)))),
        updated_at: DATA_UPDATED_AT,
      });
    }
  }
  return parentingGuidance;
}

export function generateChildHealth(population: Population, facilities: Facilities, random: Random): ChildHealth {
  const hospital = hospitalChooser(random);
  const birthCertificates = birthCertificateRows(population, random, hospital);
  const infantVisits = infantVisitRows(population, random);
  const vaccinations = vaccinationRows(population, random, hospital);
  const nursery = nurseryEnrolmentRows(population, facilities, random);
  const childcareEnrolments = childcareEnrolmentRows(population, facilities, random, nursery.enrolled);
  const parentingGuidance = parentingGuidanceRows(population, random);
  return {
    birthCertificates,
    infantVisits,
    vaccinations,
    childcareInstitutions: facilities.childcare.map(childcareRow),
    childcareEnrolments,
    kindergartens: facilities.kindergartens.map((k) =>
      kindergartenRow(k, nursery.rows.filter((e) => e.kindergarten_id === k.id).length),
    ),
    nurseryEnrolments: nursery.rows,
    parentingGuidance,
  };
}

function childcareRow(f: ChildcareFacility): TableRow<'childcareInstitution'> {
  return {
    institution_id: f.id,
    name: f.name,
    region_code: f.regionCode,
    address: f.address,
    operator: f.operator,
    registration_authority: f.registrationAuthority,
    filing_number: f.filingNumber,
    filing_date: f.filingDate,
    filing_status: f.filingStatus,
    service_types: [...f.serviceTypes],
    places: f.places,
    inclusive: f.inclusive,
    enrolled: f.enrolled,
    staff_total: f.staffTotal,
    staff_certified: f.staffCertified,
    medical_contract: f.medicalContract,
    updated_at: DATA_UPDATED_AT,
  };
}

function kindergartenRow(k: Kindergarten, nurseryEnrolled: number): TableRow<'kindergarten'> {
  return {
    kindergarten_id: k.id,
    name: k.name,
    region_code: k.regionCode,
    address: k.address,
    ownership: k.ownership,
    inclusive: k.inclusive,
    nursery_class_places: k.nurseryPlaces,
    updated_at: DATA_UPDATED_AT,
    nursery_class_enrolled: nurseryEnrolled,
  };
}
