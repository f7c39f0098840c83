/**
 * 指标看板: the 21 indicators for 渝中区 (500103) and its 11 streets for a chosen period and population basis. The
 * table shows the chosen region (district or one street); each indicator has a chart of the streets against the
 * target; a row opens the drill-down (the records behind the numerator or denominator, paged, masked as the API
 * masks them). A department that is down shows its error in the cells it affects.
 */
import { useMemo, useState } from 'react';
import { errorsAt, type GraphQLErrorItem } from '../graphql';
import { useQuery } from '../hub';
import { useFormat, useLang, useT } from '../i18n';
import { download, ErrorBanner, ErrorCell, Lineage, Loading, toCsv, useErrorText } from '../components/common';
import { StreetChart, type StreetBar } from '../components/StreetChart';
import { DrillDown } from './DrillDown';

export const DISTRICT = '500103';

const VALUE_FIELDS = `indicator { code row nameZh nameEn unit kind decimals }
  regionCode period value numerator denominator basis status baseline baselineNote target targetYear attainment
  targetStatus differenceFromBaseline notes runId computedAt
  inputs { metric connector aggregate kind cache fetchedAt }`;

const DASHBOARD_QUERY = `query Dashboard($periods: [String!]!, $basis: PopulationBasis) {
  district: indicatorValues(regionCodes: ["${DISTRICT}"], periods: $periods, basis: $basis) { ${VALUE_FIELDS} }
  streets: indicatorValues(parentCode: "${DISTRICT}", regionLevel: STREET, periods: $periods, basis: $basis) { ${VALUE_FIELDS} }
  regions(parentCode: "${DISTRICT}") { code name }
}`;

export interface IndicatorValue {
  indicator: { code: string; row: number | null; nameZh: string; nameEn: string; unit: string; kind: string; decimals: number };
  regionCode: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  basis: string | null;
  status: string;
  baseline: number | null;
  baselineNote: string | null;
  target: number | null;
  targetYear: number | null;
  attainment: number | null;
  targetStatus: string;
  differenceFromBaseline: number | null;
  notes: string[];
  runId: string;
  computedAt: string;
  inputs: Array<{
    metric: string;
    connector: string | null;
    aggregate: string | null;
    kind: string;
    cache: string | null;
    fetchedAt: string | null;
  }>;
}

interface DashboardAnswer {
  district: IndicatorValue[] | null;
  streets: IndicatorValue[] | null;
  regions: Array<{ code: string; name: string }> | null;
}

const PERIODS = ['2022', '2022Q4', '2022Q3', '2022Q2', '2022Q1', '202212', '202211', '202210', '2021'];

const STATUS: Record<string, [string, string]> = {
  OK: ['已计算', 'Computed'],
  NO_DATA: ['无数据', 'No data'],
  ZERO_DENOMINATOR: ['分母为零', 'Zero denominator'],
  PARTIAL: ['部门数据缺失', 'Department data missing'],
  SUPPRESSED: ['小数抑制', 'Suppressed'],
};
const TARGET_STATUS: Record<string, [string, string]> = {
  MET: ['已达标', 'Met'],
  ON_TRACK: ['进度正常', 'On track'],
  BEHIND: ['滞后', 'Behind'],
  NO_TARGET: ['无目标', 'No target'],
};

