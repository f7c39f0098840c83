/**
 * The table catalogue: every storage table of the six department schemas (departments/sql/*.sql), with its
 * columns in DDL order, keys, references and a zod row schema mirroring the DDL (types, NOT NULL, CHECK) and
 * the contracts its comments state. It is the single description used to generate, write (--out), read and
 * validate (--from), checksum and COPY the data set.
 *
 * Contract: columns here = the table's columns in the DDL (tests compare with the live database);
 * TABLE_ORDER lists parents before children, the order rows are loaded in. `checks` holds cross-column rules
 * (e.g. a person's birth date agrees with the citizen ID); their messages never quote values.
 */
import { z } from 'zod';
import { parseCitizenId } from '../domain/citizen-id';
import { addedLater, col, nullable, type ColumnDef } from './columns';

export const DEPARTMENT_SCHEMAS = [
  'public_security',
  'health',
  'medical_insurance',
  'social_security',
  'civil_affairs',
  'education',
] as const;
export type DepartmentSchema = (typeof DEPARTMENT_SCHEMAS)[number];

/** Catalogue keys (camelCase table names), in load order: parents before children. */
export const TABLE_ORDER = [
  'person',
  'birthRegistration',
  'birthCertificate',
  'infantVisit',
  'vaccination',
  'vaccinationArchive',
  'childcareInstitution',
  'childcareEnrolment',
  'elderlyHealthCheck',
  'familyDoctorContract',
  'enrolment',
  'cardApplication',
  'elderlyProfile',
  'capabilityAssessment',
  'subsidy',
  'institution',
  'careArrangement',
  'monthlyVisit',
  'mealAssistance',
  'kindergarten',
  'nurseryEnrolment',
  'parentingGuidance',
] as const;
export type TableKey = (typeof TABLE_ORDER)[number];

type Columns = Record<string, ColumnDef>;
export type RowOf<C extends Columns> = { [K in keyof C]: z.output<C[K]['zod']> };
export type Value = string | number | boolean | null | string[];
export type AnyRow = Record<string, Value>;

export interface Problem {
  column: string;
  message: string;
}

export interface TableSpec<C extends Columns = Columns> {
  schema: DepartmentSchema;
  name: string;
  /** `schema.table` */
  qualifiedName: string;
  columns: C;
  columnNames: ReadonlyArray<keyof C & string>;
  primaryKey: ReadonlyArray<keyof C & string>;
  /** UNIQUE constraints other than the primary key. */
  unique: ReadonlyArray<ReadonlyArray<keyof C & string>>;
  /** Foreign keys: a column referencing the primary key of another catalogue table. */
  references: ReadonlyArray<{ column: keyof C & string; table: TableKey }>;
  row: z.ZodType<RowOf<C>>;
}

function defineTable<C extends Columns>(spec: {
  schema: DepartmentSchema;
  name: string;
  columns: C;
  primaryKey: ReadonlyArray<keyof C & string>;
  unique?: ReadonlyArray<ReadonlyArray<keyof C & string>>;
  references?: ReadonlyArray<{ column: keyof C & string; table: TableKey }>;
  checks?: (row: RowOf<C>) => Problem[];
}): TableSpec<C> {
  const shape = Object.fromEntries(Object.entries(spec.columns).map(([name, column]) => [name, column.zod]));
  const checks = spec.checks;
  const object = z.strictObject(shape);
  const row = (checks
    ? object.superRefine((value, ctx) => {
        for (const problem of checks(value as RowOf<C>)) {
          ctx.addIssue({ code: 'custom', path: [problem.column], message: problem.message });
        }
      })
    : object) as unknown as z.ZodType<RowOf<C>>;
  return {
    schema: spec.schema,
    name: spec.name,
    qualifiedName: `${spec.schema}.${spec.name}`,
    columns: spec.columns,
    columnNames: Object.keys(spec.columns),
    primaryKey: spec.primaryKey,
    unique: spec.unique ?? [],
    references: spec.references ?? [],
    row,
  };
}

const SEX = ['M', 'F'] as const;
const updatedAt = col.timestamptz();

