/**
 * Facilities: elderly-care facilities (civil_affairs.institution), childcare institutions
 * (health.childcare_institution) and kindergartens (education.kindergarten), with their beds and places.
 *
 * Contract (figures from seeds/figures.ts, i.e. exact at scale 1):
 * - full-care institutions: the public one(s) (公办, all beds 兜底) plus private ones (社会办) with exactly the
 *   scaled bed totals; exactly one institution has star level 4 (a private one); ≥90% have a medical contract;
 * - street centres: one per street (the first streets in code order at smaller scales), 社会办 (PRIVATE
 *   ownership, operated by elderly-care companies), FULL_TIME + DAY_CARE, exactly the scaled bed total, all 普惠;
 * - community stations (DAY_CARE, no beds): every community has one before any gets a second;
 * - supporting facilities (no beds): senior universities (street level), teaching points and canteens in
 *   communities; canteens cover 30% of communities at scale 1 (indicator 12);
 * - nursing-type beds total exactly the scaled 716, never more than a facility's beds;
 * - childcare institutions: filed (备案) with filing numbers and dates, exactly the scaled places;
 * - kindergartens: public ones with 托班 (exactly the scaled 100 places), private ones with 托班 (730), and
 *   kindergartens without 托班.
 * Planned occupancy/enrolment is a target: the people stages fill it and report the actual numbers.
 */
import { apportion } from './apportion';
import type { ScaledFigures } from './figures';
import { COMMUNITIES, randomCommunityAddress, streetAddress, roadsOf, STREETS, type Community, type Street } from './places';
import type { Random } from './random';

export type FacilityKind = 'FULL_CARE_INSTITUTION' | 'STREET_CENTRE' | 'COMMUNITY_STATION' | 'SUPPORTING_FACILITY';
export type FacilitySubtype = 'SENIOR_UNIVERSITY' | 'TEACHING_POINT' | 'COMMUNITY_CANTEEN';
export type Ownership = 'PUBLIC' | 'PRIVATE';

export interface ElderlyFacility {
  id: string;
  name: string;
  kind: FacilityKind;
  subtype: FacilitySubtype | null;
  ownership: Ownership;
  operator: string;
  regionCode: string;
  street: Street;
  /** null for street-level facilities. */
  community: Community | null;
  address: string;
  careModes: Array<'FULL_TIME' | 'DAY_CARE'>;
  starLevel: number | null;
  bedsTotal: number;
  bedsNursing: number;
  bedsSafetyNet: number;
  bedsInclusive: number;
  /** Planned; the elderly-care stage sets the number of residents actually placed. */
  bedsOccupied: number;
  medicalContract: boolean;
}

export type ChildcareServiceType = 'FULL_DAY' | 'HALF_DAY' | 'HOURLY' | 'TEMPORARY';

export interface ChildcareFacility {
  id: string;
  name: string;
  regionCode: string;
  street: Street;
  address: string;
  operator: string;
  registrationAuthority: 'PUBLIC_SECTOR' | 'CIVIL_AFFAIRS' | 'MARKET_REGULATION';
  filingNumber: string | null;
  filingDate: string | null;
  filingStatus: 'FILED' | 'PENDING' | 'NOT_FILED' | 'REVOKED';
  serviceTypes: ChildcareServiceType[];
  places: number;
  inclusive: boolean;
  /** Planned; the child stage sets the number actually enrolled. */
  enrolled: number;
  staffTotal: number;
  staffCertified: number;
  medicalContract: boolean;
}

export interface Kindergarten {
  id: string;
  name: string;
  regionCode: string;
  street: Street;
  address: string;
  ownership: Ownership;
  inclusive: boolean;
  nurseryPlaces: number;
  /** Planned number of 2-year-olds in its 托班; the child stage sets the actual number. */
  nurseryEnrolled: number;
}

export interface Facilities {
  elderly: ElderlyFacility[];
  childcare: ChildcareFacility[];
  kindergartens: Kindergarten[];
}

