/**
 * 出生一件事 desk: the applications with filters (status, street, overdue); with no overdue filter the overdue list
 * comes first, then the others, newest first. A row opens the case page.
 */
import { useState } from 'react';
import { useQuery } from '../hub';
import { useFormat, useT } from '../i18n';
import { Link } from '../router';
import { ErrorBanner, FieldValue, Loading } from '../components/common';
import { DISTRICT } from './Dashboard';
import { LIST_FIELDS, STATUS_NAMES, STEP_NAMES, STEP_STATES, type ListedCase } from './births-api';

const LIST_QUERY = `query BirthDesk($overdueFilter: BirthApplicationFilter!, $otherFilter: BirthApplicationFilter!, $both: Boolean!) {
  overdue: birthApplications(filter: $overdueFilter, first: 100) @include(if: $both) { totalCount edges { node { ${LIST_FIELDS} } } }
  others: birthApplications(filter: $otherFilter, first: 100) { totalCount edges { node { ${LIST_FIELDS} } } }
  regions(parentCode: "${DISTRICT}") { code name }
}`;

interface Page {
  totalCount: number;
  edges: Array<{ node: ListedCase }>;
}
interface ListAnswer {
  overdue?: Page | null;
  others: Page | null;
  regions: Array<{ code: string; name: string }> | null;
}

export function Births() {
  const t = useT();
  const [status, setStatus] = useState('');
  const [region, setRegion] = useState('');
  const [overdue, setOverdue] = useState<'' | 'true' | 'false'>('');
  const base = { ...(status ? { status } : {}), ...(region ? { regionCode: region } : {}) };
  const variables = {
    overdueFilter: { ...base, overdue: true },
    otherFilter: overdue === '' ? { ...base, overdue: false } : { ...base, overdue: overdue === 'true' },
    both: overdue === '',
  };
  const query = useQuery<ListAnswer>(LIST_QUERY, variables, JSON.stringify(variables));
  const data = query.result?.data ?? null;
  const regions = data?.regions ?? [];
  const regionName = (code: string) => regions.find((r) => code.startsWith(r.code))?.name ?? code;
  const failure = query.failure ?? (data && !data.others ? (query.result?.errors[0] ?? null) : null);

  return (
    <>
      <h1>{t('出生一件事 · 联办申请', 'Newborn joint service · applications')}</h1>
      <form className="controls" onSubmit={(e) => e.preventDefault()} aria-label={t('筛选', 'Filters')}>
        <div className="field">
          <label htmlFor="births-status">{t('状态', 'Status')}</label>
          <select id="births-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('全部', 'All')}</option>
            {Object.entries(STATUS_NAMES).map(([code, [zh, en]]) => (
              <option key={code} value={code}>
                {t(zh, en)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="births-street">{t('街道', 'Street')}</label>
          <select id="births-street" value={region} onChange={(e) => setRegion(e.target.value)}>
            <option value="">{t('全区', 'Whole district')}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="births-overdue">{t('超期', 'Overdue')}</label>
          <select id="births-overdue" value={overdue} onChange={(e) => setOverdue(e.target.value as '' | 'true' | 'false')}>
            <option value="">{t('全部（超期在前）', 'All (overdue first)')}</option>
            <option value="true">{t('仅超期', 'Overdue only')}</option>
            <option value="false">{t('未超期', 'Not overdue')}</option>
          </select>
        </div>
        <button type="button" onClick={query.reload}>
          {t('刷新', 'Refresh')}
        </button>
        {query.loading ? <Loading /> : null}
      </form>
      {failure ? <ErrorBanner error={failure} onRetry={query.reload} /> : null}
      {data?.overdue ? (
        <CaseTable title={t('超期申请', 'Overdue applications')} page={data.overdue} regionName={regionName} />
      ) : null}
      {data?.others ? (
        <CaseTable
          title={
            overdue === 'true'
              ? t('超期申请', 'Overdue applications')
              : overdue === 'false'
                ? t('未超期申请', 'Applications not overdue')
                : t('其他申请', 'Other applications')
          }
          page={data.others}
          regionName={regionName}
        />
      ) : null}
    </>
  );
}

function CaseTable({ title, page, regionName }: { title: string; page: Page; regionName: (code: string) => string }) {
  const t = useT();
  const f = useFormat();
  return (
    <section>
      <h2>
        {title} <span className="muted">({page.totalCount})</span>
      </h2>
      {page.edges.length === 0 ? (
        <p className="muted">{t('没有申请', 'No applications')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('申请编号', 'Application')}</th>
              <th scope="col">{t('新生儿', 'Child')}</th>
              <th scope="col">{t('街道', 'Street')}</th>
              <th scope="col">{t('状态', 'Status')}</th>
              <th scope="col">{t('环节', 'Steps')}</th>
              <th scope="col">{t('受理时间', 'Submitted')}</th>
              <th scope="col">{t('承诺办结', 'Due')}</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node: c }) => (
              <tr key={c.id} data-case={c.id}>
                <td>
                  <Link href={`/births/${encodeURIComponent(c.id)}`}>{c.id}</Link>
                  {c.overdue ? <span className="badge badge-overdue"> {t('超期', 'Overdue')}</span> : null}
                </td>
                <td>
                  <FieldValue coordinate="BirthApplicationChild.name" value={c.child.name} />
                </td>
                <td>{regionName(c.regionCode)}</td>
                <td>{STATUS_NAMES[c.status] ? t(...STATUS_NAMES[c.status]!) : c.status}</td>
                <td>
                  <StepsSummary steps={c.steps} />
                </td>
                <td>{f.time(c.submittedAt)}</td>
                <td>{f.time(c.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** How far a case is: steps done of those chosen, and the first step not done with its state. */
function StepsSummary({ steps }: { steps: ListedCase['steps'] }) {
  const t = useT();
  const chosen = steps.filter((s) => s.state !== 'SKIPPED');
  const done = chosen.filter((s) => s.state === 'SUCCEEDED').length;
  const next = chosen.find((s) => s.state !== 'SUCCEEDED');
  return (
    <>
      {done}/{chosen.length} {t('已完成', 'done')}
      {next ? (
        <span className="muted">
          {' · '}
          {STEP_NAMES[next.code] ? t(...STEP_NAMES[next.code]!) : next.code}{' '}
          {STEP_STATES[next.state] ? t(...STEP_STATES[next.state]!) : next.state}
        </span>
      ) : null}
    </>
  );
}