/** A citizen ID column that must agree with a birth date and a sex column of the same row. */
function idAgrees(id: string | null, birthDate: string, sex: string, column: string): Problem[] {
  if (id === null) return [];
  const parsed = parseCitizenId(id, new Date(Date.UTC(9999, 0, 1)));
  if (!parsed.ok) return [];
  const problems: Problem[] = [];
  if (parsed.value.birthDate !== birthDate) problems.push({ column, message: 'birth-date digits disagree with birth_date' });
  if (parsed.value.sex !== sex) problems.push({ column, message: 'sex digit disagrees with sex' });
  return problems;
}

const notAfter = (earlier: string | null, later: string | null, column: string, message: string): Problem[] =>
  earlier !== null && later !== null && later < earlier ? [{ column, message }] : [];

// ------------------------------------------------------------------------------------------ 公安 public security

const person = defineTable({
  schema: 'public_security',
  name: 'person',
  columns: {
    citizen_id: col.citizenId(),
    name: col.text(),
    sex: col.enumChar(SEX),
    birth_date: col.date(),
    ethnicity: col.text(),
    phone: nullable({ ...col.text(), zod: z.string().regex(/^1\d{10}$/, 'must be an 11-digit mobile number') }),
    region_code: col.regionCode(),
    address: col.text(),
    household_id: col.text(),
    household_head_id: col.citizenId(),
    relation_to_head: col.text(),
    residence_type: col.enumText(['REGISTERED_RESIDENT', 'RESIDENT_ONLY', 'REGISTERED_ONLY']),
    registered_on: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['citizen_id'],
  checks: (r) => [
    ...idAgrees(r.citizen_id, r.birth_date, r.sex, 'citizen_id'),
    ...notAfter(r.birth_date, r.registered_on, 'registered_on', 'must not be before birth_date'),
    ...((r.household_head_id === r.citizen_id) !== (r.relation_to_head === '户主')
      ? [{ column: 'relation_to_head', message: "must be 户主 exactly when household_head_id is the person's own ID" }]
      : []),
  ],
});

const birthRegistration = defineTable({
  schema: 'public_security',
  name: 'birth_registration',
  columns: {
    registration_id: { ...col.text(), zod: z.string().regex(/^PSBR\d{12}$/, "must be 'PSBR' + 12 digits") },
    idempotency_key: col.text(),
    certificate_number: col.text(),
    citizen_id: col.citizenId(),
    status: col.enumText(['REGISTERED', 'REJECTED']),
    reject_reason: nullable(col.text()),
    registered_at: col.timestamptz(),
  },
  primaryKey: ['registration_id'],
  unique: [['idempotency_key'], ['certificate_number'], ['citizen_id']],
  references: [{ column: 'citizen_id', table: 'person' }],
});

// ------------------------------------------------------------------------------------------------ 卫健 health

const CHILDCARE_SERVICE_TYPES = ['FULL_DAY', 'HALF_DAY', 'HOURLY', 'TEMPORARY'] as const;

const birthCertificate = defineTable({
  schema: 'health',
  name: 'birth_certificate',
  columns: {
    certificate_number: col.text(),
    idempotency_key: nullable(col.text()),
    child_name: col.text(),
    sex: col.enumChar(SEX),
    birth_date: col.date(),
    birth_weight_g: col.integer(300, 7000),
    hospital: col.text(),
    mother_citizen_id: col.citizenId(),
    father_citizen_id: nullable(col.citizenId()),
    region_code: col.regionCode(),
    child_citizen_id: nullable(col.citizenId()),
    issued_at: col.timestamptz(),
    updated_at: updatedAt,
  },
  primaryKey: ['certificate_number'],
  unique: [['idempotency_key']],
  checks: (r) => idAgrees(r.child_citizen_id, r.birth_date, r.sex, 'child_citizen_id'),
});

const INFANT_AGES = [0, 1, 3, 6, 8, 12, 18, 24, 30, 36] as const;

const infantVisit = defineTable({
  schema: 'health',
  name: 'infant_visit',
  columns: {
    visit_id: col.text(),
    citizen_id: col.citizenId(),
    kind: col.enumText(['NEWBORN_HOME_VISIT', 'CHECK']),
    age_months: col.integerIn(INFANT_AGES),
    done_on: nullable(col.date()),
    organisation: col.text(),
    updated_at: updatedAt,
  },
  primaryKey: ['visit_id'],
  checks: (r) =>
    (r.kind === 'NEWBORN_HOME_VISIT') !== (r.age_months === 0)
      ? [{ column: 'age_months', message: 'must be 0 exactly for a NEWBORN_HOME_VISIT' }]
      : [],
});

const vaccination = defineTable({
  schema: 'health',
  name: 'vaccination',
  columns: {
    vaccination_id: col.text(),
    citizen_id: col.citizenId(),
    vaccine_code: col.text(),
    vaccine_name: col.text(),
    dose: col.integer(1, 5),
    vaccinated_on: col.date(),
    organisation: col.text(),
    updated_at: updatedAt,
  },
  primaryKey: ['vaccination_id'],
});

const vaccinationArchive = defineTable({
  schema: 'health',
  name: 'vaccination_archive',
  columns: {
    archive_id: col.text(),
    idempotency_key: nullable(col.text()),
    citizen_id: col.citizenId(),
    created_at: col.timestamptz(),
  },
  primaryKey: ['archive_id'],
  unique: [['idempotency_key'], ['citizen_id']],
});

const childcareInstitution = defineTable({
  schema: 'health',
  name: 'childcare_institution',
  columns: {
    institution_id: col.text(),
    name: col.text(),
    region_code: col.regionCode(),
    address: col.text(),
    operator: col.text(),
    registration_authority: col.enumText(['PUBLIC_SECTOR', 'CIVIL_AFFAIRS', 'MARKET_REGULATION']),
    filing_number: nullable(col.text()),
    filing_date: nullable(col.date()),
    filing_status: col.enumText(['FILED', 'PENDING', 'NOT_FILED', 'REVOKED']),
    service_types: col.textArray(CHILDCARE_SERVICE_TYPES),
    places: col.integer(0),
    inclusive: col.boolean(),
    enrolled: col.integer(0),
    staff_total: col.integer(0),
    staff_certified: col.integer(0),
    medical_contract: col.boolean(),
    updated_at: updatedAt,
  },
  primaryKey: ['institution_id'],
  unique: [['filing_number']],
  checks: (r) => [
    ...(r.staff_certified > r.staff_total ? [{ column: 'staff_certified', message: 'must not exceed staff_total' }] : []),
    ...(r.filing_status === 'FILED' && (r.filing_number === null || r.filing_date === null)
      ? [{ column: 'filing_number', message: 'a FILED institution needs filing_number and filing_date' }]
      : []),
  ],
});

const childcareEnrolment = defineTable({
  schema: 'health',
  name: 'childcare_enrolment',
  columns: {
    citizen_id: col.citizenId(),
    institution_id: col.text(),
    service_type: col.enumText(CHILDCARE_SERVICE_TYPES),
    enrolled_on: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['citizen_id'],
  references: [{ column: 'institution_id', table: 'childcareInstitution' }],
});

const elderlyHealthCheck = defineTable({
  schema: 'health',
  name: 'elderly_health_check',
  columns: {
    check_id: col.text(),
    citizen_id: col.citizenId(),
    year: col.integer(2000, 2100),
    checked_on: col.date(),
    organisation: col.text(),
    updated_at: updatedAt,
  },
  primaryKey: ['check_id'],
  checks: (r) => (r.checked_on.slice(0, 4) !== String(r.year) ? [{ column: 'checked_on', message: 'must fall in year' }] : []),
});

const familyDoctorContract = defineTable({
  schema: 'health',
  name: 'family_doctor_contract',
  columns: {
    contract_id: col.text(),
    citizen_id: col.citizenId(),
    team: col.text(),
    organisation: col.text(),
    signed_on: col.date(),
    valid_until: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['contract_id'],
  unique: [['citizen_id']],
  checks: (r) => notAfter(r.signed_on, r.valid_until, 'valid_until', 'must not be before signed_on'),
});

// ------------------------------------------------------------------------------------------- 医保 / 人社

const enrolment = defineTable({
  schema: 'medical_insurance',
  name: 'enrolment',
  columns: {
    enrolment_id: col.text(),
    idempotency_key: nullable(col.text()),
    citizen_id: col.citizenId(),
    scheme: col.enumText(['RESIDENT', 'EMPLOYEE']),
    status: col.enumText(['ACTIVE', 'SUSPENDED', 'ENDED']),
    enrolled_on: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['enrolment_id'],
  unique: [['idempotency_key'], ['citizen_id']],
});

const cardApplication = defineTable({
  schema: 'social_security',
  name: 'card_application',
  columns: {
    application_id: col.text(),
    idempotency_key: nullable(col.text()),
    citizen_id: col.citizenId(),
    status: col.enumText(['ACCEPTED', 'ISSUED', 'REJECTED']),
    card_number: nullable(col.text()),
    reject_reason: nullable(col.text()),
    applied_on: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['application_id'],
  unique: [['idempotency_key'], ['citizen_id']],
  checks: (r) => [
    ...(r.status === 'ISSUED' && r.card_number === null
      ? [{ column: 'card_number', message: 'an ISSUED card needs card_number' }]
      : []),
    ...(r.status === 'REJECTED' && r.reject_reason === null
      ? [{ column: 'reject_reason', message: 'a REJECTED application needs reject_reason' }]
      : []),
  ],
});

// ----------------------------------------------------------------------------------------- 民政 civil affairs

const elderlyProfile = defineTable({
  schema: 'civil_affairs',
  name: 'elderly_profile',
  columns: {
    citizen_id: col.citizenId(),
    special_hardship: col.boolean(),
    minimum_living: col.boolean(),
    economic_difficulty: col.boolean(),
    living_alone: col.boolean(),
    empty_nest: col.boolean(),
    family_planning_special: col.boolean(),
    updated_at: updatedAt,
    region_code: nullable(col.regionCode()),
    birth_date: nullable(col.date()),
    sex: nullable(col.enumChar(SEX)),
    capability_level: nullable(col.integer(0, 4)),
    // 集中供养意愿 of a 特困 person (row 11 of the indicator table); the synthetic data records none.
    central_care_willing: addedLater(col.boolean()),
  },
  primaryKey: ['citizen_id'],
});

const capabilityAssessment = defineTable({
  schema: 'civil_affairs',
  name: 'capability_assessment',
  columns: {
    assessment_id: col.text(),
    citizen_id: col.citizenId(),
    level: col.integer(0, 4),
    assessed_on: col.date(),
    assessor_org: col.text(),
    updated_at: updatedAt,
  },
  primaryKey: ['assessment_id'],
});

const subsidy = defineTable({
  schema: 'civil_affairs',
  name: 'subsidy',
  columns: {
    subsidy_id: col.text(),
    citizen_id: col.citizenId(),
    kind: col.enumText(['AGED_ALLOWANCE', 'NURSING_SUBSIDY', 'SERVICE_SUBSIDY']),
    amount_yuan: col.numeric(10, 2, { positive: true }),
    period_start: col.date(),
    period_end: nullable(col.date()),
    updated_at: updatedAt,
  },
  primaryKey: ['subsidy_id'],
  checks: (r) => notAfter(r.period_start, r.period_end, 'period_end', 'must not be before period_start'),
});

const institution = defineTable({
  schema: 'civil_affairs',
  name: 'institution',
  columns: {
    institution_id: col.text(),
    name: col.text(),
    kind: col.enumText(['FULL_CARE_INSTITUTION', 'STREET_CENTRE', 'COMMUNITY_STATION', 'SUPPORTING_FACILITY']),
    subtype: nullable(col.enumText(['SENIOR_UNIVERSITY', 'TEACHING_POINT', 'COMMUNITY_CANTEEN'])),
    ownership: col.enumText(['PUBLIC', 'PRIVATE']),
    operator: col.text(),
    region_code: col.regionCode(),
    address: col.text(),
    care_modes: col.textArray(['FULL_TIME', 'DAY_CARE']),
    star_level: nullable(col.integer(1, 5)),
    beds_total: col.integer(0),
    beds_nursing: col.integer(0),
    beds_safety_net: col.integer(0),
    beds_inclusive: col.integer(0),
    beds_occupied: col.integer(0),
    medical_contract: col.boolean(),
    updated_at: updatedAt,
  },
  primaryKey: ['institution_id'],
  checks: (r) => [
    ...(['beds_nursing', 'beds_safety_net', 'beds_inclusive', 'beds_occupied'] as const)
      .filter((c) => r[c] > r.beds_total)
      .map((c) => ({ column: c, message: 'must not exceed beds_total' })),
    ...((r.kind === 'SUPPORTING_FACILITY') !== (r.subtype !== null)
      ? [{ column: 'subtype', message: 'is set exactly for a SUPPORTING_FACILITY' }]
      : []),
  ],
});

const careArrangement = defineTable({
  schema: 'civil_affairs',
  name: 'care_arrangement',
  columns: {
    citizen_id: col.citizenId(),
    kind: col.enumText(['INSTITUTION', 'HOME_CARE_BED']),
    institution_id: nullable(col.text()),
    since: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['citizen_id'],
  references: [{ column: 'institution_id', table: 'institution' }],
  checks: (r) =>
    r.kind === 'INSTITUTION' && r.institution_id === null
      ? [{ column: 'institution_id', message: 'an INSTITUTION arrangement needs institution_id' }]
      : [],
});

const monthlyVisit = defineTable({
  schema: 'civil_affairs',
  name: 'monthly_visit',
  columns: {
    visit_id: col.text(),
    citizen_id: col.citizenId(),
    month: col.date(),
    visited_on: col.date(),
    visitor_org: col.text(),
    updated_at: updatedAt,
  },
  primaryKey: ['visit_id'],
  unique: [['citizen_id', 'month']],
  checks: (r) => [
    ...(r.month.endsWith('-01') ? [] : [{ column: 'month', message: 'must be the first day of a month' }]),
    ...(r.visited_on.slice(0, 7) !== r.month.slice(0, 7) ? [{ column: 'visited_on', message: 'must fall in month' }] : []),
  ],
});

const mealAssistance = defineTable({
  schema: 'civil_affairs',
  name: 'meal_assistance',
  columns: {
    citizen_id: col.citizenId(),
    institution_id: col.text(),
    since: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['citizen_id'],
  references: [{ column: 'institution_id', table: 'institution' }],
});

// ------------------------------------------------------------------------------------------------ 教育 education

const kindergarten = defineTable({
  schema: 'education',
  name: 'kindergarten',
  columns: {
    kindergarten_id: col.text(),
    name: col.text(),
    region_code: col.regionCode(),
    address: col.text(),
    ownership: col.enumText(['PUBLIC', 'PRIVATE']),
    inclusive: col.boolean(),
    nursery_class_places: col.integer(0),
    updated_at: updatedAt,
    nursery_class_enrolled: nullable(col.integer(0)),
  },
  primaryKey: ['kindergarten_id'],
});

const nurseryEnrolment = defineTable({
  schema: 'education',
  name: 'nursery_enrolment',
  columns: {
    citizen_id: col.citizenId(),
    kindergarten_id: col.text(),
    enrolled_on: col.date(),
    updated_at: updatedAt,
  },
  primaryKey: ['citizen_id'],
  references: [{ column: 'kindergarten_id', table: 'kindergarten' }],
});

const parentingGuidance = defineTable({
  schema: 'education',
  name: 'parenting_guidance',
  columns: {
    region_code: col.regionCode(),
    year: col.integer(2000, 2100),
    households_total: col.integer(0),
    households_reached: col.integer(0),
    updated_at: updatedAt,
  },
  primaryKey: ['region_code', 'year'],
  checks: (r) =>
    r.households_reached > r.households_total
      ? [{ column: 'households_reached', message: 'must not exceed households_total' }]
      : [],
});

/** Every table, keyed by a camelCase name. */
export const TABLES = {
  person,
  birthRegistration,
  birthCertificate,
  infantVisit,
  vaccination,
  vaccinationArchive,
  childcareInstitution,
  childcareEnrolment,
  elderlyHealthCheck,
  familyDoctorContract,
  enrolment,
  cardApplication,
  elderlyProfile,
  capabilityAssessment,
  subsidy,
  institution,
  careArrangement,
  monthlyVisit,
  mealAssistance,
  kindergarten,
  nurseryEnrolment,
  parentingGuidance,
} satisfies Record<TableKey, unknown>;

export type Tables = typeof TABLES;
export type TableRow<K extends TableKey> = RowOf<Tables[K]['columns']>;

export function tableSpec(key: TableKey): TableSpec {
  return TABLES[key] as unknown as TableSpec;
}

/** A data set: rows per table. */
export type Dataset = { [K in TableKey]: Array<TableRow<K>> };

export function emptyDataset(): Dataset {
  return Object.fromEntries(TABLE_ORDER.map((k) => [k, []])) as unknown as Dataset;
}

export function rowsOf(dataset: Dataset, key: TableKey): readonly AnyRow[] {
  return dataset[key];
}