/** Elderly-care companies operating private facilities (fictional names). */
const CARE_BRANDS = [
  '颐康',
  '福寿',
  '康乐',
  '安泰',
  '松鹤',
  '乐龄',
  '仁爱',
  '长乐',
  '佳禾',
  '和美',
  '康宁',
  '悦年',
  '春晖',
  '怡心',
  '福满堂',
  '嘉陵',
  '山城',
  '鹅岭',
  '枇杷山',
  '金色年华',
  '夕阳红',
  '惠民',
  '同心',
  '百福',
  '善缘',
  '乐享',
];
const CARE_HOME_SUFFIXES = ['养老院', '老年公寓', '颐养院', '康养中心', '护理院'];
const CANTEEN_OPERATORS = ['重庆渝味餐饮管理有限公司', '重庆邻里香餐饮服务有限公司', '重庆康膳坊餐饮管理有限公司'];

function idFactory(prefix: string): (regionCode: string) => string {
  const counters = new Map<string, number>();
  return (regionCode) => {
    const n = (counters.get(regionCode) ?? 0) + 1;
    counters.set(regionCode, n);
    return `${prefix}${regionCode}${String(n).padStart(2, '0')}`;
  };
}

/** `count` communities: each community once (in random order) before any is repeated. */
function spreadOverCommunities(random: Random, count: number, pool: readonly Community[] = COMMUNITIES): Community[] {
  const out: Community[] = [];
  while (out.length < count) out.push(...random.shuffle([...pool]).slice(0, count - out.length));
  return out;
}

function companyName(brand: string): string {
  return `重庆${brand}养老服务有限公司`;
}

/*
 * The elderly-care facilities are built in stages over one random stream, in this order: the brand shuffle,
 * public institutions, private institutions, street centres, nursing beds, community stations, senior
 * universities, teaching points, canteens. Reordering the stages, or the draws inside a stage, changes the data
 * set; `--checksum` catches that. The public institutions take their IDs as they are built (so 渝中区社会福利院
 * is the first of its community); every other facility gets its ID at the end, in list order.
 */

/** The fields of a facility without beds, stars or subtype; each stage overrides what applies. */
const WITHOUT_BEDS: Pick<
  ElderlyFacility,
  'subtype' | 'starLevel' | 'bedsTotal' | 'bedsNursing' | 'bedsSafetyNet' | 'bedsInclusive' | 'bedsOccupied'
> = {
  subtype: null,
  starLevel: null,
  bedsTotal: 0,
  bedsNursing: 0,
  bedsSafetyNet: 0,
  bedsInclusive: 0,
  bedsOccupied: 0,
};

type FacilityPlace = Pick<ElderlyFacility, 'regionCode' | 'street' | 'community' | 'address'>;

/** What the stages share: the random stream and the operating companies' brands, shuffled once. */
interface FacilityBuilder {
  random: Random;
  /** The brand of the i-th privately operated facility; brands repeat once all are used. */
  brandAt(i: number): string;
  /** Draws an address in the community. */
  inCommunity(community: Community): FacilityPlace;
  /** A street-level facility: draws a road and a number in the street. */
  atStreet(street: Street): FacilityPlace;
}

function facilityBuilder(random: Random): FacilityBuilder {
  const brands = random.shuffle([...CARE_BRANDS]);
  return {
    random,
    brandAt: (i) => brands[i % brands.length]!,
    inCommunity: (community) => ({
      regionCode: community.code,
      street: STREETS[community.streetIndex]!,
      community,
      address: randomCommunityAddress(random, community),
    }),
    atStreet: (street) => ({
      regionCode: street.regionCode,
      street,
      community: null,
      address: streetAddress(street, random.pick(roadsOf(street.index)), random.int(1, 300)),
    }),
  };
}

