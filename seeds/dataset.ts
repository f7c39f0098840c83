/**
 * Generates the whole synthetic data set: rows for every table of the table catalogue (seeds/tables.ts).
 *
 * Contract: `generateDataset({ scale, seed })` is a pure function of its options: the same scale and seed give
 * the same rows in the same order (no clock, no Math.random). Each stage draws from its own forked random
 * stream. Tables filled only by the hub's joint services (public_security.birth_registration,
 * health.vaccination_archive) are empty.
 */
import { generateChildHealth } from './child-health';
import { DATA_UPDATED_AT } from './calendar';
import { generateElderlyCare } from './elderly-care';
import { generateFacilities, type ElderlyFacility } from './facilities';
import { scaleFigures, type ScaledFigures } from './figures';
import { generateHealthServices } from './health-services';
import { generateInsurance } from './insurance';
import { generatePopulation, type Person } from './population';
import { DEFAULT_SEED, Random } from './random';
import type { Dataset, TableRow } from './tables';

/** Below this scale the showcase people no longer fit in the calibrated age bands (under-3 count < 2). */
export const MIN_SCALE = 0.0001;
export const DEFAULT_SCALE = 0.01;

export interface GenerateOptions {
  scale?: number;
  seed?: number;
}

export function personRow(p: Person): TableRow<'person'> {
  return {
    citizen_id: p.citizenId,
    name: p.name,
    sex: p.sex,
    birth_date: p.birthDate,
    ethnicity: p.ethnicity,
    phone: p.phone,
    region_code: p.community.code,
    address: p.household.address,
    household_id: p.household.id,
    household_head_id: p.household.members[0]!.citizenId,
    relation_to_head: p.relation,
    residence_type: p.residence,
    registered_on: p.registeredOn,
    updated_at: DATA_UPDATED_AT,
  };
}

function institutionRow(f: ElderlyFacility): TableRow<'institution'> {
  return {
    institution_id: f.id,
    name: f.name,
    kind: f.kind,
    subtype: f.subtype,
    ownership: f.ownership,
    operator: f.operator,
    region_code: f.regionCode,
    address: f.address,
    care_modes: [...f.careModes],
    star_level: f.starLevel,
    beds_total: f.bedsTotal,
    beds_nursing: f.bedsNursing,
    beds_safety_net: f.bedsSafetyNet,
    beds_inclusive: f.bedsInclusive,
    beds_occupied: f.bedsOccupied,
    medical_contract: f.medicalContract,
    updated_at: DATA_UPDATED_AT,
  };
}

export function generateDataset(options: GenerateOptions = {}): { dataset: Dataset; figures: ScaledFigures } {
  const scale = options.scale ?? DEFAULT_SCALE;
  const figures = scaleFigures(scale);
  if (scale < MIN_SCALE) throw new Error(`scale must be at least ${MIN_SCALE} (the showcase people need room), got ${scale}`);
  const random = new Random(options.seed ?? DEFAULT_SEED);

  const population = generatePopulation(figures, random.fork('population'));
  const facilities = generateFacilities(figures, random.fork('facilities'));
  const care = generateElderlyCare(population, facilities, figures, random.fork('elderly-care'));
  const children = generateChildHealth(population, facilities, random.fork('child-health'));
  const health = generateHealthServices(population, care, random.fork('health-services'));
  const insurance = generateInsurance(population, random.fork('insurance'));

  const dataset: Dataset = {
    person: population.persons.map(personRow),
    birthRegistration: [],
    birthCertificate: children.birthCertificates,
    infantVisit: children.infantVisits,
    vaccination: children.vaccinations,
    vaccinationArchive: [],
    childcareInstitution: children.childcareInstitutions,
    childcareEnrolment: children.childcareEnrolments,
    elderlyHealthCheck: health.elderlyHealthChecks,
    familyDoctorContract: health.familyDoctorContracts,
    enrolment: insurance.enrolments,
    cardApplication: insurance.cardApplications,
    elderlyProfile: care.profiles,
    capabilityAssessment: care.assessments,
    subsidy: care.subsidies,
    institution: facilities.elderly.map(institutionRow),
    careArrangement: care.careArrangements,
    monthlyVisit: care.monthlyVisits,
    mealAssistance: care.mealAssistance,
    kindergarten: children.kindergartens,
    nurseryEnrolment: children.nurseryEnrolments,
    parentingGuidance: children.parentingGuidance,
  };
  return { dataset, figures };
}
