/** Period handling and indicator arithmetic (pure, domain/). */
import { BadUserInputError } from '../domain/errors';
import { attainment, indicatorValue, roundTo, targetStatus } from '../domain/indicators';
import { resolvePeriods } from '../domain/periods';

const REF = '2022-12-31';
const ids = (periods: string[], ref = REF) => resolvePeriods(periods, ref).map((p) => `${p.id}:${p.start}..${p.end}`);

describe('periods as DHIS2 writes them', () => {
  it('parses years, quarters and months with their first and last days', () => {
    expect(ids(['2022', '2024Q1', '2022Q4', '202202', '202402'])).toEqual([
      '2022:2022-01-01..2022-12-31',
      '2024Q1:2024-01-01..2024-03-31',
      '2022Q4:2022-10-01..2022-12-31',
      '202202:2022-02-01..2022-02-28',
      '202402:2024-02-01..2024-02-29',
    ]);
  });

  it('resolves relative periods against the reference date', () => {
    expect(ids(['THIS_YEAR', 'LAST_YEAR', 'THIS_QUARTER', 'THIS_MONTH', 'LAST_MONTH'])).toEqual([
      '2022:2022-01-01..2022-12-31',
      '2021:2021-01-01..2021-12-31',
      '2022Q4:2022-10-01..2022-12-31',
      '202212:2022-12-01..2022-12-31',
      '202211:2022-11-01..2022-11-30',
    ]);
    expect(resolvePeriods(['LAST_MONTH'], '2023-01-15').map((p) => p.id)).toEqual(['202212']);
  });

  it('expands LAST_12_MONTHS to the 12 months before the reference month, oldest first, without duplicates', () => {
    const months = resolvePeriods(['LAST_12_MONTHS', '202206'], REF).map((p) => p.id);
    expect(months).toEqual([
      '202112',
      '202201',
      '202202',
      '202203',
      '202204',
      '202205',
      '202206',
      '202207',
      '202208',
      '202209',
      '202210',
      '202211',
    ]);
  });

  it.each([['2022Q0'], ['2022Q5'], ['202200'], ['202213'], ['22'], ['NEXT_YEAR'], ['1800'], ['2022-12']])(
    'refuses %s naming its index',
    (bad) => {
      let error: unknown;
      try {
        resolvePeriods(['2022', bad], REF);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadUserInputError);
      expect(error).toMatchObject({ extensions: { field: 'periods.1', reason: 'MALFORMED_PERIOD' } });
    },
  );
});

describe('indicator arithmetic', () => {
  it('computes factor × numerator / denominator, with NO_DATA and ZERO_DENOMINATOR', () => {
    expect(indicatorValue(1000, 1915, 116300, true)).toEqual({ status: 'OK', value: (1000 * 1915) / 116300 });
    expect(indicatorValue(100, 5, 0, true)).toEqual({ status: 'ZERO_DENOMINATOR', value: null });
    expect(indicatorValue(100, null, 10, true)).toEqual({ status: 'NO_DATA', value: null });
    expect(indicatorValue(1, 7, null, false)).toEqual({ status: 'OK', value: 7 });
  });

  it('rounds half away from zero in decimal', () => {
    expect(roundTo(16.466, 1)).toBe(16.5);
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(37.38903, 1)).toBe(37.4);
    expect(roundTo(-2.5, 0)).toBe(-3);
  });

  it("measures attainment and target status in the indicator's direction", () => {
    expect(attainment(2957.5, 1915, 4000, 'INCREASE')).toBeCloseTo(0.5, 6);
    expect(attainment(35, 40, 30, 'DECREASE')).toBeCloseTo(0.5, 6);
    expect(attainment(11, 11, 11, 'MAINTAIN')).toBe(1);
    const plan = { baselineYear: 2022, targetYear: 2025, year: 2023 };
    expect(targetStatus(4000, 1915, 4000, 'INCREASE', plan)).toBe('MET');
    expect(targetStatus(2800, 1915, 4000, 'INCREASE', plan)).toBe('ON_TRACK'); // 42 % of the way after 33 % of the time
    expect(targetStatus(2000, 1915, 4000, 'INCREASE', plan)).toBe('BEHIND');
    expect(targetStatus(null, 1915, 4000, 'INCREASE', plan)).toBe('NO_TARGET');
  });
});
