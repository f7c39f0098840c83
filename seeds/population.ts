/**
 * The synthetic population of 渝中区: people (public_security.person) in households placed in communities.
 *
 * Contract (at any scale, see seeds/figures.ts):
 * - resident people (REGISTERED_RESIDENT + RESIDENT_ONLY) = figures.residentPopulation exactly, of whom
 *   figures.aged60Plus are aged 60+ and figures.under3 are under 3 on REFERENCE_DATE; plus
 *   figures.registeredOnly REGISTERED_ONLY people (户籍非常住), who are not resident;
 * - citizen IDs are valid and agree with birth date and sex; their region part is 500103 for people registered
 *   here and the place of first registration (another Chongqing district or another province) for
 *   RESIDENT_ONLY people, mostly shared within a family;
 * - every household lives in one community (12-digit code) at one address, has exactly one head (户主) and is
 *   made of one residence group, except REGISTERED_ONLY grown children attached to their parents' household;
 * - the showcase people (seeds/showcase.ts) are always there, with their fixed IDs, names and communities.
 */
import { drawSlots, type ResidenceType, type Slot } from './age-structure';
import { ageOn, fromDay, REFERENCE_DAY, toDay } from './calendar';
import type { ScaledFigures } from './figures';
import {
  alone,
  assembleGroup,
  attachRegisteredOnly,
  family,
  RESIDENT_TARGETS,
  type AgePools,
  type HouseholdPlan,
  type Relation,
} from './households';
import { CitizenIdAllocator, PhoneAllocator } from './identity';
import { drawGivenName, drawSurname, type Sex } from './names';
import {
  COMMUNITIES,
  communityByCode,
  drawOriginRegion,
  randomCommunityAddress,
  STREET_POPULATION_WEIGHTS,
  STREETS,
  type Community,
} from './places';
import { WeightedTable, type Random } from './random';
import { SHOWCASE, type ShowcaseRole } from './showcase';

export const YUZHONG_CODE = '500103';

export interface Person {
  citizenId: string;
  name: string;
  sex: Sex;
  birthDate: string;
  birthDay: number;
  /** Completed years on REFERENCE_DATE. */
  age: number;
  residence: ResidenceType;
  ethnicity: string;
  phone: string | null;
  community: Community;
  household: Household;
  relation: Relation;
  registeredOn: string;
  showcase: ShowcaseRole | undefined;
  /** Parents in the same household (set for children of family households). */
  mother: Person | null;
  father: Person | null;
}

export interface Household {
  id: string;
  community: Community;
  address: string;
  /** Head first. */
  members: Person[];
}

export interface Population {
  persons: Person[];
  households: Household[];
  showcase: Record<ShowcaseRole, Person>;
}

export const isResident = (p: Person): boolean => p.residence !== 'REGISTERED_ONLY';

/** Members who actually live in the household (REGISTERED_ONLY members live elsewhere). */
export function coResidents(household: Household): Person[] {
  return household.members.filter(isResident);
}

const ETHNICITIES = WeightedTable.of<string>([
  ['汉族', 980],
  ['土家族', 12],
  ['苗族', 4],
  ['回族', 2],
  ['满族', 1],
  ['蒙古族', 1],
]);

/** Makes a slot the showcase person `role`: same age band, so the calibrated counts do not change. */
function claimShowcaseSlot(slots: Slot[], role: ShowcaseRole, band: [number, number], taken: Set<Slot>): Slot {
  const spec = SHOWCASE[role];
  const age = ageOn(spec.birthDate);
  const candidates = slots.filter(
    (s) => s.residence !== 'REGISTERED_ONLY' && s.age >= band[0] && s.age <= band[1] && !taken.has(s),
  );
  const slot =
    candidates.find((s) => s.age === age && s.sex === spec.sex && s.residence === 'REGISTERED_RESIDENT') ??
    candidates.find((s) => s.age === age) ??
    candidates[0];
  if (!slot) throw new Error(`the scale is too small to hold the showcase person ${role}`);
  slot.sex = spec.sex;
  slot.age = age;
  slot.birthDate = spec.birthDate;
  slot.birthDay = toDay(spec.birthDate);
  slot.residence = 'REGISTERED_RESIDENT';
  slot.surname = spec.surname;
  taken.add(slot);
  return slot;
}

function communityTable(random: Random): WeightedTable<Community> {
  return new WeightedTable(
    COMMUNITIES,
    COMMUNITIES.map(
      (c) =>
        (STREET_POPULATION_WEIGHTS[c.streetIndex]! / STREETS[c.streetIndex]!.communities.length) * (0.7 + 0.6 * random.float()),
    ),
  );
}

function phoneChance(age: number): number {
  if (age < 14) return 0;
  if (age < 18) return 0.6;
  if (age < 70) return 0.97;
  if (age < 80) return 0.8;
  return 0.5;
}

/** 户籍登记日期 (registered here) or 居住登记日期 (RESIDENT_ONLY). */
function registrationDay(random: Random, slot: Slot): number {
  if (slot.residence === 'RESIDENT_ONLY') {
    const lo = Math.max(slot.birthDay, REFERENCE_DAY - 15 * 365);
    return random.int(lo, REFERENCE_DAY);
  }
  const bornHere = random.chance(slot.age < 18 ? 0.85 : slot.age < 60 ? 0.5 : 0.35);
  if (bornHere) return Math.min(REFERENCE_DAY, slot.birthDay + random.int(3, 40));
  const lo = Math.max(slot.birthDay + (slot.age >= 16 ? 16 * 365 : 1), toDay('1980-01-01'));
  return lo > REFERENCE_DAY ? Math.min(REFERENCE_DAY, slot.birthDay + random.int(3, 40)) : random.int(lo, REFERENCE_DAY);
}

