/**
 * The records behind one side of an indicator value (`indicatorDrillDown`), paged forward 20 at a time (a stack of
 * cursors gives "previous"); people are shown as the API returns them, masked or refused per the catalogue.
 */
import { useEffect, useRef, useState } from 'react';
import { errorsAt } from '../graphql';
import { useQuery } from '../hub';
import { useFormat, useT } from '../i18n';
import { ErrorBanner, FieldValue, Lineage, Loading, type LineageEntry } from '../components/common';

const PAGE = 20;
const PROVENANCE = 'provenance { department connector sourceRecordId sourceUpdatedAt fetchedAt cache }';

const DRILL_QUERY = `query DrillDown($code: String!, $regionCode: String!, $period: String!, $side: IndicatorSide!, $basis: PopulationBasis, $after: String) {
  indicatorDrillDown(code: $code, regionCode: $regionCode, period: $period, side: $side, basis: $basis, first: ${PAGE}, after: $after) {
    totalCount metric parts basis
    pageInfo { hasNextPage endCursor }
    edges {
      cursor contribution recordType metric
      facility { id name kind ownership beds { total } region { name } ${PROVENANCE} }
      childcareInstitution { id name filing { places } region { name } ${PROVENANCE} }
      kindergarten { id name nurseryClassPlaces region { name } ${PROVENANCE} }
      person { citizenId name sex age region { name } ${PROVENANCE} }
    }
  }
}`;

const KINDS: Record<string, [string, string]> = {
  FULL_CARE_INSTITUTION: ['养老机构', 'Care institution'],
  STREET_CENTRE: ['街道养老服务中心', 'Street centre'],
  COMMUNITY_STATION: ['社区养老服务站', 'Community station'],
  SUPPORTING_FACILITY: ['配套服务设施', 'Supporting facility'],
  PUBLIC: ['公办', 'public'],
  PRIVATE: ['社会办', 'private'],
};

interface Record_ {
  id?: string | null;
  name?: string | null;
  region?: { name: string } | null;
  provenance?: LineageEntry | null;
}

interface Edge {
  cursor: string;
  contribution: number;
  recordType: 'FACILITY' | 'CHILDCARE_INSTITUTION' | 'KINDERGARTEN' | 'PERSON';
  metric: string;
  facility: (Record_ & { kind: string | null; ownership: string | null; beds: { total: number | null } | null }) | null;
  childcareInstitution: (Record_ & { filing: { places: number | null } | null }) | null;
  kindergarten: (Record_ & { nurseryClassPlaces: number | null }) | null;
  person: (Record_ & { citizenId: string; sex: string | null; age: number | null }) | null;
}

interface DrillAnswer {
  indicatorDrillDown: {
    totalCount: number;
    metric: string;
    parts: string[];
    basis: string;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Edge[];
  } | null;
}

