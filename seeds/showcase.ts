/**
 * Showcase people: three fixed people present in the data set at every scale and seed, with the records a demo
 * or a test needs to walk across departments. Their citizen IDs are constants (valid GB 11643 numbers), so
 * tests, docs and demos can name them. Everyone else in the data set is drawn at random.
 *
 * - ELDERLY: 84-year-old woman living alone in 解放碑街道沧白路社区, 低保 (so 经济困难), capability assessments
 *   2021 (level 2) and 2022 (level 3), 高龄津贴 + 护理补贴 + 服务补贴, a family-doctor contract, a home-care bed
 *   (家庭养老床位), health checks and monthly visits in every visited month.
 * - INFANT: boy born 2022-05-20 in 七星岗街道金汤街社区 with his parents: birth certificate, newborn home visit,
 *   the 1-, 3- and 6-month checks and every vaccine dose due by the reference date.
 * - NURSERY_CHILD: girl born 2020-06-08 (aged 2) in 解放碑街道邹容路社区 with her parents, enrolled in a
 *   kindergarten 托班 (education.nursery_enrolment).
 */
import type { Sex } from './names';

export interface ShowcasePerson {
  citizenId: string;
  surname: string;
  givenName: string;
  sex: Sex;
  birthDate: string;
  communityCode: string;
}

export const SHOWCASE = {
  ELDERLY: {
    citizenId: '500103193803150261',
    surname: '张',
    givenName: '秀英',
    sex: 'F',
    birthDate: '1938-03-15',
    communityCode: '500103003023',
  },
  INFANT: {
    citizenId: '500103202205200136',
    surname: '李',
    givenName: '沐阳',
    sex: 'M',
    birthDate: '2022-05-20',
    communityCode: '500103001015',
  },
  NURSERY_CHILD: {
    citizenId: '500103202006080426',
    surname: '王',
    givenName: '若汐',
    sex: 'F',
    birthDate: '2020-06-08',
    communityCode: '500103003022',
  },
} as const satisfies Record<string, ShowcasePerson>;

export type ShowcaseRole = keyof typeof SHOWCASE;

/** Facts fixed for the showcase elderly person (the rest follows the general rules). */
export const SHOWCASE_ELDERLY_ASSESSMENTS: ReadonlyArray<{ level: number; assessedOn: string }> = [
  { level: 2, assessedOn: '2021-06-10' },
  { level: 3, assessedOn: '2022-06-15' },
];
