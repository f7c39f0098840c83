/**
 * Household assembly: groups slots (seeds/age-structure.ts) into households with a head and each member's
 * relation to the head (户主, 配偶, 子, 女, 父, 母, 孙子, 孙女, 其他), and gives family members their surnames.
 *
 * Contract: every slot ends up in exactly one household; the first member of a plan is its head (户主).
 * Households are built within one residence group (registered residents, residents registered elsewhere,
 * registered people living elsewhere), in this order:
 *   1. families around each child under 3: mother 20-45 years older, usually a father, sometimes an older
 *      sibling, about a third with grandparents (three generations);
 *   2. families around the remaining children 3-17;
 *   3. the remaining people aged 60+: living alone (targets 10% of the group's 60+), elderly-only couples
 *      (together with those alone: 25%, 空巢), or with an adult child's family;
 *   4. the remaining adults: single, couples, couples with a grown child, or people sharing a home (其他).
 * Finally about half of the REGISTERED_ONLY young adults are attached as 子/女 to a registered household of a
 * plausible parent (人户分离: registered with their parents, living elsewhere).
 * A template that cannot find a fitting person (small scales) falls back to a smaller household.
 */
import { MAX_AGE, type Slot } from './age-structure';
import { drawSurname, type Sex } from './names';
import type { Random } from './random';

export type Relation = '户主' | '配偶' | '子' | '女' | '父' | '母' | '孙子' | '孙女' | '其他';

export interface HouseholdPlan {
  /** Head first. */
  members: Array<{ slot: Slot; relation: Relation }>;
  /** A fixed community (showcase households), otherwise chosen later. */
  communityCode?: string;
}

type Member = HouseholdPlan['members'][number];

const childRelation = (s: Slot): Relation => (s.sex === 'M' ? '子' : '女');
const parentRelation = (s: Slot): Relation => (s.sex === 'M' ? '父' : '母');
const grandchildRelation = (s: Slot): Relation => (s.sex === 'M' ? '孙子' : '孙女');
const opposite = (sex: Sex): Sex => (sex === 'M' ? 'F' : 'M');

/** Unplaced slots by sex and single year of age, each stack shuffled; taking a slot marks it placed. */
export class AgePools {
  private readonly stacks: Record<Sex, Slot[][]> = { M: [], F: [] };
  private readonly unplaced: Record<Sex, number[]> = { M: [], F: [] };

  constructor(
    slots: readonly Slot[],
    private readonly random: Random,
  ) {
    for (const sex of ['M', 'F'] as const) {
      for (let age = 0; age <= MAX_AGE; age++) {
        this.stacks[sex].push([]);
        this.unplaced[sex].push(0);
      }
    }
    for (const slot of slots) {
      if (slot.placed) continue;
      this.stacks[slot.sex][slot.age]!.push(slot);
      this.unplaced[slot.sex][slot.age]!++;
    }
    for (const sex of ['M', 'F'] as const) for (const stack of this.stacks[sex]) random.shuffle(stack);
  }

  /** Marks a slot placed (also when it was found outside `take`, e.g. as the anchor of a family). */
  place(slot: Slot): Slot {
    if (slot.placed) throw new Error('slot placed twice');
    slot.placed = true;
    this.unplaced[slot.sex][slot.age]!--;
    return slot;
  }

  remaining(minAge: number, maxAge: number): number {
    let n = 0;
    for (let age = Math.max(0, minAge); age <= Math.min(MAX_AGE, maxAge); age++) {
      n += this.unplaced.M[age]! + this.unplaced.F[age]!;
    }
    return n;
  }

  /**
   * An unplaced slot of `sex` (any sex when null) aged within [minAge, maxAge], as close as possible to
   * `preferredAge` (random within the range when absent); undefined when there is none.
   */
  take(sex: Sex | null, minAge: number, maxAge: number, preferredAge?: number): Slot | undefined {
    const lo = Math.max(0, Math.ceil(minAge));
    const hi = Math.min(MAX_AGE, Math.floor(maxAge));
    if (lo > hi) return undefined;
    const sexes: Sex[] = sex ? [sex] : this.random.chance(0.5) ? ['M', 'F'] : ['F', 'M'];
    const start = preferredAge === undefined ? this.random.int(lo, hi) : Math.min(hi, Math.max(lo, Math.round(preferredAge)));
    for (const s of sexes) {
      const counts = this.unplaced[s];
      for (let d = 0; start - d >= lo || start + d <= hi; d++) {
        for (const age of d === 0 ? [start] : [start + d, start - d]) {
          if (age < lo || age > hi || counts[age] === 0) continue;
          const stack = this.stacks[s][age]!;
          while (stack.length > 0) {
            const slot = stack.pop()!;
            if (!slot.placed) return this.place(slot);
          }
        }
      }
    }
    return undefined;
  }
}