export function DrillDown({
  code,
  title,
  regionCode,
  period,
  basis,
  hasDenominator,
  onClose,
}: {
  code: string;
  title: string;
  regionCode: string;
  period: string;
  basis: string | null;
  hasDenominator: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const f = useFormat();
  const [side, setSide] = useState<'NUMERATOR' | 'DENOMINATOR'>('NUMERATOR');
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const variables = { code, regionCode, period, side, basis, after };
  const query = useQuery<DrillAnswer>(DRILL_QUERY, variables, JSON.stringify(variables));
  const drill = query.result?.data?.indicatorDrillDown ?? null;
  const errors = query.result?.errors ?? [];
  const failure = query.failure ?? (query.result && !drill ? (errors[0] ?? null) : null);
  const page = cursors.length;
  // Opening the drill-down brings it into view and moves the focus to its heading (keyboard and screen readers).
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, []);
  const label = (code: string | null) => (code && KINDS[code] ? t(...KINDS[code]) : (code ?? ''));

  const switchSide = (next: 'NUMERATOR' | 'DENOMINATOR') => {
    setSide(next);
    setCursors([null]);
  };

  return (
    <section className="drill" aria-labelledby="drill-heading" data-testid="drill-down">
      <header>
        <h2 id="drill-heading" ref={heading} tabIndex={-1}>
          {t('下钻', 'Drill-down')}: {title}
        </h2>
        <button type="button" onClick={onClose}>
          {t('关闭', 'Close')}
        </button>
      </header>
      <div className="controls" role="group" aria-label={t('分子或分母', 'Numerator or denominator')}>
        <button
          type="button"
          aria-pressed={side === 'NUMERATOR'}
          className={side === 'NUMERATOR' ? 'primary' : undefined}
          onClick={() => switchSide('NUMERATOR')}
        >
          {t('分子', 'Numerator')}
        </button>
        <button
          type="button"
          aria-pressed={side === 'DENOMINATOR'}
          className={side === 'DENOMINATOR' ? 'primary' : undefined}
          disabled={!hasDenominator}
          onClick={() => switchSide('DENOMINATOR')}
        >
          {t('分母', 'Denominator')}
        </button>
        {drill ? (
          <span data-testid="drill-total">
            {t('记录数', 'Records')}: <strong>{f.number(drill.totalCount, 0)}</strong> · {t('指标项', 'metric')}{' '}
            <code>{drill.metric}</code>
            {drill.parts.length > 1 ? ` (${drill.parts.join(' + ')})` : ''}
          </span>
        ) : null}
      </div>
      {query.loading ? <Loading /> : null}
      {failure ? <ErrorBanner error={failure} onRetry={query.reload} /> : null}
      {drill ? (
        <>
          <div className="table-wrap">
            <table>
              <caption className="muted">
                {t('第', 'Page ')}
                {page}
                {t('页', '')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('类型', 'Type')}</th>
                  <th scope="col">{t('编号 / 身份号码', 'Id / citizen ID')}</th>
                  <th scope="col">{t('名称 / 姓名', 'Name')}</th>
                  <th scope="col">{t('详情', 'Details')}</th>
                  <th scope="col">{t('所在区划', 'Region')}</th>
                  <th scope="col">{t('贡献', 'Contribution')}</th>
                  <th scope="col">{t('来源', 'Source')}</th>
                </tr>
              </thead>
              <tbody>
                {drill.edges.map((edge, i) => {
                  const path = ['indicatorDrillDown', 'edges', i];
                  const at = (field: string, sub: string) => errorsAt(errors, [...path, field, sub]);
                  const record: Record_ | null = edge.facility ?? edge.childcareInstitution ?? edge.kindergarten ?? edge.person;
                  const recordField =
                    edge.recordType === 'PERSON'
                      ? 'person'
                      : edge.recordType === 'FACILITY'
                        ? 'facility'
                        : edge.recordType === 'KINDERGARTEN'
                          ? 'kindergarten'
                          : 'childcareInstitution';
                  const recordErrors = errorsAt(errors, [...path, recordField]);
                  return (
                    <tr key={edge.cursor}>
                      <td>{(page - 1) * PAGE + i + 1}</td>
                      <td>{edge.recordType}</td>
                      <td>
                        {edge.person ? (
                          <FieldValue
                            coordinate="Person.citizenId"
                            value={edge.person.citizenId}
                            errors={at('person', 'citizenId')}
                          />
                        ) : record ? (
                          <code>{record.id}</code>
                        ) : (
                          <FieldValue coordinate="" value={null} errors={recordErrors} />
                        )}
                      </td>
                      <td>
                        {edge.person ? (
                          <FieldValue coordinate="Person.name" value={edge.person.name} errors={at('person', 'name')} />
                        ) : (
                          (record?.name ?? '—')
                        )}
                      </td>
                      <td>
                        {edge.facility
                          ? `${label(edge.facility.kind)} · ${label(edge.facility.ownership)} · ${t('床位', 'beds')} ${edge.facility.beds?.total ?? '—'}`
                          : null}
                        {edge.childcareInstitution
                          ? `${t('托位', 'places')} ${edge.childcareInstitution.filing?.places ?? '—'}`
                          : null}
                        {edge.kindergarten
                          ? `${t('托班托位', 'nursery places')} ${edge.kindergarten.nurseryClassPlaces ?? '—'}`
                          : null}
                        {edge.person ? (
                          <>
                            <FieldValue
                              coordinate="Person.sex"
                              value={
                                edge.person.sex === 'FEMALE'
                                  ? t('女', 'female')
                                  : edge.person.sex === 'MALE'
                                    ? t('男', 'male')
                                    : edge.person.sex
                              }
                              errors={at('person', 'sex')}
                            />{' '}
                            · <FieldValue coordinate="Person.age" value={edge.person.age} errors={at('person', 'age')} />
                          </>
                        ) : null}
                      </td>
                      <td>{record?.region?.name ?? '—'}</td>
                      <td className="num">{f.number(edge.contribution)}</td>
                      <td>{record?.provenance ? <Lineage entries={[record.provenance]} /> : <span className="muted">—</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button type="button" disabled={page === 1 || query.loading} onClick={() => setCursors(cursors.slice(0, -1))}>
              {t('上一页', 'Previous')}
            </button>
            <button
              type="button"
              disabled={!drill.pageInfo.hasNextPage || query.loading}
              onClick={() => setCursors([...cursors, drill.pageInfo.endCursor])}
            >
              {t('下一页', 'Next')}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