/** 公办 full-care institutions: exactly the scaled beds, all 兜底, three stars, about 88% occupied. */
function publicInstitutions(
  figures: ScaledFigures,
  build: FacilityBuilder,
  facilityId: (regionCode: string) => string,
): ElderlyFacility[] {
  const publicBeds = apportion(figures.fullCarePublic.beds, Array(figures.fullCarePublic.facilities).fill(1), { min: 1 });
  return publicBeds.map((beds, i) => {
    const place = build.inCommunity(build.random.pick(COMMUNITIES));
    return {
      ...WITHOUT_BEDS,
      id: facilityId(place.regionCode),
      name: i === 0 ? '重庆市渝中区社会福利院' : `重庆市渝中区社会福利院第${i + 1}院区`,
      kind: 'FULL_CARE_INSTITUTION',
      ownership: 'PUBLIC',
      operator: '重庆市渝中区民政局',
      ...place,
      careModes: ['FULL_TIME'],
      starLevel: 3,
      bedsTotal: beds,
      bedsSafetyNet: beds,
      bedsOccupied: Math.round(beds * 0.88),
      medicalContract: true,
    };
  });
}

/**
 * 社会办 full-care institutions, spread over the communities: exactly the scaled beds, every third one 普惠, the
 * first one four-star, all but the last two with a medical contract when there are at least ten. Brands 0…n-1.
 */
function privateInstitutions(figures: ScaledFigures, build: FacilityBuilder): ElderlyFacility[] {
  const { random } = build;
  const privateCount = figures.fullCarePrivate.facilities;
  const privateBeds = apportion(
    figures.fullCarePrivate.beds,
    Array.from({ length: privateCount }, () => Math.exp(random.normal(0, 0.5))),
    { min: 1 },
  );
  const privatePlaces = spreadOverCommunities(random, privateCount);
  return privateBeds.map((beds, i) => {
    const brand = build.brandAt(i);
    const inclusive = i % 3 === 1;
    return {
      ...WITHOUT_BEDS,
      id: '',
      name: `重庆市渝中区${brand}${CARE_HOME_SUFFIXES[i % CARE_HOME_SUFFIXES.length]}`,
      kind: 'FULL_CARE_INSTITUTION',
      ownership: 'PRIVATE',
      operator: companyName(brand),
      ...build.inCommunity(privatePlaces[i]!),
      careModes: random.chance(0.3) ? ['FULL_TIME', 'DAY_CARE'] : ['FULL_TIME'],
      // Exactly one four-star institution (方案: 1家养老机构获评四星级); some others rated 1-3 stars.
      starLevel: i === 0 ? 4 : random.chance(0.4) ? random.int(1, 3) : null,
      bedsTotal: beds,
      bedsInclusive: inclusive ? beds : 0,
      bedsOccupied: Math.round(beds * (0.45 + 0.3 * random.float())),
      // 签约率 90%+: all but two when there are at least ten.
      medicalContract: !(privateCount >= 10 && i >= privateCount - 2),
    };
  });
}

/**
 * 街道养老服务中心: one per street in code order (a second round only above 11), 社会办 (PRIVATE, operated by a
 * company: brands from `firstBrand` on), exactly the scaled beds, all 普惠.
 */
function streetCentres(figures: ScaledFigures, build: FacilityBuilder, firstBrand: number): ElderlyFacility[] {
  const { random } = build;
  const centreBeds = apportion(
    figures.streetCentres.beds,
    Array.from({ length: figures.streetCentres.facilities }, () => 0.7 + 0.6 * random.float()),
    { min: 1 },
  );
  return centreBeds.map((beds, i) => {
    const street = STREETS[i % STREETS.length]!;
    const brand = build.brandAt(firstBrand + i);
    return {
      ...WITHOUT_BEDS,
      id: '',
      name:
        i < STREETS.length ? `${street.name}养老服务中心` : `${street.name}第${Math.floor(i / STREETS.length) + 1}养老服务中心`,
      kind: 'STREET_CENTRE',
      ownership: 'PRIVATE',
      operator: companyName(brand),
      ...build.atStreet(street),
      careModes: ['FULL_TIME', 'DAY_CARE'],
      bedsTotal: beds,
      bedsInclusive: beds,
      bedsOccupied: Math.round(beds * (0.5 + 0.2 * random.float())),
      medicalContract: true,
    };
  });
}

