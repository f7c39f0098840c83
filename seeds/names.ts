/**
 * Realistic Chinese personal names for synthetic people.
 *
 * Contract: surnames are drawn with weights close to their frequency in China (the national top 100, with the
 * southwest's 陈/李/王/张/刘/杨/黄/周/何/罗 near the top as in Chongqing); given names have 1 or 2 characters,
 * drawn from character pools that differ by sex and by birth cohort (建国/秀英 for people born before 1970,
 * 伟/丽 around 1970-1999, 子轩/梓涵 since 2000). Names are synthetic: any match with a real person is chance.
 */
import { WeightedTable, type Random } from './random';

/** Surname and weight (‰ of the population, rounded). */
const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 71],
  ['李', 72],
  ['张', 67],
  ['刘', 54],
  ['陈', 58],
  ['杨', 38],
  ['黄', 26],
  ['赵', 20],
  ['吴', 20],
  ['周', 22],
  ['徐', 17],
  ['孙', 15],
  ['马', 15],
  ['朱', 14],
  ['胡', 14],
  ['郭', 13],
  ['何', 16],
  ['高', 12],
  ['林', 11],
  ['罗', 15],
  ['郑', 11],
  ['梁', 9],
  ['谢', 10],
  ['宋', 8],
  ['唐', 11],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 10],
  ['曹', 7],
  ['彭', 9],
  ['曾', 8],
  ['肖', 8],
  ['田', 7],
  ['董', 6],
  ['袁', 7],
  ['潘', 5],
  ['于', 5],
  ['蒋', 7],
  ['蔡', 5],
  ['余', 7],
  ['杜', 6],
  ['叶', 5],
  ['程', 5],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 5],
  ['沈', 4],
  ['姚', 4],
  ['卢', 4],
  ['姜', 4],
  ['崔', 3],
  ['钟', 4],
  ['谭', 6],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 4],
  ['廖', 5],
  ['贾', 3],
  ['夏', 3],
  ['韦', 3],
  ['付', 4],
  ['方', 3],
  ['白', 3],
  ['邹', 4],
  ['孟', 2],
  ['熊', 4],
  ['秦', 3],
  ['邱', 3],
  ['江', 3],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 3],
  ['侯', 2],
  ['龙', 3],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 3],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 2],
  ['覃', 2],
  ['武', 2],
  ['戴', 2],
  ['莫', 2],
  ['向', 3],
  ['冉', 2],
  ['牟', 2],
  ['文', 2],
  ['蒲', 1],
  ['税', 1],
];

const surnameTable = WeightedTable.of(SURNAMES);

export type Sex = 'M' | 'F';
export type Cohort = 'before1970' | '1970to1999' | 'since2000';

/** Character pools by cohort and sex; a few characters appear in both sexes' pools on purpose. */
const GIVEN_CHARACTERS: Record<Cohort, Record<Sex, string>> = {
  before1970: {
    M: '建国华明德志文军强平忠福贵生明成庆荣祥海清永光林富树春宝兴顺安民和全胜利',
    F: '秀英桂兰淑珍玉芳凤华翠云琼素芬兰梅菊英珍琴霞群玲慧美莲秀惠蓉淑凤',
  },
  '1970to1999': {
    M: '伟强军勇杰涛明超刚平辉鹏华飞波斌宇浩凯健俊帆亮磊峰东龙林建志海江洪兵',
    F: '芳娜敏静丽艳娟霞玲婷雪琳洁燕红梅琴萍倩颖莉慧晶丹英利媛佳蓉露娇',
  },
  since2000: {
    M: '轩睿泽浩宇辰子豪铭航博然一诺逸俊皓宸杰瑞昊晨嘉梓煜奕熙景沐阳朗霖言',
    F: '涵萱欣怡悦琪馨雨桐诗梓可彤妍思钰佳语若汐瑶一诺晴曦安蕊芮溪依念',
  },
};

const POOLS: Record<Cohort, Record<Sex, readonly string[]>> = {
  before1970: { M: [...GIVEN_CHARACTERS.before1970.M], F: [...GIVEN_CHARACTERS.before1970.F] },
  '1970to1999': { M: [...GIVEN_CHARACTERS['1970to1999'].M], F: [...GIVEN_CHARACTERS['1970to1999'].F] },
  since2000: { M: [...GIVEN_CHARACTERS.since2000.M], F: [...GIVEN_CHARACTERS.since2000.F] },
};

const SINGLE_CHARACTER_SHARE: Record<Cohort, number> = { before1970: 0.3, '1970to1999': 0.35, since2000: 0.12 };

export function cohortOf(birthDate: string): Cohort {
  const year = Number(birthDate.slice(0, 4));
  return year < 1970 ? 'before1970' : year < 2000 ? '1970to1999' : 'since2000';
}

export function drawSurname(random: Random): string {
  return surnameTable.draw(random);
}

export function drawGivenName(random: Random, sex: Sex, birthDate: string): string {
  const cohort = cohortOf(birthDate);
  const own = POOLS[cohort][sex];
  const other = POOLS[cohort][sex === 'M' ? 'F' : 'M'];
  // Mostly the sex's own pool; about 1 character in 12 from the other sex's pool of the cohort (neutral names).
  const first = random.pick(random.chance(0.08) ? other : own);
  if (random.chance(SINGLE_CHARACTER_SHARE[cohort])) return first;
  let second = random.pick(random.chance(0.08) ? other : own);
  if (second === first && random.chance(0.7)) second = random.pick(own);
  return first + second;
}

/** For tests and docs: every surname the generator can produce. */
export const KNOWN_SURNAMES: ReadonlySet<string> = new Set(SURNAMES.map(([s]) => s));
