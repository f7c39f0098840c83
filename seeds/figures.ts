/**
 * The Yuzhong figures the data set is calibrated to (shared/seeds/000_*.txt, 《渝中区“一老一小”整体解决方案》,
 * section 一(一)1 and 一(二), and the indicator table), and the scaling rule for `--scale S` (0 < S ≤ 1):
 *
 * - population figures: round(figure × S);
 * - facility counts: round(figure × S), but at least 1 facility of each kind/subtype;
 * - bed and place totals: round(figure × S), but at least one per facility that offers beds/places
 *   (so every such facility has one); this only matters at very small scales;
 * - at S = 1 every figure is exactly the published one.
 *
 * Figures marked "synthetic" are not in the source: they are plausible choices documented in seeds/README.md.
 */

export const YUZHONG_FIGURES = {
  /** 常住人口 58.87万 (REGISTERED_RESIDENT + RESIDENT_ONLY). */
  residentPopulation: 588_700,
  /** 60岁及以上老年人口 11.63万 (of the resident population). */
  aged60Plus: 116_300,
  /** 0-3岁婴幼儿 17420: children under 3 on the reference date. */
  under3: 17_420,
  /** 户籍非常住 (REGISTERED_ONLY), synthetic: registered here, living elsewhere; not counted as resident. */
  registeredOnly: 23_500,

  /** 全托养老机构25家 (公办1家): 公办养老床位325张. */
  fullCarePublic: { facilities: 1, beds: 325 },
  /** 社会办机构养老床位717张 over the other 24 full-care institutions. */
  fullCarePrivate: { facilities: 24, beds: 717 },
  /** 全托日托相结合的养老服务中心11个 (one per street), 养老服务中心床位873张. */
  streetCentres: { facilities: 11, beds: 873 },
  /** 日托社区养老服务站68个 (no beds). */
  communityStations: 68,
  /** 配套服务设施44个: 老年大学3个、老年大学社区教学点24个、社区食堂17个 (no beds). */
  seniorUniversities: 3,
  teachingPoints: 24,
  communityCanteens: 17,
  /** 护理型床位716张 (37.4% of the 1915 full-care beds). */
  nursingBeds: 716,
  /** 社区食堂 cover 30% of communities (indicator 12, 助餐服务社区覆盖面 30%). */
  canteenCommunityShare: 0.3,
  /** 2022年 家庭养老床位试点 100张 (section 三(二)6). */
  homeCareBeds: 100,

  /** 托育机构3个, 托位181个. */
  childcare: { institutions: 3, places: 181 },
  /** 幼儿园可提供托位830个: 100 in public kindergartens (indicator 20, 公办托位数 100), 730 in private ones. */
  kindergartenPublicNursery: { kindergartens: 5, places: 100 },
  kindergartenPrivateNursery: { kindergartens: 15, places: 730 },
  /** Kindergartens without a 托班, synthetic. */
  kindergartensWithoutNursery: 40,
} as const;

export interface FacilityFigure {
  facilities: number;
  beds: number;
}

export interface ScaledFigures {
  scale: number;
  residentPopulation: number;
  aged60Plus: number;
  under3: number;
  registeredOnly: number;
  fullCarePublic: FacilityFigure;
  fullCarePrivate: FacilityFigure;
  streetCentres: FacilityFigure;
  communityStations: number;
  seniorUniversities: number;
  teachingPoints: number;
  communityCanteens: number;
  nursingBeds: number;
  homeCareBeds: number;
  childcare: { institutions: number; places: number };
  kindergartenPublicNursery: { kindergartens: number; places: number };
  kindergartenPrivateNursery: { kindergartens: number; places: number };
  kindergartensWithoutNursery: number;
}

export function assertScale(scale: number): void {
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 1)) throw new Error(`scale must be in (0, 1], got ${scale}`);
}

/** Population figures: round(figure × S). */
export function scalePopulation(figure: number, scale: number): number {
  return Math.round(figure * scale);
}

/** Facility counts: round(figure × S), at least 1. */
export function scaleFacilities(figure: number, scale: number): number {
  return Math.max(1, Math.round(figure * scale));
}

/** Bed/place totals of `facilities` facilities: round(figure × S), at least one per facility. */
export function scaleCapacity(figure: number, scale: number, facilities: number): number {
  return Math.max(facilities, Math.round(figure * scale));
}

function facilityFigure(figure: FacilityFigure, scale: number): FacilityFigure {
  const facilities = scaleFacilities(figure.facilities, scale);
  return { facilities, beds: scaleCapacity(figure.beds, scale, facilities) };
}

function placesFigure<K extends string>(
  figure: { [key in K]: number } & { places: number },
  countKey: K,
  scale: number,
): { [key in K]: number } & { places: number } {
  const count = scaleFacilities(figure[countKey], scale);
  return { [countKey]: count, places: scaleCapacity(figure.places, scale, count) } as { [key in K]: number } & {
    places: number;
  };
}

export function scaleFigures(scale: number): ScaledFigures {
  assertScale(scale);
  const f = YUZHONG_FIGURES;
  const fullCarePublic = facilityFigure(f.fullCarePublic, scale);
  const fullCarePrivate = facilityFigure(f.fullCarePrivate, scale);
  const streetCentres = facilityFigure(f.streetCentres, scale);
  const totalBeds = fullCarePublic.beds + fullCarePrivate.beds + streetCentres.beds;
  return {
    scale,
    residentPopulation: scalePopulation(f.residentPopulation, scale),
    aged60Plus: scalePopulation(f.aged60Plus, scale),
    under3: scalePopulation(f.under3, scale),
    registeredOnly: scalePopulation(f.registeredOnly, scale),
    fullCarePublic,
    fullCarePrivate,
    streetCentres,
    communityStations: scaleFacilities(f.communityStations, scale),
    seniorUniversities: scaleFacilities(f.seniorUniversities, scale),
    teachingPoints: scaleFacilities(f.teachingPoints, scale),
    communityCanteens: scaleFacilities(f.communityCanteens, scale),
    nursingBeds: Math.min(totalBeds, Math.round(f.nursingBeds * scale)),
    homeCareBeds: scaleFacilities(f.homeCareBeds, scale),
    childcare: placesFigure(f.childcare, 'institutions', scale),
    kindergartenPublicNursery: placesFigure(f.kindergartenPublicNursery, 'kindergartens', scale),
    kindergartenPrivateNursery: placesFigure(f.kindergartenPrivateNursery, 'kindergartens', scale),
    kindergartensWithoutNursery: scaleFacilities(f.kindergartensWithoutNursery, scale),
  };
}