/** 护理型床位: exactly the scaled total over the facilities with beds, by bed count and a per-facility propensity, capped by beds. */
function assignNursingBeds(facilities: ElderlyFacility[], figures: ScaledFigures, random: Random): void {
  const withBeds = facilities.filter((f) => f.bedsTotal > 0);
  const nursing = apportion(
    figures.nursingBeds,
    withBeds.map((f) => f.bedsTotal * (f.ownership === 'PUBLIC' ? 0.55 : 0.25 + 0.25 * random.float())),
    { caps: withBeds.map((f) => f.bedsTotal) },
  );
  withBeds.forEach((f, i) => (f.bedsNursing = nursing[i]!));
}

/** 社区养老服务站: DAY_CARE, no beds, every community once before any twice; mostly 社会化运营 (the first always). */
function communityStations(figures: ScaledFigures, build: FacilityBuilder): ElderlyFacility[] {
  const { random } = build;
  return spreadOverCommunities(random, figures.communityStations).map((community, i, all) => {
    const second = all.slice(0, i).some((c) => c === community);
    const isPublic = i > 0 && random.chance(0.1);
    return {
      ...WITHOUT_BEDS,
      id: '',
      name: `${community.name}${second ? '第二' : ''}养老服务站`,
      kind: 'COMMUNITY_STATION',
      ownership: isPublic ? 'PUBLIC' : 'PRIVATE',
      operator: isPublic ? `${community.name}居民委员会` : companyName(build.brandAt(i + 3)),
      ...build.inCommunity(community),
      careModes: ['DAY_CARE'],
      medicalContract: true,
    };
  });
}

/** 老年大学: the district's university and its street branches (street level, no beds). */
function seniorUniversities(figures: ScaledFigures, build: FacilityBuilder): ElderlyFacility[] {
  return Array.from({ length: figures.seniorUniversities }, (_, i) => {
    const street = STREETS[(3 + i * 4) % STREETS.length]!;
    return {
      ...WITHOUT_BEDS,
      id: '',
      name: i === 0 ? '重庆市渝中区老年大学' : `重庆市渝中区老年大学${street.name}分校`,
      kind: 'SUPPORTING_FACILITY',
      subtype: 'SENIOR_UNIVERSITY',
      ownership: 'PUBLIC',
      operator: '重庆市渝中区委老干部局',
      ...build.atStreet(street),
      careModes: [],
      medicalContract: false,
    };
  });
}

/** 老年大学教学点 in communities, every community once before any twice. */
function teachingPoints(figures: ScaledFigures, build: FacilityBuilder): ElderlyFacility[] {
  return spreadOverCommunities(build.random, figures.teachingPoints).map((community) => ({
    ...WITHOUT_BEDS,
    id: '',
    name: `重庆市渝中区老年大学${community.name}教学点`,
    kind: 'SUPPORTING_FACILITY',
    subtype: 'TEACHING_POINT',
    ownership: 'PUBLIC',
    operator: '重庆市渝中区老年大学',
    ...build.inCommunity(community),
    careModes: [],
    medicalContract: false,
  }));
}