export interface FamilyOptions {
  siblingChance: number;
  siblingAges: (anchor: Slot) => [number, number];
  closeSiblingChance: number;
  grandparentChance: number;
  /** Fixed surname of the children (showcase families). */
  childSurname?: string;
}

/** A family around `anchor` (a child): parents, maybe siblings, maybe grandparents. */
export function family(random: Random, pools: AgePools, anchor: Slot, options: FamilyOptions): HouseholdPlan {
  const kids: Slot[] = [anchor];
  if (random.chance(options.closeSiblingChance)) {
    const twin = pools.take(null, anchor.age, anchor.age + 2);
    if (twin) kids.push(twin);
  }
  if (random.chance(options.siblingChance)) {
    const [lo, hi] = options.siblingAges(anchor);
    const sibling = pools.take(null, lo, hi);
    if (sibling) kids.push(sibling);
  }
  const youngest = Math.min(...kids.map((k) => k.age));
  const oldest = Math.max(...kids.map((k) => k.age));
  const motherMin = oldest + 20;
  const motherMax = Math.max(motherMin, youngest + 45);
  const mother =
    pools.take('F', motherMin, motherMax, youngest + random.normal(29, 4)) ?? pools.take('F', Math.max(18, oldest + 16), 59);
  const father = random.chance(0.93)
    ? pools.take(
        'M',
        Math.max(oldest + 20, (mother?.age ?? motherMin) - 3),
        (mother?.age ?? motherMin) + 10,
        (mother?.age ?? 30) + 2,
      )
    : undefined;

  // Grandparents: the parents of one of the child's parents (X).
  let x: Slot | undefined;
  let grandfather: Slot | undefined;
  let grandmother: Slot | undefined;
  if (random.chance(options.grandparentChance) && (father || mother)) {
    x = father && (!mother || random.chance(0.7)) ? father : mother!;
    if (random.chance(0.85)) grandfather = pools.take('M', x.age + 22, x.age + 40, x.age + 29);
    if (random.chance(0.9)) grandmother = pools.take('F', x.age + 20, x.age + 38, x.age + 27);
    if (!grandfather && !grandmother) x = undefined;
  }

  // Surnames: children take the father's (sometimes the mother's); X takes its father's.
  if (grandfather)
    grandfather.surname = x === father && father ? (options.childSurname ?? drawSurname(random)) : drawSurname(random);
  if (grandmother) grandmother.surname = drawSurname(random);
  if (father) father.surname = x === father && grandfather ? grandfather.surname : (options.childSurname ?? drawSurname(random));
  if (mother) mother.surname = x === mother && grandfather ? grandfather.surname : drawSurname(random);
  const childSurname =
    options.childSurname ??
    (father ? (random.chance(0.94) || !mother ? father.surname! : mother.surname!) : (mother?.surname ?? drawSurname(random)));
  for (const kid of kids) {
    kid.surname = childSurname;
    if (mother) kid.mother = mother;
    if (father) kid.father = father;
  }

  const grandparents = [grandfather, grandmother].filter((g): g is Slot => g !== undefined);
  const otherParent = x === father ? mother : father;
  if (grandparents.length > 0 && x && random.chance(0.4)) {
    const head = grandparents[0]!;
    return {
      members: [
        { slot: head, relation: '户主' },
        ...grandparents.slice(1).map((g): Member => ({ slot: g, relation: '配偶' })),
        { slot: x, relation: childRelation(x) },
        ...(otherParent ? [{ slot: otherParent, relation: '其他' as Relation }] : []),
        ...kids.map((k) => ({ slot: k, relation: grandchildRelation(k) })),
      ],
    };
  }
  const head = father ?? mother;
  if (!head) {
    // No adult could be found (tiny scales): the children form a household on their own.
    return { members: kids.map((k, i) => ({ slot: k, relation: i === 0 ? '户主' : '其他' })) };
  }
  const spouse = head === father ? mother : undefined;
  return {
    members: [
      { slot: head, relation: '户主' },
      ...(spouse ? [{ slot: spouse, relation: '配偶' as Relation }] : []),
      ...kids.map((k) => ({ slot: k, relation: childRelation(k) })),
      ...grandparents.map((g): Member => ({ slot: g, relation: x === head ? parentRelation(g) : '其他' })),
    ],
  };
}