export function Dashboard() {
  const t = useT();
  const f = useFormat();
  const { lang } = useLang();
  const errorText = useErrorText();
  const [period, setPeriod] = useState('2022');
  const [basis, setBasis] = useState('');
  const [regionCode, setRegionCode] = useState(DISTRICT);
  const [drill, setDrill] = useState<IndicatorValue | null>(null);

  const variables = { periods: [period], basis: basis || null };
  const query = useQuery<DashboardAnswer>(DASHBOARD_QUERY, variables, JSON.stringify(variables));
  const data = query.result?.data ?? null;
  const errors = query.result?.errors ?? [];

  const regionName = useMemo(() => {
    const names = new Map((data?.regions ?? []).map((r) => [r.code, r.name]));
    names.set(DISTRICT, t('渝中区', 'Yuzhong District'));
    return (code: string) => names.get(code) ?? code;
  }, [data, t]);

  // Rows of the table: the chosen region's values, with their index in the answer (errors are addressed by it).
  const rows = useMemo(() => {
    if (!data) return [];
    const source = regionCode === DISTRICT ? 'district' : 'streets';
    return (data[source] ?? [])
      .map((value, index) => ({ value, path: [source, index] as Array<string | number> }))
      .filter((row) => row.value.regionCode === regionCode);
  }, [data, regionCode]);

  const name = (v: IndicatorValue) => (lang === 'zh' ? v.indicator.nameZh : v.indicator.nameEn);
  const fmt = (v: IndicatorValue, n: number | null) => f.number(n, v.indicator.decimals);
  const statusText = (s: string, table: Record<string, [string, string]>) => (table[s] ? t(table[s][0], table[s][1]) : s);

  const exportCsv = () => {
    const header = [
      t('序号', 'Row'),
      t('代码', 'Code'),
      t('指标', 'Indicator'),
      t('属性', 'Kind'),
      t('区划', 'Region'),
      t('期间', 'Period'),
      t('值', 'Value'),
      t('单位', 'Unit'),
      t('分子', 'Numerator'),
      t('分母', 'Denominator'),
      t('口径', 'Basis'),
      t('现状值', 'Baseline'),
      t('目标值', 'Target'),
      t('达成度', 'Attainment'),
      t('状态', 'Status'),
      t('目标进度', 'Target status'),
      t('与现状值之差', 'Difference from baseline'),
      t('说明', 'Notes'),
    ];
    const lines = rows.map(({ value: v, path }) => {
      const error = errorsAt(errors, [...path, 'value'])[0];
      return [
        v.indicator.row,
        v.indicator.code,
        name(v),
        v.indicator.kind === 'BINDING' ? t('约束性', 'Binding') : t('预期性', 'Expected'),
        regionName(v.regionCode),
        v.period,
        error ? errorText(error) : v.value,
        v.indicator.unit,
        v.numerator,
        v.denominator,
        v.basis,
        v.baseline,
        v.target,
        v.attainment,
        statusText(v.status, STATUS),
        statusText(v.targetStatus, TARGET_STATUS),
        v.differenceFromBaseline,
        [v.baselineNote, ...v.notes].filter(Boolean).join(' | '),
      ];
    });
    download(`indicators-${regionCode}-${period}${basis ? `-${basis}` : ''}.csv`, toCsv([header, ...lines]));
  };

  const differences = rows.filter(({ value: v }) => v.differenceFromBaseline !== null && v.differenceFromBaseline !== 0);
  const wholeFailure: GraphQLErrorItem | null =
    query.failure ?? (data && !data.district && !data.streets ? (errors[0] ?? null) : null);

  return (
    <>
      <h1>{t('指标看板', 'Indicator dashboard')}</h1>
      <form className="controls" onSubmit={(e) => e.preventDefault()} aria-label={t('筛选', 'Filters')}>
        <div className="field">
          <label htmlFor="dash-period">{t('期间', 'Period')}</label>
          <select id="dash-period" value={period} onChange={(e) => setPeriod(e.target.value)}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-basis">{t('人口口径', 'Population basis')}</label>
          <select id="dash-basis" value={basis} onChange={(e) => setBasis(e.target.value)}>
            <option value="">{t('按指标默认', "Each indicator's default")}</option>
            <option value="RESIDENT">{t('常住人口', 'Resident')}</option>
            <option value="REGISTERED">{t('户籍人口', 'Registered')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-region">{t('区划', 'Region')}</label>
          <select id="dash-region" value={regionCode} onChange={(e) => setRegionCode(e.target.value)}>
            <option value={DISTRICT}>{t('渝中区（全区）', 'Yuzhong District (whole)')}</option>
            {(data?.regions ?? []).map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>
          {t('导出表格 CSV', 'Export table (CSV)')}
        </button>
        {query.loading && data ? <Loading label={t('正在重新计算…', 'Recomputing…')} /> : null}
      </form>

      {query.loading && !data ? (
        <Loading label={t('正在向各部门计算指标…', 'Computing the indicators from the departments…')} />
      ) : null}
      {wholeFailure ? <ErrorBanner error={wholeFailure} onRetry={query.reload} /> : null}

      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="indicators" aria-busy={query.loading}>
            <caption>
              {regionName(regionCode)} · {period} ·{' '}
              {basis
                ? basis === 'RESIDENT'
                  ? t('常住人口', 'resident')
                  : t('户籍人口', 'registered')
                : t('默认口径', 'default basis')}
              {' — '}
              {t('★ 约束性指标', '★ binding indicator')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('序号', 'Row')}</th>
                <th scope="col">{t('指标', 'Indicator')}</th>
                <th scope="col">{t('值', 'Value')}</th>
                <th scope="col">{t('分子 / 分母', 'Numerator / denominator')}</th>
                <th scope="col">{t('现状值', 'Baseline')}</th>
                <th scope="col">{t('目标', 'Target')}</th>
                <th scope="col">{t('达成度', 'Attainment')}</th>
                <th scope="col">{t('状态', 'Status')}</th>
                <th scope="col">{t('与公布值差异', 'vs published')}</th>
                <th scope="col">{t('操作', 'Actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ value: v, path }) => {
                const valueErrors = errorsAt(errors, [...path, 'value']);
                const binding = v.indicator.kind === 'BINDING';
                return (
                  <tr
                    key={v.indicator.code}
                    data-code={v.indicator.code}
                    className={drill?.indicator.code === v.indicator.code ? 'selected' : undefined}
                  >
                    <td>{v.indicator.row}</td>
                    <th scope="row" className="indicator-name">
                      {binding ? (
                        <span className="badge badge-binding" title={t('约束性', 'Binding')}>
                          ★ {t('约束性', 'Binding')}
                        </span>
                      ) : null}{' '}
                      {name(v)}
                    </th>
                    <td className="num" data-cell="value">
                      {valueErrors.length > 0 ? (
                        <ErrorCell errors={valueErrors} />
                      ) : v.value === null ? (
                        <span className="muted">{statusText(v.status, STATUS)}</span>
                      ) : (
                        <>
                          <strong>{fmt(v, v.value)}</strong> <span className="unit">{v.indicator.unit}</span>
                        </>
                      )}
                    </td>
                    <td className="num">
                      {v.numerator === null && v.denominator === null ? (
                        <span className="muted">—</span>
                      ) : (
                        <>
                          {f.number(v.numerator)}
                          {v.denominator !== null ? <> / {f.number(v.denominator)}</> : null}
                        </>
                      )}
                    </td>
                    <td className="num">{fmt(v, v.baseline)}</td>
                    <td className="num">
                      {fmt(v, v.target)}
                      {v.targetYear ? <span className="muted"> ({v.targetYear})</span> : null}
                    </td>
                    <td className="num">{f.percent(v.attainment)}</td>
                    <td>
                      <span className={`status status-${v.status}`}>{statusText(v.status, STATUS)}</span>
                      <br />
                      <span className={`status target-${v.targetStatus}`}>{statusText(v.targetStatus, TARGET_STATUS)}</span>
                    </td>
                    <td className="diff">
                      {v.differenceFromBaseline !== null && v.differenceFromBaseline !== 0 ? (
                        <>
                          Δ {v.differenceFromBaseline > 0 ? '+' : ''}
                          {fmt(v, v.differenceFromBaseline)}
                          {v.baselineNote ? <div className="note">{v.baselineNote}</div> : null}
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="actions-cell">
                      <button
                        type="button"
                        className="small"
                        onClick={() => setDrill(v)}
                        aria-label={`${t('下钻', 'Drill down')}: ${name(v)}`}
                      >
                        {t('下钻', 'Drill down')}
                      </button>
                      <Lineage entries={v.inputs} runId={v.runId} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}

      {drill ? (
        <DrillDown
          key={`${drill.indicator.code}-${regionCode}-${period}-${basis}`}
          code={drill.indicator.code}
          title={`${name(drill)} · ${regionName(regionCode)} · ${period}`}
          regionCode={regionCode}
          period={period}
          basis={basis || null}
          hasDenominator={drill.denominator !== null}
          onClose={() => setDrill(null)}
        />
      ) : null}

      {differences.length > 0 ? (
        <section aria-labelledby="differences-heading">
          <h2 id="differences-heading">{t('计算值与公布值的差异', 'Computed vs published values')}</h2>
          <ul className="differences">
            {differences.map(({ value: v }) => (
              <li key={v.indicator.code}>
                <strong>{name(v)}</strong>: {t('计算值', 'computed')} {fmt(v, v.value)} · {t('公布值', 'published')}{' '}
                {fmt(v, v.baseline)} · Δ {fmt(v, v.differenceFromBaseline)}
                {v.baselineNote ? ` — ${v.baselineNote}` : ''}
                {v.notes.length > 0 ? ` (${v.notes.join('; ')})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data?.streets ? <Charts data={data} errors={errors} regionName={regionName} period={period} /> : null}
    </>
  );
}

function Charts({
  data,
  errors,
  regionName,
  period,
}: {
  data: DashboardAnswer;
  errors: GraphQLErrorItem[];
  regionName: (code: string) => string;
  period: string;
}) {
  const t = useT();
  const { lang } = useLang();
  const errorText = useErrorText();
  const statusLabel = (s: string) => (STATUS[s] ? t(STATUS[s][0], STATUS[s][1]) : s);
  const charts = useMemo(() => {
    const byCode = new Map<string, { value: IndicatorValue; bars: StreetBar[] }>();
    (data.streets ?? []).forEach((v, index) => {
      const entry = byCode.get(v.indicator.code) ?? { value: v, bars: [] };
      const error = errorsAt(errors, ['streets', index, 'value'])[0];
      entry.bars.push({
        name: regionName(v.regionCode),
        value: v.value,
        missing: v.value === null ? (error ? errorText(error) : statusLabel(v.status)) : undefined,
      });
      byCode.set(v.indicator.code, entry);
    });
    const districtTarget = new Map((data.district ?? []).map((v) => [v.indicator.code, v.target]));
    return [...byCode.values()].map(({ value, bars }) => ({
      value,
      bars,
      target: value.target ?? districtTarget.get(value.indicator.code) ?? null,
    }));
  }, [data, errors, lang]);
  return (
    <section aria-labelledby="charts-heading">
      <h2 id="charts-heading">{t('各街道对比目标', 'Streets against the target')}</h2>
      <div className="charts">
        {charts.map(({ value, bars, target }) => (
          <StreetChart
            key={value.indicator.code}
            title={`${value.indicator.row ?? ''}. ${lang === 'zh' ? value.indicator.nameZh : value.indicator.nameEn} (${value.indicator.unit})`}
            unit={value.indicator.unit}
            bars={bars}
            target={target}
            fileName={`${value.indicator.code}-streets-${period}`}
          />
        ))}
      </div>
    </section>
  );
}
