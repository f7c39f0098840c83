/**
 * Civil-affairs records about elderly people: profiles with special-difficulty flags, capability assessments
 * (GB/T 42195-2022 levels 0-4), subsidies, care arrangements (institution residents and home-care beds),
 * monthly visits 月探访 and meal assistance 助餐.
 *
 * Contract:
 * - one elderly_profile per resident aged 60+ (exactly figures.aged60Plus rows);
 * - flags are exact shares of the 60+ (rounded): 特困 0.3%, 低保 2% (特困 and 低保 are disjoint), 经济困难 5%
 *   (including every 特困 and 低保), 计划生育特殊家庭 0.5%; 独居 = the only co-resident of a household,
 *   空巢 = every co-resident aged 60+ (so it includes 独居); both false for people living in an institution;
 * - exactly 5% (rounded) of the 60+ have a latest assessment at level ≥ 2 (older people more likely), another
 *   8% a latest assessment at level 0-1, and every institution resident has at least an admission assessment;
 * - institution residents (care_arrangement INSTITUTION) number exactly each facility's beds_occupied, which is
 *   set here (planned occupancy, lower only if too few candidates); willing 失能特困 go to public institutions
 *   first (集中供养); figures.homeCareBeds people have a HOME_CARE_BED served by the nearest station or centre;
 * - subsidies (monthly yuan): AGED_ALLOWANCE for registered residents aged 80+ by age tier, NURSING_SUBSIDY for
 *   assessed level ≥ 2 with economic difficulty (by level, one row per assessment period), SERVICE_SUBSIDY for
 *   economic difficulty;
 * - monthly visits for people in special difficulty living at home (特困, 低保, 经济困难, 计生特殊 or 独居) in
 *   each of the VISIT_MONTHS months up to the reference date, most months visited;
 * - meal assistance at a community canteen for some elderly of the communities that have one.
 */
import {
  addMonths,
  addYears,
  DATA_UPDATED_AT,
  fromDay,
  maxDate,
  monthEnd,
  monthStart,
  REFERENCE_DATE,
  REFERENCE_DAY,
  toDay,
} from './calendar';
import type { ElderlyFacility, Facilities } from './facilities';
import type { ScaledFigures } from './figures';
import { coResidents, isResident, type Person, type Population } from './population';
import type { Random } from './random';
import { SHOWCASE_ELDERLY_ASSESSMENTS } from './showcase';
import type { TableRow } from './tables';

export const FLAG_SHARES = {
  specialHardship: 0.003,
  minimumLiving: 0.02,
  economicDifficulty: 0.05,
  familyPlanningSpecial: 0.005,
} as const;
export const SEVERE_LEVEL_SHARE = 0.05;
export const MILD_ASSESSED_SHARE = 0.08;

/** 高龄津贴 per month by age tier (yuan). */
export const AGED_ALLOWANCE_TIERS: ReadonlyArray<{ fromAge: number; yuan: number }> = [
  { fromAge: 80, yuan: 50 },
  { fromAge: 90, yuan: 100 },
  { fromAge: 100, yuan: 300 },
];
/** 护理补贴 per month by capability level (yuan). */
export const NURSING_SUBSIDY_YUAN: Readonly<Record<number, number>> = { 2: 100, 3: 200, 4: 300 };
/** 服务补贴 per month (yuan): under 80 / 80+. */
export const SERVICE_SUBSIDY_YUAN = { under80: 100, from80: 150 } as const;
export const ALLOWANCE_SCHEME_START = '2014-01-01';
/** Months of monthly visits generated, ending with the reference month. */
export const VISIT_MONTHS = 6;

const ASSESSORS = [
  '重庆市渝中区老年人能力评估中心',
  '重庆康评老年人能力评估有限公司',
  '重庆颐评健康管理咨询有限公司',
  '重庆市渝中区社会福利院评估室',
];

export interface ElderlyCare {
  profiles: Array<TableRow<'elderlyProfile'>>;
  assessments: Array<TableRow<'capabilityAssessment'>>;
  subsidies: Array<TableRow<'subsidy'>>;
  careArrangements: Array<TableRow<'careArrangement'>>;
  monthlyVisits: Array<TableRow<'monthlyVisit'>>;
  mealAssistance: Array<TableRow<'mealAssistance'>>;
  /** Latest capability level per assessed person (used by health services). */
  levelOf: Map<Person, number>;
  specialDifficulty: Set<Person>;
}

