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

export function generateElderlyCare(
  population: Population,
  facilities: Facilities,
  figures: ScaledFigures,
  random: Random,
): ElderlyCare {
  const elders = population.persons.filter((p) => isResident(p) && p.age >= 60);
  const n = elders.length;
  const showcaseIndex = elders.indexOf(population.showcase.ELDERLY);
  const randomDay = (lo: number, hi: number) => fromDay(random.int(lo, Math.max(lo, hi)));
  const count = (flags: boolean[]) => flags.reduce((s, f) => s + (f ? 1 : 0), 0);
  /** `k` people drawn with weights, never one for whom `skip` holds. */
  const draw = (weight: (p: Person, i: number) => number, k: number, skip: (i: number) => boolean) =>
    k <= 0 ? [] : random.sampleWeighted(elders.map((p, i) => (skip(i) ? 0 : weight(p, i))), k);

  const livingAlone = elders.map((p) => coResidents(p.household).length === 1);
  const elderlyOnly = elders.map((p) => coResidents(p.household).every((m) => m.age >= 60));

  // Capability: latest level, or null when never assessed.
  const level: Array<number | null> = elders.map(() => null);
  level[showcaseIndex] = SHOWCASE_ELDERLY_ASSESSMENTS.at(-1)!.level;
  const severeCount = Math.round(SEVERE_LEVEL_SHARE * n);
  for (const i of draw((p) => Math.exp((p.age - 60) / 8), severeCount - 1, (i) => level[i] !== null)) {
    level[i] = severeLevel(random, elders[i]!.age);
  }
  for (const i of draw((p) => (p.age >= 80 ? 3 : 1), Math.round(MILD_ASSESSED_SHARE * n), (i) => level[i] !== null)) {
    level[i] = random.chance(0.45) ? 1 : 0;
  }
  const severe = (i: number) => (level[i] ?? 0) >= 2;

  // Special-difficulty flags, exact shares.
  const hardship = elders.map(() => false);
  const minimum = elders.map(() => false);
  const economic = elders.map(() => false);
  const familyPlanning = elders.map(() => false);
  minimum[showcaseIndex] = true;
  const hardshipWeight = (p: Person, i: number) => (livingAlone[i] ? 6 : 1) * (severe(i) ? 3 : 1) * (p.age >= 70 ? 2 : 1);
  for (const i of draw(hardshipWeight, Math.round(FLAG_SHARES.specialHardship * n), (i) => i === showcaseIndex)) hardship[i] = true;
  const minimumTarget = Math.round(FLAG_SHARES.minimumLiving * n) - count(minimum);
  for (const i of draw((_, i) => (livingAlone[i] ? 2 : 1), minimumTarget, (i) => hardship[i]! || minimum[i]!)) minimum[i] = true;
  elders.forEach((_, i) => (economic[i] = hardship[i]! || minimum[i]!));
  const economicTarget = Math.round(FLAG_SHARES.economicDifficulty * n) - count(economic);
  for (const i of draw((p, i) => (p.age >= 80 ? 2 : 1) * (severe(i) ? 2 : 1), economicTarget, (i) => economic[i]!)) economic[i] = true;
  const fpWeight = (p: Person, i: number) => (elderlyOnly[i] ? 8 : 1) * (p.age < 80 ? 2 : 1);
  for (const i of draw(fpWeight, Math.round(FLAG_SHARES.familyPlanningSpecial * n), (i) => i === showcaseIndex)) familyPlanning[i] = true;

  // Institution residents: planned occupancy per facility; 失能特困 to public institutions first.
  const bedFacilities = facilities.elderly.filter((f) => f.bedsTotal > 0);
  const planned = new Map(bedFacilities.map((f) => [f, Math.min(f.bedsTotal, f.bedsOccupied)]));
  const occupied = new Map(bedFacilities.map((f) => [f, 0]));
  const residentAt = new Map<number, ElderlyFacility>();
  const admit = (i: number, f: ElderlyFacility) => {
    residentAt.set(i, f);
    occupied.set(f, occupied.get(f)! + 1);
  };
  const publicFirst = [...bedFacilities].sort((a, b) => (a.ownership === b.ownership ? 0 : a.ownership === 'PUBLIC' ? -1 : 1));
  elders.forEach((_, i) => {
    if (!hardship[i] || !severe(i)) return;
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
  const drawn = draw(residentWeight, openBeds.length, (i) => i === showcaseIndex || residentAt.has(i));
  drawn.forEach((i, k) => admit(i, openBeds[k]!));
  for (const f of bedFacilities) f.bedsOccupied = occupied.get(f)!;

  const admittedOn = new Map<number, string>();
  for (const i of residentAt.keys()) {
    const p = elders[i]!;
    admittedOn.set(i, randomDay(Math.max(REFERENCE_DAY - 8 * 365, toDay(addYears(p.birthDate, 60))), REFERENCE_DAY - 10));
  }

  // Home-care beds (家庭养老床位), served by the nearest station or centre.
  const homeCareWeight = (_: Person, i: number) => (severe(i) ? (economic[i] ? 3 : 1) : level[i] === 1 ? 0.2 : 0.001);
  const homeCare = [
    showcaseIndex,
    ...draw(homeCareWeight, figures.homeCareBeds - 1, (i) => i === showcaseIndex || residentAt.has(i)),
  ];
  const stations = facilities.elderly.filter((f) => f.kind === 'COMMUNITY_STATION');
  const centres = facilities.elderly.filter((f) => f.kind === 'STREET_CENTRE');
  const providerFor = (p: Person): ElderlyFacility =>
    stations.find((f) => f.community === p.community) ??
    centres.find((f) => f.street.index === p.community.streetIndex) ??
    centres[0] ??
    stations[0] ??
    facilities.elderly[0]!;

  const specialDifficulty = new Set<Person>();
  elders.forEach((p, i) => {
    if (residentAt.has(i)) return;
    if (hardship[i] || minimum[i] || economic[i] || familyPlanning[i] || livingAlone[i]) specialDifficulty.add(p);
  });

  // Rows.
  const profiles: ElderlyCare['profiles'] = elders.map((p, i) => ({
    citizen_id: p.citizenId,
    special_hardship: hardship[i]!,
    minimum_living: minimum[i]!,
    economic_difficulty: economic[i]!,
    living_alone: livingAlone[i]! && !residentAt.has(i),
    empty_nest: elderlyOnly[i]! && !residentAt.has(i),
    family_planning_special: familyPlanning[i]!,
    updated_at: DATA_UPDATED_AT,
    region_code: p.community.code,
    birth_date: p.birthDate,
    sex: p.sex,
    capability_level: null as number | null, // set below from the latest assessment
  }));

  const nextAssessment = counter('PG', 9);
  const assessments: ElderlyCare['assessments'] = [];
  const assessmentsOf = new Map<number, Array<{ level: number; assessedOn: string }>>();
  elders.forEach((p, i) => {
    let list: Array<{ level: number; assessedOn: string }>;
    const sixty = toDay(addYears(p.birthDate, 60));
    if (i === showcaseIndex) list = [...SHOWCASE_ELDERLY_ASSESSMENTS];
    else if (level[i] === null) {
      if (!residentAt.has(i)) return;
      // Admission assessment of a resident never assessed before.
      const admitted = toDay(admittedOn.get(i)!);
      level[i] = random.chance(0.6) ? 1 : 0;
      list = [{ level: level[i]!, assessedOn: randomDay(Math.max(sixty, admitted - 30), admitted) }];
    } else if (severe(i)) {
      const latest = toDay(randomDay(Math.max(sixty, REFERENCE_DAY - 2 * 365), REFERENCE_DAY - 5));
      list = [{ level: level[i]!, assessedOn: fromDay(latest) }];
      const earlier = latest - random.int(300, 420);
      if (earlier >= sixty && random.chance(0.4)) {
        list.unshift({ level: Math.max(1, level[i]! - (random.chance(0.5) ? 1 : 0)), assessedOn: fromDay(earlier) });
      }
    } else {
      list = [{ level: level[i]!, assessedOn: randomDay(Math.max(sixty, REFERENCE_DAY - 3 * 365), REFERENCE_DAY) }];
    }
    assessmentsOf.set(i, list);
    for (const a of list) {
      assessments.push({
        assessment_id: nextAssessment(),
        citizen_id: p.citizenId,
        level: a.level,
        assessed_on: a.assessedOn,
        assessor_org: random.pick(ASSESSORS),
        updated_at: DATA_UPDATED_AT,
      });
    }
  });

  // The profile keeps the current capability level: that of the latest assessment.
  elders.forEach((_p, i) => {
    const list = assessmentsOf.get(i);
    if (list?.length) profiles[i]!.capability_level = [...list].sort((a, b) => a.assessedOn.localeCompare(b.assessedOn)).at(-1)!.level;
  });

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
  elders.forEach((p, i) => {
    if (p.age >= 80 && p.residence === 'REGISTERED_RESIDENT' && (i === showcaseIndex || random.chance(0.98))) {
      const tiers = AGED_ALLOWANCE_TIERS.filter((t) => p.age >= t.fromAge);
      const starts = tiers.map((t) => maxDate(ALLOWANCE_SCHEME_START, nextMonthAfter(addYears(p.birthDate, t.fromAge))));
      tiers.forEach((t, k) => addSubsidy(p, 'AGED_ALLOWANCE', t.yuan, starts[k]!, k + 1 < starts.length ? dayBefore(starts[k + 1]!) : null));
    }
    if (economic[i]) {
      const periods = (assessmentsOf.get(i) ?? []).map((a) => ({ ...a, start: nextMonthAfter(a.assessedOn) }));
      periods.forEach((a, k) => {
        const yuan = NURSING_SUBSIDY_YUAN[a.level];
        const next = periods[k + 1];
        if (yuan !== undefined) addSubsidy(p, 'NURSING_SUBSIDY', yuan, a.start, next ? dayBefore(next.start) : null);
      });
      const from = maxDate(nextMonthAfter(addYears(p.birthDate, 60)), monthStart(randomDay(toDay('2016-01-01'), REFERENCE_DAY)));
      addSubsidy(p, 'SERVICE_SUBSIDY', p.age >= 80 ? SERVICE_SUBSIDY_YUAN.from80 : SERVICE_SUBSIDY_YUAN.under80, from, null);
    }
  });

  const careArrangements: ElderlyCare['careArrangements'] = [];
  for (const [i, f] of residentAt) {
    careArrangements.push({
      citizen_id: elders[i]!.citizenId,
      kind: 'INSTITUTION',
      institution_id: f.id,
      since: admittedOn.get(i)!,
      updated_at: DATA_UPDATED_AT,
    });
  }
  for (const i of homeCare) {
    const p = elders[i]!;
    careArrangements.push({
      citizen_id: p.citizenId,
      kind: 'HOME_CARE_BED',
      institution_id: providerFor(p).id,
      since: i === showcaseIndex ? '2022-07-01' : randomDay(toDay('2022-03-01'), REFERENCE_DAY),
      updated_at: DATA_UPDATED_AT,
    });
  }

  const months = Array.from({ length: VISIT_MONTHS }, (_, k) => monthStart(addMonths(REFERENCE_DATE, k - VISIT_MONTHS + 1)));
  const nextVisit = counter('TF', 9);
  const monthlyVisits: ElderlyCare['monthlyVisits'] = [];
  const visitorFor = (p: Person) =>
    stations.find((f) => f.community === p.community)?.name ??
    centres.find((f) => f.street.index === p.community.streetIndex)?.name ??
    `${p.community.name}居民委员会`;
  for (const p of specialDifficulty) {
    const visitor = visitorFor(p);
    for (const month of months) {
      if (p !== population.showcase.ELDERLY && !random.chance(0.96)) continue;
      monthlyVisits.push({
        visit_id: nextVisit(),
        citizen_id: p.citizenId,
        month,
        visited_on: randomDay(toDay(month), Math.min(toDay(monthEnd(month)), REFERENCE_DAY)),
        visitor_org: visitor,
        updated_at: DATA_UPDATED_AT,
      });
    }
  }

  const canteensByCommunity = new Map<string, ElderlyFacility[]>();
  for (const f of facilities.elderly) {
    if (f.subtype !== 'COMMUNITY_CANTEEN' || !f.community) continue;
    canteensByCommunity.set(f.community.code, [...(canteensByCommunity.get(f.community.code) ?? []), f]);
  }
  const mealAssistance: ElderlyCare['mealAssistance'] = [];
  elders.forEach((p, i) => {
    const canteens = canteensByCommunity.get(p.community.code);
    if (!canteens || residentAt.has(i)) return;
    if (!random.chance(specialDifficulty.has(p) ? 0.3 : 0.06)) return;
    mealAssistance.push({
      citizen_id: p.citizenId,
      institution_id: random.pick(canteens).id,
      since: randomDay(toDay('2019-01-01'), REFERENCE_DAY),
      updated_at: DATA_UPDATED_AT,
    });
  });

  const levelOf = new Map<Person, number>();
  elders.forEach((p, i) => {
    if (level[i] !== null) levelOf.set(p, level[i]!);
  });
  return { profiles, assessments, subsidies, careArrangements, monthlyVisits, mealAssistance, levelOf, specialDifficulty };
}