export function alone(slot: Slot, random: Random): HouseholdPlan {
  slot.surname ??= drawSurname(random);
  return { members: [{ slot, relation: '户主' }] };
}

function couple(random: Random, a: Slot, b: Slot): HouseholdPlan {
  a.surname ??= drawSurname(random);
  b.surname ??= drawSurname(random);
  const husband = a.sex === 'M' ? a : b;
  const wife = husband === a ? b : a;
  const head = random.chance(0.8) ? husband : wife;
  return {
    members: [
      { slot: head, relation: '户主' },
      { slot: head === a ? b : a, relation: '配偶' },
    ],
  };
}

function elderlyOnlyCouple(random: Random, pools: AgePools, e: Slot): HouseholdPlan | undefined {
  const spouse = pools.take(opposite(e.sex), Math.max(60, e.age - 6), e.age + 6, e.age + (e.sex === 'M' ? -2 : 2));
  return spouse ? couple(random, e, spouse) : undefined;
}

/** An elderly person (with a spouse half the time) living with an adult child, maybe its spouse and a grandchild. */
function elderlyWithChild(random: Random, pools: AgePools, e: Slot): HouseholdPlan | undefined {
  const child =
    pools.take(null, Math.max(18, e.age - 38), Math.min(59, e.age - 22), e.age - 30) ??
    pools.take(null, 18, Math.min(59, e.age - 18), e.age - 30);
  if (!child) return undefined;
  const spouse = random.chance(0.5) ? pools.take(opposite(e.sex), Math.max(55, e.age - 6), e.age + 6) : undefined;
  const childSpouse = random.chance(0.55)
    ? pools.take(opposite(child.sex), Math.max(18, child.age - 5), child.age + 5)
    : undefined;
  const grandchild = random.chance(0.15) ? pools.take(null, 18, child.age - 20) : undefined;
  const elderMan = e.sex === 'M' ? e : spouse;
  e.surname ??= drawSurname(random);
  if (spouse) spouse.surname = drawSurname(random);
  child.surname = elderMan?.surname ?? (random.chance(0.5) ? e.surname : drawSurname(random));
  if (childSpouse) childSpouse.surname = drawSurname(random);
  if (grandchild) grandchild.surname = child.sex === 'M' ? child.surname : (childSpouse?.surname ?? child.surname);

  const elders = [e, ...(spouse ? [spouse] : [])];
  if (random.chance(0.5)) {
    return {
      members: [
        { slot: child, relation: '户主' },
        ...(childSpouse ? [{ slot: childSpouse, relation: '配偶' as Relation }] : []),
        ...elders.map((s) => ({ slot: s, relation: parentRelation(s) })),
        ...(grandchild ? [{ slot: grandchild, relation: childRelation(grandchild) }] : []),
      ],
    };
  }
  const head = elderMan ?? e;
  return {
    members: [
      { slot: head, relation: '户主' },
      ...elders.filter((s) => s !== head).map((s): Member => ({ slot: s, relation: '配偶' })),
      { slot: child, relation: childRelation(child) },
      ...(childSpouse ? [{ slot: childSpouse, relation: '其他' as Relation }] : []),
      ...(grandchild ? [{ slot: grandchild, relation: grandchildRelation(grandchild) }] : []),
    ],
  };
}

function adultHousehold(random: Random, pools: AgePools, a: Slot): HouseholdPlan {
  const r = random.float();
  if (r < 0.42) return alone(a, random);
  if (r < 0.93) {
    const spouse = pools.take(opposite(a.sex), Math.max(18, a.age - 6), a.age + 6, a.age + (a.sex === 'M' ? -2 : 2));
    if (!spouse) return alone(a, random);
    const plan = couple(random, a, spouse);
    const grown = r >= 0.85 ? pools.take(null, 18, Math.min(a.age, spouse.age) - 20) : undefined;
    if (grown) {
      grown.surname = (a.sex === 'M' ? a : spouse).surname;
      plan.members.push({ slot: grown, relation: childRelation(grown) });
    }
    return plan;
  }
  // People sharing a home (flatmates): related to the head as 其他.
  const plan = alone(a, random);
  const flatmate = pools.take(null, 18, 40);
  if (flatmate) {
    flatmate.surname = drawSurname(random);
    plan.members.push({ slot: flatmate, relation: '其他' });
  }
  return plan;
}

