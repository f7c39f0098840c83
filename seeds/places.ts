/**
 * Where synthetic people and facilities are: the communities of seeds/regions.ts, roads per street,
 * addresses 重庆市渝中区<street><community><road>N号, the health organisations that serve each street, and the
 * 6-digit region codes of first registration of people who live here but are registered elsewhere.
 *
 * Contract: every person and facility is placed in a community of YUZHONG_STREETS (12-digit code); a
 * street-level facility uses the street code + '000'. Road names are real Yuzhong road names used as
 * illustrative data; house numbers are synthetic.
 */
import { YUZHONG_STREETS } from './regions';
import type { Random } from './random';

export interface Community {
  code: string;
  name: string;
  streetIndex: number;
  streetCode: string;
  streetName: string;
}

export interface Street {
  index: number;
  code: string;
  name: string;
  /** street code + '000': the region code of a street-level facility. */
  regionCode: string;
  communities: Community[];
}

export const STREETS: readonly Street[] = YUZHONG_STREETS.map((street, index) => ({
  index,
  code: street.code,
  name: street.name,
  regionCode: `${street.code}000`,
  communities: street.communities.map(([suffix, name]) => ({
    code: street.code + suffix,
    name,
    streetIndex: index,
    streetCode: street.code,
    streetName: street.name,
  })),
}));

export const COMMUNITIES: readonly Community[] = STREETS.flatMap((s) => s.communities);

const COMMUNITY_BY_CODE = new Map(COMMUNITIES.map((c) => [c.code, c]));

export function communityByCode(code: string): Community {
  const community = COMMUNITY_BY_CODE.get(code);
  if (!community) throw new Error(`unknown community ${code}`);
  return community;
}

/** Roads of each street, in YUZHONG_STREETS order. */
const ROADS: readonly (readonly string[])[] = [
  ['中山一路', '和平路', '金汤街', '领事巷', '捍卫路', '通远门'],
  ['民族路', '邹容路', '五一路', '民权路', '八一路', '沧白路', '青年路'],
  ['中山三路', '中山二路', '长江一路', '枇杷山正街', '文化街'],
  ['中山四路', '人民路', '嘉陵桥东路', '学田湾正街', '春森路'],
  ['菜袁路', '南区路', '石板坡', '燕喜洞'],
  ['解放西路', '凯旋路', '南纪门正街', '凉亭子'],
  ['陕西路', '朝东路', '新华路', '信义街', '千厮门'],
  ['人民路', '建设路', '双钢路', '张家花园', '胜利路'],
  ['大坪正街', '长江二路', '大黄路', '浮图关', '马家堡'],
  ['红岩村', '李子坝正街', '虎头岩', '化龙桥正街'],
  ['石油路', '煤建新村', '金银湾', '民乐村', '彭家花园'],
];

export function roadsOf(streetIndex: number): readonly string[] {
  return ROADS[streetIndex]!;
}

export function communityAddress(community: Community, road: string, houseNumber: number): string {
  return `重庆市渝中区${community.streetName}${community.name}${road}${houseNumber}号`;
}

export function streetAddress(street: Street, road: string, houseNumber: number): string {
  return `重庆市渝中区${street.name}${road}${houseNumber}号`;
}

export function randomCommunityAddress(random: Random, community: Community): string {
  return communityAddress(community, random.pick(roadsOf(community.streetIndex)), random.int(1, 320));
}

/** 社区卫生服务中心 of a street: newborn visits, checks, vaccinations, elderly checks, family doctors. */
export function healthCentreOf(streetIndex: number): string {
  return `重庆市渝中区${STREETS[streetIndex]!.name}社区卫生服务中心`;
}

/** Hospitals where children of the district are born (birth certificates, birth doses of vaccines). */
export const MATERNITY_HOSPITALS: readonly string[] = [
  '重庆医科大学附属第一医院',
  '重庆市人民医院',
  '陆军特色医学中心',
  '重庆市妇幼保健院',
  '重庆市渝中区人民医院',
];

/** Region of first registration of RESIDENT_ONLY people: other Chongqing districts/counties (weight 7) … */
const CHONGQING_ORIGINS = [
  '500101',
  '500102',
  '500104',
  '500105',
  '500106',
  '500107',
  '500108',
  '500109',
  '500110',
  '500111',
  '500112',
  '500113',
  '500114',
  '500115',
  '500116',
  '500117',
  '500118',
  '500119',
  '500120',
  '500151',
  '500152',
  '500153',
  '500154',
  '500155',
  '500156',
  '500229',
  '500230',
  '500231',
  '500233',
  '500235',
  '500236',
  '500237',
  '500238',
  '500240',
  '500241',
  '500242',
  '500243',
];
/** … and other provinces (weight 3): Sichuan, Guizhou, Hubei, Hunan, Shaanxi, Yunnan and a few large cities. */
const OTHER_PROVINCE_ORIGINS = [
  '510104',
  '510107',
  '511302',
  '510502',
  '511602',
  '511702',
  '511102',
  '520102',
  '520302',
  '522601',
  '420106',
  '422801',
  '430102',
  '610113',
  '530102',
  '110105',
  '440305',
  '330106',
  '320102',
  '370102',
  '410105',
  '450103',
];

export function drawOriginRegion(random: Random): string {
  return random.chance(0.7) ? random.pick(CHONGQING_ORIGINS) : random.pick(OTHER_PROVINCE_ORIGINS);
}

export const ORIGIN_REGION_CODES: ReadonlySet<string> = new Set([...CHONGQING_ORIGINS, ...OTHER_PROVINCE_ORIGINS]);

/** Relative size of each street's population (大坪, 化龙桥 and 石油路 are the larger residential streets). */
export const STREET_POPULATION_WEIGHTS: readonly number[] = [1.0, 0.8, 1.0, 0.9, 0.8, 0.8, 0.7, 0.9, 1.4, 1.2, 1.1];
