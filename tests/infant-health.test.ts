import type { InfantVisitRecord } from '../connectors/health/interface';
import { addMonths, assessInfantHealth, checkStatus } from '../resolvers/infant-health';

const CHILD = '500103202205200136';
const visit = (kind: 'NEWBORN_HOME_VISIT' | 'CHECK', ageMonths: number, doneOn: string | null): InfantVisitRecord => ({
  visitId: `${kind}-${ageMonths}`,
  citizenId: CHILD,
  kind,
  ageMonths,
  doneOn,
  organisation: '七星岗社区卫生服务中心',
  updatedAt: '2022-12-31T00:00:00.000Z',
});

describe('infant health management rule', () => {
  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addMonths('2022-05-20', 1)).toBe('2022-06-20');
    expect(addMonths('2022-01-31', 1)).toBe('2022-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2022-05-20', 36)).toBe('2025-05-20');
  });

  it.each([
    ['2022-06-20', '2022-06-25', 'DONE'],
    ['2022-06-20', null, 'MISSED', '2022-07-21'],
    ['2022-06-20', null, 'DUE', '2022-07-20'],
    ['2022-06-20', null, 'UPCOMING', '2022-06-19'],
  ])('a check due %s, done %s, is %s', (dueOn, doneOn, status, asOf = '2022-12-31') => {
    expect(checkStatus(dueOn, doneOn, asOf)).toBe(status);
  });

  it('counts a child as managed when the newborn visit is done and nothing is missed', () => {
    const visits = [
      visit('NEWBORN_HOME_VISIT', 0, '2022-05-27'),
      visit('CHECK', 1, '2022-06-21'),
      visit('CHECK', 3, '2022-08-22'),
      visit('CHECK', 6, '2022-11-21'),
    ];
    const health = assessInfantHealth(CHILD, '2022-05-20', visits, '2022-12-31');
    expect(health.managementStatus).toBe('MANAGED');
    expect(health.checks.map((c) => [c.ageMonths, c.status])).toEqual([
      [1, 'DONE'],
      [3, 'DONE'],
      [6, 'DONE'],
      [8, 'UPCOMING'],
      [12, 'UPCOMING'],
      [18, 'UPCOMING'],
      [24, 'UPCOMING'],
      [30, 'UPCOMING'],
      [36, 'UPCOMING'],
    ]);
  });

  it('is not managed without the newborn visit, or with a missed check', () => {
    const noNewborn = assessInfantHealth(CHILD, '2022-05-20', [visit('CHECK', 1, '2022-06-21')], '2022-07-01');
    expect(noNewborn.managementStatus).toBe('NOT_MANAGED');
    const missed = assessInfantHealth(CHILD, '2022-05-20', [visit('NEWBORN_HOME_VISIT', 0, '2022-05-27')], '2022-12-31');
    expect(missed.managementStatus).toBe('NOT_MANAGED');
    expect(missed.checks.filter((c) => c.status === 'MISSED').map((c) => c.ageMonths)).toEqual([1, 3, 6]);
  });

  it('does not apply from the third birthday on', () => {
    expect(assessInfantHealth(CHILD, '2022-05-20', [], '2025-05-20').managementStatus).toBe('NOT_APPLICABLE');
  });
});

describe('person age filter', () => {
  it('turns an age range into a birth-date range as of a day, leap days included', async () => {
    const { personSearchFilter } = await import('../resolvers/person');
    expect(personSearchFilter({ ageMin: 60, ageMax: 64 }, new Date('2026-11-23T10:00:00Z'))).toEqual({
      bornOnOrBefore: '1966-11-23',
      bornOnOrAfter: '1961-11-24',
    });
    expect(personSearchFilter({ ageMin: 1 }, new Date('2024-02-29T00:00:00Z'))).toEqual({ bornOnOrBefore: '2023-02-28' });
    expect(personSearchFilter({ residence: 'RESIDENT' })).toEqual({ residenceType: ['REGISTERED_RESIDENT', 'RESIDENT_ONLY'] });
  });
});