export function generatePopulation(figures: ScaledFigures, random: Random): Population {
  const slots = drawSlots(figures, random.fork('slots'));
  const taken = new Set<Slot>();
  const showcaseSlots: Record<ShowcaseRole, Slot> = {
    ELDERLY: claimShowcaseSlot(slots, 'ELDERLY', [60, 200], taken),
    INFANT: claimShowcaseSlot(slots, 'INFANT', [0, 2], taken),
    NURSERY_CHILD: claimShowcaseSlot(slots, 'NURSERY_CHILD', [0, 2], taken),
  };

  const householdRandom = random.fork('households');
  const showcasePlans = (pools: AgePools): HouseholdPlan[] => {
    const plans: HouseholdPlan[] = [];
    const elderly = pools.place(showcaseSlots.ELDERLY);
    plans.push({ ...alone(elderly, householdRandom), communityCode: SHOWCASE.ELDERLY.communityCode });
    for (const role of ['INFANT', 'NURSERY_CHILD'] as const) {
      const child = pools.place(showcaseSlots[role]);
      const plan = family(householdRandom, pools, child, {
        siblingChance: 0,
        siblingAges: () => [0, 0],
        closeSiblingChance: 0,
        grandparentChance: 0,
        childSurname: SHOWCASE[role].surname,
      });
      plans.push({ ...plan, communityCode: SHOWCASE[role].communityCode });
    }
    return plans;
  };

  const registered = slots.filter((s) => s.residence === 'REGISTERED_RESIDENT');
  const migrants = slots.filter((s) => s.residence === 'RESIDENT_ONLY');
  const away = slots.filter((s) => s.residence === 'REGISTERED_ONLY');
  const registeredPlans = assembleGroup(householdRandom, registered, RESIDENT_TARGETS, showcasePlans);
  const migrantPlans = assembleGroup(householdRandom, migrants, RESIDENT_TARGETS);
  const awayRest = attachRegisteredOnly(householdRandom, away, registeredPlans);
  const awayPlans = assembleGroup(householdRandom, awayRest, { aloneShare: 0.3, elderlyOnlyShare: 0.6 });

  return finalise([...registeredPlans, ...migrantPlans, ...awayPlans], slots.length, showcaseSlots, random.fork('persons'));
}

function finalise(
  plans: HouseholdPlan[],
  slotCount: number,
  showcaseSlots: Record<ShowcaseRole, Slot>,
  random: Random,
): Population {
  const communities = communityTable(random);
  const ids = new CitizenIdAllocator(random.fork('citizen-ids'));
  const phones = new PhoneAllocator(random.fork('phones'));
  const roleOfSlot: Array<ShowcaseRole | undefined> = new Array<ShowcaseRole | undefined>(slotCount).fill(undefined);
  for (const role of Object.keys(showcaseSlots) as ShowcaseRole[]) {
    roleOfSlot[showcaseSlots[role].index] = role;
    ids.reserve(SHOWCASE[role].citizenId);
  }
  const householdCounters = new Map<string, number>();
  const persons: Person[] = [];
  const households: Household[] = [];
  const showcase: Partial<Record<ShowcaseRole, Person>> = {};
  const personOfSlot: Array<Person | undefined> = new Array<Person | undefined>(slotCount).fill(undefined);
  const parentsOf: Array<[Slot, Person]> = [];

  for (const plan of plans) {
    const community = plan.communityCode ? communityByCode(plan.communityCode) : communities.draw(random);
    const serial = (householdCounters.get(community.code) ?? 0) + 1;
    householdCounters.set(community.code, serial);
    const household: Household = {
      id: `${community.code}${String(serial).padStart(5, '0')}`,
      community,
      address: randomCommunityAddress(random, community),
      members: [],
    };
    const origin = drawOriginRegion(random);
    const ethnicity = ETHNICITIES.draw(random);
    for (const { slot, relation } of plan.members) {
      const role = roleOfSlot[slot.index];
      const region =
        slot.residence === 'RESIDENT_ONLY' ? (random.chance(0.75) ? origin : drawOriginRegion(random)) : YUZHONG_CODE;
      const person: Person = {
        citizenId: role ? SHOWCASE[role].citizenId : ids.allocate(region, slot.birthDate, slot.sex),
        name:
          (slot.surname ?? drawSurname(random)) +
          (role ? SHOWCASE[role].givenName : drawGivenName(random, slot.sex, slot.birthDate)),
        sex: slot.sex,
        birthDate: slot.birthDate,
        birthDay: slot.birthDay,
        age: slot.age,
        residence: slot.residence,
        ethnicity: random.chance(0.95) ? ethnicity : ETHNICITIES.draw(random),
        phone: random.chance(phoneChance(slot.age)) ? phones.allocate() : null,
        community,
        household,
        relation,
        registeredOn: fromDay(registrationDay(random, slot)),
        showcase: role,
        mother: null,
        father: null,
      };
      personOfSlot[slot.index] = person;
      if (slot.mother || slot.father) parentsOf.push([slot, person]);
      household.members.push(person);
      persons.push(person);
      if (role) showcase[role] = person;
    }
    households.push(household);
  }
  for (const [slot, person] of parentsOf) {
    if (slot.mother) person.mother = personOfSlot[slot.mother.index] ?? null;
    if (slot.father) person.father = personOfSlot[slot.father.index] ?? null;
  }
  for (const role of Object.keys(showcaseSlots) as ShowcaseRole[]) {
    if (!showcase[role]) throw new Error(`showcase person ${role} was not placed`);
  }
  return { persons, households, showcase: showcase as Record<ShowcaseRole, Person> };
}