function counter(prefix: string, digits: number): () => string {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(digits, '0')}`;
}

function severeLevel(random: Random, age: number): number {
  const r = random.float();
  const [two, three] = age >= 85 ? [0.4, 0.73] : [0.5, 0.8];
  return r < two ? 2 : r < three ? 3 : 4;
}

/*
 * Generation runs in stages over one random stream, and each stage's draws depend on the results of the stages
 * before it. The order is: capability levels, difficulty flags, institution places, admission dates, home-care
 * beds, then the rows (assessments, subsidies, home-care start dates, visits, meals). Reordering the stages, or
 * the draws inside a stage, changes the data set; `--checksum` catches that.
 */

/** The residents aged 60+ in population order. Every per-elder array and map below is indexed by position here. */
interface Elders {
  persons: Person[];
  /** Index of the showcase elderly person: fixed assessments, 低保, a home-care bed, never an institution. */
  showcaseIndex: number;
  random: Random;
}

interface LivingArrangements {
  /** The only co-resident of the household. */
  livingAlone: boolean[];
  /** Every co-resident aged 60+ (includes living alone). */
  elderlyOnly: boolean[];
}

/** Exact shares of FLAG_SHARES. 特困 and 低保 are disjoint, and every 特困 and 低保 is also 经济困难. */
interface DifficultyFlags {
  hardship: boolean[];
  minimum: boolean[];
  economic: boolean[];
  familyPlanning: boolean[];
}

interface Assessment {
  level: number;
  assessedOn: string;
}

/** Facilities that serve people at home: the community's station first, otherwise the street's centre. */
interface LocalServices {
  stations: ElderlyFacility[];
  centres: ElderlyFacility[];
  all: ElderlyFacility[];
}

function randomDay(random: Random, lo: number, hi: number): string {
  return fromDay(random.int(lo, Math.max(lo, hi)));
}

function countTrue(flags: boolean[]): number {
  return flags.reduce((s, f) => s + (f ? 1 : 0), 0);
}

/** `k` elders drawn with weights, never one for whom `skip` holds. Draws nothing when k ≤ 0. */
function drawElders(elders: Elders, weight: (p: Person, i: number) => number, k: number, skip: (i: number) => boolean): number[] {
  return k <= 0
    ? []
    : elders.random.sampleWeighted(
        elders.persons.map((p, i) => (skip(i) ? 0 : weight(p, i))),
        k,
      );
}

function isSevere(level: ReadonlyArray<number | null>, i: number): boolean {
  return (level[i] ?? 0) >= 2;
}

function livingArrangementsOf(elders: Elders): LivingArrangements {
  return {
    livingAlone: elders.persons.map((p) => coResidents(p.household).length === 1),
    elderlyOnly: elders.persons.map((p) => coResidents(p.household).every((m) => m.age >= 60)),
  };
}

/**
 * Latest capability level per elder, null when never assessed. Exactly SEVERE_LEVEL_SHARE of the elders are
 * at level ≥ 2 (the showcase person counts as one of them; older people are more likely) and
 * MILD_ASSESSED_SHARE more are at level 0-1.
 */
function drawCapabilityLevels(elders: Elders): Array<number | null> {
  const { persons, showcaseIndex, random } = elders;
  const n = persons.length;
  const level: Array<number | null> = persons.map(() => null);
  level[showcaseIndex] = SHOWCASE_ELDERLY_ASSESSMENTS.at(-1)!.level;
  const severeCount = Math.round(SEVERE_LEVEL_SHARE * n);
  for (const i of drawElders(
    elders,
    (p) => Math.exp((p.age - 60) / 8),
    severeCount - 1,
    (i) => level[i] !== null,
  )) {
    level[i] = severeLevel(random, persons[i]!.age);
  }
  for (const i of drawElders(
    elders,
    (p) => (p.age >= 80 ? 3 : 1),
    Math.round(MILD_ASSESSED_SHARE * n),
    (i) => level[i] !== null,
  )) {
    level[i] = random.chance(0.45) ? 1 : 0;
  }
  return level;
}

/** The showcase person is 低保 and never 特困 or 计生特殊. */
function drawDifficultyFlags(elders: Elders, living: LivingArrangements, level: ReadonlyArray<number | null>): DifficultyFlags {
  const { persons, showcaseIndex } = elders;
  const n = persons.length;
  const { livingAlone, elderlyOnly } = living;
  const severe = (i: number) => isSevere(level, i);
  const hardship = persons.map(() => false);
  const minimum = persons.map(() => false);
  const economic = persons.map(() => false);
  const familyPlanning = persons.map(() => false);
  minimum[showcaseIndex] = true;
  const hardshipWeight = (p: Person, i: number) => (livingAlone[i] ? 6 : 1) * (severe(i) ? 3 : 1) * (p.age >= 70 ? 2 : 1);
  for (const i of drawElders(elders, hardshipWeight, Math.round(FLAG_SHARES.specialHardship * n), (i) => i === showcaseIndex))
    hardship[i] = true;
  const minimumTarget = Math.round(FLAG_SHARES.minimumLiving * n) - countTrue(minimum);
  for (const i of drawElders(
    elders,
    (_, i) => (livingAlone[i] ? 2 : 1),
    minimumTarget,
    (i) => hardship[i]! || minimum[i]!,
  ))
    minimum[i] = true;
  persons.forEach((_, i) => (economic[i] = hardship[i]! || minimum[i]!));
  const economicTarget = Math.round(FLAG_SHARES.economicDifficulty * n) - countTrue(economic);
  for (const i of drawElders(
    elders,
    (p, i) => (p.age >= 80 ? 2 : 1) * (severe(i) ? 2 : 1),
    economicTarget,
    (i) => economic[i]!,
  ))
    economic[i] = true;
  const fpWeight = (p: Person, i: number) => (elderlyOnly[i] ? 8 : 1) * (p.age < 80 ? 2 : 1);
  for (const i of drawElders(elders, fpWeight, Math.round(FLAG_SHARES.familyPlanningSpecial * n), (i) => i === showcaseIndex))
    familyPlanning[i] = true;
  return { hardship, minimum, economic, familyPlanning };
}

/**
 * Institution residents: the facility of each resident, by elder index in admission order. Every 失能特困
 * person goes to a public institution first (集中供养), growing a facility's planned occupancy when needed
 * (never beyond its beds); the remaining planned beds go to people drawn by need, never the showcase person.
 * Sets each bed facility's bedsOccupied to the residents actually placed.
 */
function placeInstitutionResidents(
  elders: Elders,
  facilities: Facilities,
  level: ReadonlyArray<number | null>,
  flags: DifficultyFlags,
): Map<number, ElderlyFacility> {
  const { showcaseIndex, random } = elders;
  const severe = (i: number) => isSevere(level, i);
  const bedFacilities = facilities.elderly.filter((f) => f.bedsTotal > 0);
  const planned = new Map(bedFacilities.map((f) => [f, Math.min(f.bedsTotal, f.bedsOccupied)]));
  const occupied = new Map(bedFacilities.map((f) => [f, 0]));
  const residentAt = new Map<number, ElderlyFacility>();
  const admit = (i: number, f: ElderlyFacility) => {
    residentAt.set(i, f);
    occupied.set(f, occupied.get(f)! + 1);
  };
  const publicFirst = [...bedFacilities].sort((a, b) => (a.ownership === b.ownership ? 0 : a.ownership === 'PUBLIC' ? -1 : 1));
  elders.persons.forEach((_, i) => {
    if (!flags.hardship[i] || !severe(i)) return;
    let f = publicFirst.find((x) => occupied.get(x)! < planned.get(x)!);
    if (!f) {
      // Grow an institution's occupancy rather than leave a willing 失能特困 person out (集中供养率 100%).
      f = publicFirst.find((x) => occupied.get(x)! < x.bedsTotal);
      if (f) planned.set(f, planned.get(f)! + 1);
    }
    if (f) admit(i, f);
  });
  const openBeds = random.shuffle(
    bedFacilities.flatMap((f) => Array<ElderlyFacility>(Math.max(0, planned.get(f)! - occupied.get(f)!)).fill(f)),
  );
  const residentWeight = (p: Person, i: number) =>
    (severe(i) ? 10 : level[i] === 1 ? 3 : p.age >= 75 ? 1 : 0.2) * (p.age >= 80 ? 2 : 1);
  const drawn = drawElders(elders, residentWeight, openBeds.length, (i) => i === showcaseIndex || residentAt.has(i));
  drawn.forEach((i, k) => admit(i, openBeds[k]!));
  for (const f of bedFacilities) f.bedsOccupied = occupied.get(f)!;
  return residentAt;
}

/** Admission date per resident: after turning 60, within the last 8 years, at least 10 days before the reference date. */
function drawAdmissionDates(elders: Elders, residentAt: ReadonlyMap<number, ElderlyFacility>): Map<number, string> {
  const admittedOn = new Map<number, string>();
  for (const i of residentAt.keys()) {
    const p = elders.persons[i]!;
    admittedOn.set(
      i,
      randomDay(elders.random, Math.max(REFERENCE_DAY - 8 * 365, toDay(addYears(p.birthDate, 60))), REFERENCE_DAY - 10),
    );
  }
  return admittedOn;
}

/** Exactly figures.homeCareBeds people with a 家庭养老床位 (elder indexes, the showcase person first), none in an institution. */
function drawHomeCareBeds(
  elders: Elders,
  figures: ScaledFigures,
  level: ReadonlyArray<number | null>,
  flags: DifficultyFlags,
  residentAt: ReadonlyMap<number, ElderlyFacility>,
): number[] {
  const { showcaseIndex } = elders;
  const homeCareWeight = (_: Person, i: number) =>
    isSevere(level, i) ? (flags.economic[i] ? 3 : 1) : level[i] === 1 ? 0.2 : 0.001;
  return [
    showcaseIndex,
    ...drawElders(elders, homeCareWeight, figures.homeCareBeds - 1, (i) => i === showcaseIndex || residentAt.has(i)),
  ];
}

function localServicesOf(facilities: Facilities): LocalServices {
  return {
    stations: facilities.elderly.filter((f) => f.kind === 'COMMUNITY_STATION'),
    centres: facilities.elderly.filter((f) => f.kind === 'STREET_CENTRE'),
    all: facilities.elderly,
  };
}

/** Never undefined: falls back to any centre, station or facility when the person's street has none. */
function homeCareProviderFor(services: LocalServices, p: Person): ElderlyFacility {
  const { stations, centres } = services;
  return (
    stations.find((f) => f.community === p.community) ??
    centres.find((f) => f.street.index === p.community.streetIndex) ??
    centres[0] ??
    stations[0] ??
    services.all[0]!
  );
}

/** The residents' committee visits where neither the community nor the street has a facility. */
function visitorOrgFor(services: LocalServices, p: Person): string {
  return (
    services.stations.find((f) => f.community === p.community)?.name ??
    services.centres.find((f) => f.street.index === p.community.streetIndex)?.name ??
    `${p.community.name}居民委员会`
  );
}

/** People in special difficulty living at home (not in an institution), in elder order. */
function specialDifficultyAtHome(
  elders: Elders,
  living: LivingArrangements,
  flags: DifficultyFlags,
  residentAt: ReadonlyMap<number, ElderlyFacility>,
): Set<Person> {
  const specialDifficulty = new Set<Person>();
  elders.persons.forEach((p, i) => {
    if (residentAt.has(i)) return;
    if (flags.hardship[i] || flags.minimum[i] || flags.economic[i] || flags.familyPlanning[i] || living.livingAlone[i]) {
      specialDifficulty.add(p);
    }
  });
  return specialDifficulty;
}

/**
 * Assessment history of one elder, oldest first, or undefined for an elder never assessed. A resident never
 * assessed before gets an admission assessment at level 0-1, at most 30 days before admission.
 */
function drawAssessmentHistory(
  elders: Elders,
  i: number,
  level: Array<number | null>,
  residentAt: ReadonlyMap<number, ElderlyFacility>,
  admittedOn: ReadonlyMap<number, string>,
): Assessment[] | undefined {
  const { random } = elders;
  const sixty = toDay(addYears(elders.persons[i]!.birthDate, 60));
  if (i === elders.showcaseIndex) return [...SHOWCASE_ELDERLY_ASSESSMENTS];
  if (level[i] === null) {
    if (!residentAt.has(i)) return undefined;
    const admitted = toDay(admittedOn.get(i)!);
    const admissionLevel = random.chance(0.6) ? 1 : 0;
    level[i] = admissionLevel;
    return [{ level: admissionLevel, assessedOn: randomDay(random, Math.max(sixty, admitted - 30), admitted) }];
  }
  if (isSevere(level, i)) {
    const latest = toDay(randomDay(random, Math.max(sixty, REFERENCE_DAY - 2 * 365), REFERENCE_DAY - 5));
    const list = [{ level: level[i]!, assessedOn: fromDay(latest) }];
    const earlier = latest - random.int(300, 420);
    if (earlier >= sixty && random.chance(0.4)) {
      list.unshift({ level: Math.max(1, level[i]! - (random.chance(0.5) ? 1 : 0)), assessedOn: fromDay(earlier) });
    }
    return list;
  }
  return [{ level: level[i]!, assessedOn: randomDay(random, Math.max(sixty, REFERENCE_DAY - 3 * 365), REFERENCE_DAY) }];
}

/**
 * capability_assessment rows, in elder order, and each assessed elder's history. `levels` is the latest level
 * per elder after admission assessments: `level` with the never-assessed residents filled in.
 */
function assessmentRows(
  elders: Elders,
  level: ReadonlyArray<number | null>,
  residentAt: ReadonlyMap<number, ElderlyFacility>,
  admittedOn: ReadonlyMap<number, string>,
): { rows: ElderlyCare['assessments']; byElder: Map<number, Assessment[]>; levels: Array<number | null> } {
  const levels = [...level];
  const nextAssessment = counter('PG', 9);
  const rows: ElderlyCare['assessments'] = [];
  const byElder = new Map<number, Assessment[]>();
  elders.persons.forEach((p, i) => {
    const list = drawAssessmentHistory(elders, i, levels, residentAt, admittedOn);
    if (!list) return;
    byElder.set(i, list);
    for (const a of list) {
      rows.push({
        assessment_id: nextAssessment(),
        citizen_id: p.citizenId,
        level: a.level,
        assessed_on: a.assessedOn,
        assessor_org: elders.random.pick(ASSESSORS),
        updated_at: DATA_UPDATED_AT,
      });
    }
  });
  return { rows, byElder, levels };
}

/** The level of the latest assessment, null when never assessed. */
function latestLevel(history: readonly Assessment[] | undefined): number | null {
  if (!history?.length) return null;
  return [...history].sort((a, b) => a.assessedOn.localeCompare(b.assessedOn)).at(-1)!.level;
}

/** 独居 and 空巢 are false for institution residents; the capability level is that of the latest assessment. */
function profileRows(
  elders: Elders,
  living: LivingArrangements,
  flags: DifficultyFlags,
  residentAt: ReadonlyMap<number, ElderlyFacility>,
  assessmentsByElder: ReadonlyMap<number, Assessment[]>,
): ElderlyCare['profiles'] {
  return elders.persons.map((p, i) => ({
    citizen_id: p.citizenId,
    special_hardship: flags.hardship[i]!,
    minimum_living: flags.minimum[i]!,
    economic_difficulty: flags.economic[i]!,
    living_alone: living.livingAlone[i]! && !residentAt.has(i),
    empty_nest: living.elderlyOnly[i]! && !residentAt.has(i),
    family_planning_special: flags.familyPlanning[i]!,
    updated_at: DATA_UPDATED_AT,
    region_code: p.community.code,
    birth_date: p.birthDate,
    sex: p.sex,
    capability_level: latestLevel(assessmentsByElder.get(i)),
    central_care_willing: null,
  }));
}

/**
 * Per elder in order: AGED_ALLOWANCE by age tier (registered residents aged 80+, almost all; the showcase
 * person always), then for economic difficulty NURSING_SUBSIDY per assessment period at level ≥ 2 and one
 * SERVICE_SUBSIDY. Periods start the month after their cause; none starts after the reference date.
 */
function subsidyRows(
  elders: Elders,
  flags: DifficultyFlags,
  assessmentsByElder: ReadonlyMap<number, Assessment[]>,
): ElderlyCare['subsidies'] {
  const { random, showcaseIndex } = elders;
  const nextSubsidy = counter('BT', 9);
  const subsidies: ElderlyCare['subsidies'] = [];
  const addSubsidy = (p: Person, kind: TableRow<'subsidy'>['kind'], yuan: number, start: string, end: string | null) => {
    if (start > REFERENCE_DATE || (end !== null && end < start)) return;
    subsidies.push({
      subsidy_id: nextSubsidy(),
      citizen_id: p.citizenId,
      kind,
      amount_yuan: yuan,
      period_start: start,
      period_end: end,
      updated_at: DATA_UPDATED_AT,
    });
  };
  const nextMonthAfter = (date: string) => monthStart(addMonths(date, 1));
  const dayBefore = (date: string) => fromDay(toDay(date) - 1);
  elders.persons.forEach((p, i) => {
    if (p.age >= 80 && p.residence === 'REGISTERED_RESIDENT' && (i === showcaseIndex || random.chance(0.98))) {
      const tiers = AGED_ALLOWANCE_TIERS.filter((t) => p.age >= t.fromAge);
      const starts = tiers.map((t) => maxDate(ALLOWANCE_SCHEME_START, nextMonthAfter(addYears(p.birthDate, t.fromAge))));
      tiers.forEach((t, k) =>
        addSubsidy(p, 'AGED_ALLOWANCE', t.yuan, starts[k]!, k + 1 < starts.length ? dayBefore(starts[k + 1]!) : null),
      );
    }
    if (flags.economic[i]) {
      const periods = (assessmentsByElder.get(i) ?? []).map((a) => ({ ...a, start: nextMonthAfter(a.assessedOn) }));
      periods.forEach((a, k) => {
        const yuan = NURSING_SUBSIDY_YUAN[a.level];
        const next = periods[k + 1];
        if (yuan !== undefined) addSubsidy(p, 'NURSING_SUBSIDY', yuan, a.start, next ? dayBefore(next.start) : null);
      });
      const from = maxDate(
        nextMonthAfter(addYears(p.birthDate, 60)),
        monthStart(randomDay(random, toDay('2016-01-01'), REFERENCE_DAY)),
      );
      addSubsidy(p, 'SERVICE_SUBSIDY', p.age >= 80 ? SERVICE_SUBSIDY_YUAN.from80 : SERVICE_SUBSIDY_YUAN.under80, from, null);
    }
  });
  return subsidies;
}

/** The institution residents (since admission), then the home-care beds (served by the nearest provider). */
function careArrangementRows(
  elders: Elders,
  residentAt: ReadonlyMap<number, ElderlyFacility>,
  admittedOn: ReadonlyMap<number, string>,
  homeCare: readonly number[],
  services: LocalServices,
): ElderlyCare['careArrangements'] {
  const careArrangements: ElderlyCare['careArrangements'] = [];
  for (const [i, f] of residentAt) {
    careArrangements.push({
      citizen_id: elders.persons[i]!.citizenId,
      kind: 'INSTITUTION',
      institution_id: f.id,
      since: admittedOn.get(i)!,
      updated_at: DATA_UPDATED_AT,
    });
  }
  for (const i of homeCare) {
    const p = elders.persons[i]!;
    careArrangements.push({
      citizen_id: p.citizenId,
      kind: 'HOME_CARE_BED',
      institution_id: homeCareProviderFor(services, p).id,
      since: i === elders.showcaseIndex ? '2022-07-01' : randomDay(elders.random, toDay('2022-03-01'), REFERENCE_DAY),
      updated_at: DATA_UPDATED_AT,
    });
  }
  return careArrangements;
}

/** 月探访 in each of the VISIT_MONTHS months: most months visited, every month for the showcase person. */
function monthlyVisitRows(
  elders: Elders,
  specialDifficulty: ReadonlySet<Person>,
  services: LocalServices,
): ElderlyCare['monthlyVisits'] {
  const { random } = elders;
  const showcase = elders.persons[elders.showcaseIndex];
  const months = Array.from({ length: VISIT_MONTHS }, (_, k) => monthStart(addMonths(REFERENCE_DATE, k - VISIT_MONTHS + 1)));
  const nextVisit = counter('TF', 9);
  const monthlyVisits: ElderlyCare['monthlyVisits'] = [];
  for (const p of specialDifficulty) {
    const visitor = visitorOrgFor(services, p);
    for (const month of months) {
      if (p !== showcase && !random.chance(0.96)) continue;
      monthlyVisits.push({
        visit_id: nextVisit(),
        citizen_id: p.citizenId,
        month,
        visited_on: randomDay(random, toDay(month), Math.min(toDay(monthEnd(month)), REFERENCE_DAY)),
        visitor_org: visitor,
        updated_at: DATA_UPDATED_AT,
      });
    }
  }
  return monthlyVisits;
}

/** 助餐 at one of the community's canteens for some elders living at home, more often in special difficulty. */
function mealAssistanceRows(
  elders: Elders,
  facilities: Facilities,
  residentAt: ReadonlyMap<number, ElderlyFacility>,
  specialDifficulty: ReadonlySet<Person>,
): ElderlyCare['mealAssistance'] {
  const { random } = elders;
  const canteensByCommunity = new Map<string, ElderlyFacility[]>();
  for (const f of facilities.elderly) {
    if (f.subtype !== 'COMMUNITY_CANTEEN' || !f.community) continue;
    canteensByCommunity.set(f.community.code, [...(canteensByCommunity.get(f.community.code) ?? []), f]);
  }
  const mealAssistance: ElderlyCare['mealAssistance'] = [];
  elders.persons.forEach((p, i) => {
    const canteens = canteensByCommunity.get(p.community.code);
    if (!canteens || residentAt.has(i)) return;
    if (!random.chance(specialDifficulty.has(p) ? 0.3 : 0.06)) return;
    mealAssistance.push({
      citizen_id: p.citizenId,
      institution_id: random.pick(canteens).id,
      since: randomDay(random, toDay('2019-01-01'), REFERENCE_DAY),
      updated_at: DATA_UPDATED_AT,
    });
  });
  return mealAssistance;
}

function levelsByPerson(elders: Elders, levels: ReadonlyArray<number | null>): Map<Person, number> {
  const levelOf = new Map<Person, number>();
  elders.persons.forEach((p, i) => {
    if (levels[i] !== null) levelOf.set(p, levels[i]!);
  });
  return levelOf;
}

export function generateElderlyCare(
  population: Population,
  facilities: Facilities,
  figures: ScaledFigures,
  random: Random,
): ElderlyCare {
  const persons = population.persons.filter((p) => isResident(p) && p.age >= 60);
  const elders: Elders = { persons, showcaseIndex: persons.indexOf(population.showcase.ELDERLY), random };
  const living = livingArrangementsOf(elders);
  const level = drawCapabilityLevels(elders);
  const flags = drawDifficultyFlags(elders, living, level);
  const residentAt = placeInstitutionResidents(elders, facilities, level, flags);
  const admittedOn = drawAdmissionDates(elders, residentAt);
  const homeCare = drawHomeCareBeds(elders, figures, level, flags, residentAt);
  const services = localServicesOf(facilities);
  const specialDifficulty = specialDifficultyAtHome(elders, living, flags, residentAt);
  const assessments = assessmentRows(elders, level, residentAt, admittedOn);
  return {
    profiles: profileRows(elders, living, flags, residentAt, assessments.byElder),
    assessments: assessments.rows,
    subsidies: subsidyRows(elders, flags, assessments.byElder),
    careArrangements: careArrangementRows(elders, residentAt, admittedOn, homeCare, services),
    monthlyVisits: monthlyVisitRows(elders, specialDifficulty, services),
    mealAssistance: mealAssistanceRows(elders, facilities, residentAt, specialDifficulty),
    levelOf: levelsByPerson(elders, assessments.levels),
    specialDifficulty,
  };
}