/** 社区食堂: concentrated in 30% of the communities at scale 1 (indicator 12), at least one community. */
function communityCanteens(figures: ScaledFigures, build: FacilityBuilder): ElderlyFacility[] {
  const { random } = build;
  const canteenCommunityCount = Math.min(
    figures.communityCanteens,
    Math.max(1, Math.round((COMMUNITIES.length * 0.3 * figures.communityCanteens) / 17)),
  );
  const canteenCommunities = random.shuffle([...COMMUNITIES]).slice(0, canteenCommunityCount);
  return spreadOverCommunities(random, figures.communityCanteens, canteenCommunities).map((community, i, all) => {
    const second = all.slice(0, i).some((c) => c === community);
    return {
      ...WITHOUT_BEDS,
      id: '',
      name: `${community.name}${second ? '第二' : ''}食堂`,
      kind: 'SUPPORTING_FACILITY',
      subtype: 'COMMUNITY_CANTEEN',
      ownership: 'PRIVATE',
      operator: random.pick(CANTEEN_OPERATORS),
      ...build.inCommunity(community),
      careModes: [],
      medicalContract: false,
    };
  });
}

function elderlyFacilities(figures: ScaledFigures, random: Random): ElderlyFacility[] {
  const facilityId = idFactory('YL');
  const build = facilityBuilder(random);
  const withBeds = [
    ...publicInstitutions(figures, build, facilityId),
    ...privateInstitutions(figures, build),
    ...streetCentres(figures, build, figures.fullCarePrivate.facilities),
  ];
  assignNursingBeds(withBeds, figures, random);
  const facilities = [
    ...withBeds,
    ...communityStations(figures, build),
    ...seniorUniversities(figures, build),
    ...teachingPoints(figures, build),
    ...communityCanteens(figures, build),
  ];
  for (const f of facilities) if (!f.id) f.id = facilityId(f.regionCode);
  return facilities;
}

const CHILDCARE_TEMPLATES: ReadonlyArray<{
  name: string;
  operator: string;
  authority: ChildcareFacility['registrationAuthority'];
  serviceTypes: ChildcareServiceType[];
  inclusive: boolean;
  filingDate: string;
  weight: number;
}> = [
  {
    name: '渝中区爱心树托育中心',
    operator: '重庆市渝中区爱心树托育服务中心',
    authority: 'CIVIL_AFFAIRS',
    serviceTypes: ['FULL_DAY', 'HALF_DAY', 'HOURLY', 'TEMPORARY'],
    inclusive: true,
    filingDate: '2021-06-18',
    weight: 0.45,
  },
  {
    name: '渝中区小橡果托育园',
    operator: '重庆小橡果托育服务有限公司',
    authority: 'MARKET_REGULATION',
    serviceTypes: ['FULL_DAY', 'HALF_DAY'],
    inclusive: true,
    filingDate: '2021-11-02',
    weight: 0.33,
  },
  {
    name: '渝中区贝乐优托育中心',
    operator: '重庆贝乐优教育科技有限公司',
    authority: 'MARKET_REGULATION',
    serviceTypes: ['FULL_DAY', 'HOURLY', 'TEMPORARY'],
    inclusive: false,
    filingDate: '2022-03-15',
    weight: 0.22,
  },
];

function childcareFacilities(figures: ScaledFigures, random: Random): ChildcareFacility[] {
  const id = idFactory('CC');
  const count = figures.childcare.institutions;
  const templates = Array.from({ length: count }, (_, i) => CHILDCARE_TEMPLATES[i % CHILDCARE_TEMPLATES.length]!);
  const places = apportion(
    figures.childcare.places,
    templates.map((t) => t.weight),
    { min: 1 },
  );
  return templates.map((t, i) => {
    const community = random.pick(COMMUNITIES);
    const staffTotal = Math.ceil(places[i]! / 5) + 3;
    const year = t.filingDate.slice(0, 4);
    return {
      id: id(community.code),
      name: i < CHILDCARE_TEMPLATES.length ? t.name : `${t.name}${Math.floor(i / CHILDCARE_TEMPLATES.length) + 1}部`,
      regionCode: community.code,
      street: STREETS[community.streetIndex]!,
      address: randomCommunityAddress(random, community),
      operator: t.operator,
      registrationAuthority: t.authority,
      filingNumber: `500103TY${year}${String(i + 1).padStart(3, '0')}`,
      filingDate: t.filingDate,
      filingStatus: 'FILED',
      serviceTypes: [...t.serviceTypes],
      places: places[i]!,
      inclusive: t.inclusive,
      enrolled: Math.round(places[i]! * (0.75 + 0.15 * random.float())),
      staffTotal,
      staffCertified: Math.round(staffTotal * (0.75 + 0.2 * random.float())),
      medicalContract: true,
    };
  });
}

