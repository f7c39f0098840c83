/**
 * The Chinese national immunisation programme schedule for children (国家免疫规划疫苗儿童免疫程序, 2021 edition),
 * up to the doses due by age 6. Each dose is due at a fixed age after birth; doses of one disease's series
 * share a dose numbering (脊灰: IPV doses 1-2, bOPV doses 3-4; 流脑: MPSV-A doses 1-2, MPSV-AC doses 3-4).
 */

export interface ScheduledDose {
  vaccineCode: string;
  vaccineName: string;
  dose: number;
  /** Age at which the dose is due: `months` after birth (0 = at birth, within 24 hours). */
  months: number;
  /** Given by the maternity hospital at birth rather than by the community health centre. */
  atBirth: boolean;
}

const dose = (vaccineCode: string, vaccineName: string, n: number, months: number): ScheduledDose => ({
  vaccineCode,
  vaccineName,
  dose: n,
  months,
  atBirth: months === 0,
});

export const IMMUNISATION_SCHEDULE: readonly ScheduledDose[] = [
  dose('HepB', '乙肝疫苗', 1, 0),
  dose('BCG', '卡介苗', 1, 0),
  dose('HepB', '乙肝疫苗', 2, 1),
  dose('IPV', '脊灰灭活疫苗', 1, 2),
  dose('IPV', '脊灰灭活疫苗', 2, 3),
  dose('DTaP', '百白破疫苗', 1, 3),
  dose('bOPV', '二价脊灰减毒活疫苗', 3, 4),
  dose('DTaP', '百白破疫苗', 2, 4),
  dose('DTaP', '百白破疫苗', 3, 5),
  dose('HepB', '乙肝疫苗', 3, 6),
  dose('MPSV-A', 'A群流脑多糖疫苗', 1, 6),
  dose('MMR', '麻腮风疫苗', 1, 8),
  dose('JE-L', '乙脑减毒活疫苗', 1, 8),
  dose('MPSV-A', 'A群流脑多糖疫苗', 2, 9),
  dose('DTaP', '百白破疫苗', 4, 18),
  dose('MMR', '麻腮风疫苗', 2, 18),
  dose('HepA-L', '甲肝减毒活疫苗', 1, 18),
  dose('JE-L', '乙脑减毒活疫苗', 2, 24),
  dose('MPSV-AC', 'A群C群流脑多糖疫苗', 3, 36),
  dose('bOPV', '二价脊灰减毒活疫苗', 4, 48),
  dose('MPSV-AC', 'A群C群流脑多糖疫苗', 4, 72),
  dose('DT', '白破疫苗', 1, 72),
];