/** Shuffled unplaced slots aged within [lo, hi]. */
function anchors(random: Random, slots: readonly Slot[], lo: number, hi: number): Slot[] {
  return random.shuffle(slots.filter((s) => !s.placed && s.age >= lo && s.age <= hi));
}

export interface GroupTargets {
  /** Share of the group's 60+ living alone. */
  aloneShare: number;
  /** Share of the group's 60+ in households of people aged 60+ only (including those alone). */
  elderlyOnlyShare: number;
}

export const RESIDENT_TARGETS: GroupTargets = { aloneShare: 0.1, elderlyOnlyShare: 0.25 };

/**
 * Builds the households of one residence group. `preset` builds fixed households first (the showcase people's),
 * from the same pools.
 */
export function assembleGroup(
  random: Random,
  slots: readonly Slot[],
  targets: GroupTargets,
  preset: (pools: AgePools) => HouseholdPlan[] = () => [],
): HouseholdPlan[] {
  const pools = new AgePools(slots, random);
  const plans: HouseholdPlan[] = preset(pools);
  for (const infant of anchors(random, slots, 0, 2)) {
    if (infant.placed) continue;
    pools.place(infant);
    plans.push(
      family(random, pools, infant, {
        siblingChance: 0.3,
        siblingAges: (a) => [Math.max(3, a.age + 2), a.age + 12],
        closeSiblingChance: 0.03,
        grandparentChance: 0.35,
      }),
    );
  }
  for (const child of anchors(random, slots, 3, 17)) {
    if (child.placed) continue;
    pools.place(child);
    plans.push(
      family(random, pools, child, {
        siblingChance: 0.3,
        siblingAges: (a) => [a.age + 1, a.age + 8],
        closeSiblingChance: 0,
        grandparentChance: 0.18,
      }),
    );
  }

  const elderlyTotal = slots.filter((s) => s.age >= 60).length;
  const aloneTarget = Math.round(targets.aloneShare * elderlyTotal);
  const coupleTarget = Math.round(targets.elderlyOnlyShare * elderlyTotal) - aloneTarget;
  let aloneSoFar = plans.filter((p) => p.members.length === 1 && p.members[0]!.slot.age >= 60).length;
  let coupledSoFar = 0;
  for (const e of anchors(random, slots, 60, MAX_AGE)) {
    if (e.placed) continue;
    const remaining = pools.remaining(60, MAX_AGE);
    pools.place(e);
    const pAlone = Math.max(0, aloneTarget - aloneSoFar) / remaining;
    const pCouple = Math.max(0, coupleTarget - coupledSoFar) / remaining;
    const r = random.float();
    let plan: HouseholdPlan | undefined;
    if (r < pAlone) plan = alone(e, random);
    else if (r < pAlone + pCouple) plan = elderlyOnlyCouple(random, pools, e);
    else plan = elderlyWithChild(random, pools, e) ?? elderlyOnlyCouple(random, pools, e);
    plan ??= alone(e, random);
    if (plan.members.length === 1) aloneSoFar++;
    else if (plan.members.every((m) => m.slot.age >= 60)) coupledSoFar += plan.members.length;
    plans.push(plan);
  }
  for (const a of anchors(random, slots, 0, MAX_AGE)) {
    if (a.placed) continue;
    pools.place(a);
    plans.push(adultHousehold(random, pools, a));
  }
  return plans;
}

/**
 * Attaches about half of the REGISTERED_ONLY people aged 18-40 to registered households whose head could be
 * their parent; returns the slots left for households of their own.
 */
export function attachRegisteredOnly(random: Random, slots: readonly Slot[], registeredPlans: readonly HouseholdPlan[]): Slot[] {
  const rest: Slot[] = [];
  for (const slot of slots) {
    if (slot.placed) continue;
    if (slot.age >= 18 && slot.age <= 40 && registeredPlans.length > 0 && random.chance(0.5)) {
      let attached = false;
      for (let attempt = 0; attempt < 30 && !attached; attempt++) {
        const plan = random.pick(registeredPlans);
        const head = plan.members[0]!.slot;
        if (head.age >= slot.age + 20 && head.age <= slot.age + 42 && plan.communityCode === undefined) {
          slot.placed = true;
          slot.surname = head.sex === 'M' ? head.surname : drawSurname(random);
          plan.members.push({ slot, relation: childRelation(slot) });
          attached = true;
        }
      }
      if (attached) continue;
    }
    rest.push(slot);
  }
  return rest;
}