const PUBLIC_KINDERGARTEN_NAMES = [
  '实验',
  '人民路',
  '上清寺',
  '大坪',
  '石油路',
  '化龙桥',
  '两路口',
  '解放碑',
  '七星岗',
  '菜园坝',
  '南纪门',
  '朝天门',
  '大溪沟',
  '枇杷山',
  '鹅岭',
  '李子坝',
  '红岩村',
  '中山路',
];
const PRIVATE_KINDERGARTEN_NAMES = [
  '金色摇篮',
  '蓝天',
  '启蒙',
  '小太阳',
  '童之梦',
  '博雅',
  '育才',
  '小天鹅',
  '阳光贝贝',
  '英才',
  '彩虹',
  '星光',
  '七色花',
  '新世纪',
  '晨曦',
  '艾乐',
  '乐学',
  '小百灵',
  '明日之星',
  '嘉禾',
  '童趣',
  '快乐岛',
  '春芽',
  '哈佛摇篮',
  '小精灵',
  '智慧树',
  '小海豚',
  '卡乐',
  '贝贝佳',
  '百灵鸟',
  '爱弥儿',
  '德馨',
  '星辰',
  '未来',
  '新苗',
];

function kindergartens(figures: ScaledFigures, random: Random): Kindergarten[] {
  const id = idFactory('KG');
  const publicNames = random.shuffle([...PUBLIC_KINDERGARTEN_NAMES]);
  const privateNames = random.shuffle([...PRIVATE_KINDERGARTEN_NAMES]);
  let publicUsed = 0;
  let privateUsed = 0;
  const nameFor = (ownership: Ownership) => {
    const names = ownership === 'PUBLIC' ? publicNames : privateNames;
    const i = ownership === 'PUBLIC' ? publicUsed++ : privateUsed++;
    const base = names[i % names.length]!;
    return `重庆市渝中区${base}幼儿园${i >= names.length ? `第${Math.floor(i / names.length) + 1}分园` : ''}`;
  };
  const out: Kindergarten[] = [];
  const add = (ownership: Ownership, nurseryPlaces: number, inclusive: boolean) => {
    const community = random.pick(COMMUNITIES);
    out.push({
      id: id(community.code),
      name: nameFor(ownership),
      regionCode: community.code,
      street: STREETS[community.streetIndex]!,
      address: randomCommunityAddress(random, community),
      ownership,
      inclusive,
      nurseryPlaces,
      nurseryEnrolled: Math.round(nurseryPlaces * (0.75 + 0.2 * random.float())),
    });
  };
  const weights = (n: number) => Array.from({ length: n }, () => 0.6 + 0.8 * random.float());
  const { kindergartenPublicNursery: pub, kindergartenPrivateNursery: priv } = figures;
  for (const places of apportion(pub.places, weights(pub.kindergartens), { min: 1 })) add('PUBLIC', places, true);
  for (const places of apportion(priv.places, weights(priv.kindergartens), { min: 1 }))
    add('PRIVATE', places, random.chance(0.6));
  for (let i = 0; i < figures.kindergartensWithoutNursery; i++) {
    const ownership = random.chance(0.4) ? 'PUBLIC' : 'PRIVATE';
    add(ownership, 0, ownership === 'PUBLIC' || random.chance(0.6));
  }
  return out;
}

export function generateFacilities(figures: ScaledFigures, random: Random): Facilities {
  return {
    elderly: elderlyFacilities(figures, random.fork('elderly-care')),
    childcare: childcareFacilities(figures, random.fork('childcare')),
    kindergartens: kindergartens(figures, random.fork('kindergartens')),
  };
}
