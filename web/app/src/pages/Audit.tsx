/**
 * 审计: who read whose data, when and why (AUDITOR consumers). Filters by consumer, subject citizen ID, purpose and
 * time; an event's detail with the catalogue items read and the outcome; the chain's verification with its head
 * (to record elsewhere); and the lineage of an indicator computation (its persisted run event).
 *
 * The subject filter: the trail keeps subjects as HMAC-SHA-256 under the hub's secret key
 * (domain/audit-chain.ts `subjectHash`), which no browser may hold, so the page checks the ID with the hub's own
 * rule (domain/citizen-id.ts) and sends it only in the POST body, where the hub hashes it: never in the URL, the
 * page's storage or any log (the hub logs method and path only).
 */
import { useState, type FormEvent } from 'react';
import { parseCitizenId } from '../../../../domain/citizen-id';
import { useHub, useQuery } from '../hub';
import { useFormat, useT } from '../i18n';
import { useLocation } from '../router';
import { ErrorBanner, Loading } from '../components/common';

const EVENTS_QUERY = `query AuditTrail($filter: AuditEventFilter, $after: String) {
  auditEvents(filter: $filter, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { seq time consumer purpose operationName outcome catalogueItems subjects requestId documentHash prevHash hash } }
  }
  sharingCatalog { code name nameEn }
}`;
const VERIFY_QUERY = `query AuditChain { verifyAuditChain { ok checkedEvents headSeq headHash firstBroken { seq reason message } } }`;
const RUN_QUERY = `query IndicatorRunLineage($id: String!) { indicatorRun(id: $id) { id eventType createdAt consumerCode event } }`;

interface AuditEvent {
  seq: string;
  time: string;
  consumer: string;
  purpose: string;
  operationName: string | null;
  outcome: string;
  catalogueItems: string[];
  subjects: string[];
  requestId: string;
  documentHash: string;
  prevHash: string;
  hash: string;
}
interface EventsAnswer {
  auditEvents: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: AuditEvent }>;
  } | null;
  sharingCatalog: Array<{ code: string; name: string; nameEn: string }> | null;
}
interface ChainAnswer {
  verifyAuditChain: {
    ok: boolean;
    checkedEvents: number;
    headSeq: string | null;
    headHash: string | null;
    firstBroken: { seq: string; reason: string; message: string } | null;
  } | null;
}

const OUTCOMES: Record<string, [string, string]> = {
  OK: ['完整返回', 'Answered in full'],
  PARTIAL: ['部分返回', 'Partial'],
  FAILED: ['未返回', 'Failed'],
};

/** A datetime-local value read as China time. */
const chinaTime = (local: string) => (local ? new Date(`${local}:00+08:00`).toISOString() : null);

export function Audit() {
  const t = useT();
  const { session } = useHub();
  const isAuditor = session.viewer.roles.includes('AUDITOR');
  const { search } = useLocation();
  if (!isAuditor)
    return (
      <>
        <h1>{t('审计', 'Audit trail')}</h1>
        <p className="banner banner-info" role="note">
          {t(
            '审计页面仅对具有审计员（AUDITOR）角色的接入方开放。',
            'The audit trail is open to consumers with the AUDITOR role only.',
          )}
        </p>
        <RunLineage initialRun={search.get('run') ?? ''} />
      </>
    );
  return <AuditorView initialRun={search.get('run') ?? ''} />;
}

function AuditorView({ initialRun }: { initialRun: string }) {
  const t = useT();
  const f = useFormat();
  const [form, setForm] = useState({ consumer: '', subject: '', purpose: '', from: '', to: '' });
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [subjectProblem, setSubjectProblem] = useState<string | null>(null);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const [verifyRound, setVerifyRound] = useState(0);
  const variables = { filter, after: cursors[cursors.length - 1] ?? null };
  const events = useQuery<EventsAnswer>(EVENTS_QUERY, variables, JSON.stringify(variables));
  const chain = useQuery<ChainAnswer>(VERIFY_QUERY, {}, String(verifyRound), verifyRound > 0);
  const page = events.result?.data?.auditEvents ?? null;
  const catalogue = new Map((events.result?.data?.sharingCatalog ?? []).map((c) => [c.code, c]));
  const failure = events.failure ?? (events.result && !page ? (events.result.errors[0] ?? null) : null);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setSubjectProblem(null);
    const next: Record<string, string> = {};
    if (form.consumer.trim()) next.consumer = form.consumer.trim();
    if (form.purpose.trim()) next.purpose = form.purpose.trim().toUpperCase();
    if (form.subject.trim()) {
      const parsed = parseCitizenId(form.subject.trim());
      if (!parsed.ok) {
        setSubjectProblem(`${t('身份号码无效', 'Not a valid citizen ID')} (${parsed.problem})`);
        return;
      }
      next.subjectCitizenId = parsed.value.citizenId;
    }
    const from = chinaTime(form.from);
    const to = chinaTime(form.to);
    if (from) next.from = from;
    if (to) next.to = to;
    setFilter(next);
    setCursors([null]);
    setSelected(null);
  };

  const verify = chain.result?.data?.verifyAuditChain ?? null;
  return (
    <>
      <h1>{t('审计', 'Audit trail')}</h1>
      <section aria-labelledby="chain-heading">
        <h2 id="chain-heading">{t('审计链校验', 'Chain verification')}</h2>
        <div className="controls">
          <button type="button" onClick={() => setVerifyRound((n) => n + 1)} disabled={chain.loading && verifyRound > 0}>
            {t('校验整条审计链', 'Verify the whole chain')}
          </button>
          {chain.loading && verifyRound > 0 ? <Loading label={t('正在校验…', 'Verifying…')} /> : null}
        </div>
        {chain.failure ? <ErrorBanner error={chain.failure} /> : null}
        {verify ? (
          <dl className="kv" data-testid="chain">
            <dt>{t('结果', 'Result')}</dt>
            <dd className={verify.ok ? 'chain-ok' : 'chain-broken'}>
              {verify.ok ? t('完好', 'Intact') : t('已断开', 'Broken')} · {verify.checkedEvents}{' '}
              {t('条已校验', 'events verified')}
            </dd>
            <dt>{t('链头序号', 'Head seq')}</dt>
            <dd>{verify.headSeq ?? '—'}</dd>
            <dt>{t('链头哈希（请另行记录）', 'Head hash (record it elsewhere)')}</dt>
            <dd className="hash">{verify.headHash ?? '—'}</dd>
            {verify.firstBroken ? (
              <>
                <dt>{t('首个断点', 'First break')}</dt>
                <dd className="cell-error">
                  #{verify.firstBroken.seq} {verify.firstBroken.reason}: {verify.firstBroken.message}
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </section>

      <section aria-labelledby="events-heading">
        <h2 id="events-heading">{t('审计事件', 'Audit events')}</h2>
        <form className="controls" onSubmit={apply} autoComplete="off" aria-label={t('筛选', 'Filters')}>
          <div className="field">
            <label htmlFor="audit-consumer">{t('接入方编码', 'Consumer code')}</label>
            <input id="audit-consumer" value={form.consumer} onChange={(e) => setForm({ ...form, consumer: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="audit-subject">{t('数据主体身份号码', 'Subject citizen ID')}</label>
            <input
              id="audit-subject"
              value={form.subject}
              inputMode="text"
              maxLength={18}
              aria-describedby="audit-subject-help"
              aria-invalid={subjectProblem ? true : undefined}
              onChange={(e) => setForm({ ...form, subject: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="audit-purpose">{t('用途', 'Purpose')}</label>
            <input id="audit-purpose" value={form.purpose} onChange={(e) => setForm({ ...form, purpose: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">{t('起（北京时间）', 'From (China time)')}</label>
            <input
              id="audit-from"
              type="datetime-local"
              value={form.from}
              onChange={(e) => setForm({ ...form, from: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t('止（北京时间）', 'To (China time)')}</label>
            <input
              id="audit-to"
              type="datetime-local"
              value={form.to}
              onChange={(e) => setForm({ ...form, to: e.target.value })}
            />
          </div>
          <button type="submit" className="primary">
            {t('查询', 'Search')}
          </button>
          {events.loading ? <Loading /> : null}
        </form>
        <p id="audit-subject-help" className="muted">
          {t(
            '身份号码在本页按国标校验后只放在请求正文中发给枢纽，由枢纽用其密钥计算哈希比对；不会出现在地址栏、浏览器存储或日志中。',
            "The citizen ID is checked here (GB 11643) and sent only in the request body; the hub hashes it with its secret key to match. It never appears in the address bar, the browser's storage or any log.",
          )}
        </p>
        {subjectProblem ? (
          <p className="banner banner-error" role="alert">
            {subjectProblem}
          </p>
        ) : null}
        {failure ? <ErrorBanner error={failure} onRetry={events.reload} /> : null}
        {page ? (
          <>
            <p data-testid="audit-total">
              {t('共', 'Total')} <strong>{page.totalCount}</strong> {t('条', 'events')}
            </p>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('序号', 'Seq')}</th>
                    <th scope="col">{t('时间', 'Time')}</th>
                    <th scope="col">{t('接入方', 'Consumer')}</th>
                    <th scope="col">{t('用途', 'Purpose')}</th>
                    <th scope="col">{t('操作', 'Operation')}</th>
                    <th scope="col">{t('结果', 'Outcome')}</th>
                    <th scope="col">{t('目录项', 'Items')}</th>
                    <th scope="col">{t('数据主体', 'Subjects')}</th>
                    <th scope="col">{t('详情', 'Detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.edges.map(({ node: e }) => (
                    <tr key={e.seq} className={selected?.seq === e.seq ? 'selected' : undefined}>
                      <td>{e.seq}</td>
                      <td>{f.time(e.time)}</td>
                      <td>
                        <code>{e.consumer}</code>
                      </td>
                      <td>{e.purpose}</td>
                      <td>{e.operationName ?? '—'}</td>
                      <td>{OUTCOMES[e.outcome] ? t(...OUTCOMES[e.outcome]!) : e.outcome}</td>
                      <td>{e.catalogueItems.length}</td>
                      <td>{e.subjects.length}</td>
                      <td>
                        <button
                          type="button"
                          className="small"
                          onClick={() => setSelected(e)}
                          aria-label={`${t('查看', 'Open')} #${e.seq}`}
                        >
                          {t('查看', 'Open')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="pager">
              <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                {t('上一页', 'Previous')}
              </button>
              <button
                type="button"
                disabled={!page.pageInfo.hasNextPage}
                onClick={() => setCursors([...cursors, page.pageInfo.endCursor])}
              >
                {t('下一页', 'Next')}
              </button>
            </div>
          </>
        ) : null}
      </section>

      {selected ? (
        <section aria-labelledby="event-heading" className="drill" data-testid="audit-detail">
          <header>
            <h2 id="event-heading">
              {t('审计事件', 'Audit event')} #{selected.seq}
            </h2>
            <button type="button" onClick={() => setSelected(null)}>
              {t('关闭', 'Close')}
            </button>
          </header>
          <dl className="kv">
            <dt>{t('时间', 'Time')}</dt>
            <dd>{f.time(selected.time)}</dd>
            <dt>{t('接入方 / 用途', 'Consumer / purpose')}</dt>
            <dd>
              {selected.consumer} / {selected.purpose}
            </dd>
            <dt>{t('操作名', 'Operation')}</dt>
            <dd>{selected.operationName ?? '—'}</dd>
            <dt>{t('结果', 'Outcome')}</dt>
            <dd>{OUTCOMES[selected.outcome] ? t(...OUTCOMES[selected.outcome]!) : selected.outcome}</dd>
            <dt>{t('读取的目录项', 'Catalogue items read')}</dt>
            <dd>
              {selected.catalogueItems.length === 0 ? '—' : null}
              <ul>
                {selected.catalogueItems.map((code) => (
                  <li key={code}>
                    <code>{code}</code> {catalogue.get(code) ? t(catalogue.get(code)!.name, catalogue.get(code)!.nameEn) : ''}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{t('数据主体（密钥哈希）', 'Subjects (keyed hashes)')}</dt>
            <dd className="hash">{selected.subjects.length === 0 ? '—' : selected.subjects.join(' ')}</dd>
            <dt>{t('请求编号', 'Request id')}</dt>
            <dd className="hash">{selected.requestId}</dd>
            <dt>{t('文档摘要', 'Document hash')}</dt>
            <dd className="hash">{selected.documentHash}</dd>
            <dt>{t('前一哈希', 'Previous hash')}</dt>
            <dd className="hash">{selected.prevHash}</dd>
            <dt>{t('本事件哈希', 'Hash')}</dt>
            <dd className="hash">{selected.hash}</dd>
          </dl>
        </section>
      ) : null}
      <RunLineage initialRun={initialRun} />
    </>
  );
}

/** The lineage of an indicator value: its computation's OpenLineage run event (inputs with as-of times, outputs). */
function RunLineage({ initialRun }: { initialRun: string }) {
  const t = useT();
  const f = useFormat();
  const [input, setInput] = useState(initialRun);
  const [runId, setRunId] = useState(initialRun);
  const run = useQuery<{
    indicatorRun: { id: string; eventType: string; createdAt: string; consumerCode: string | null; event: string } | null;
  }>(RUN_QUERY, { id: runId }, runId, runId !== '');
  const answer = run.result?.data?.indicatorRun ?? null;
  let pretty = '';
  try {
    pretty = answer ? JSON.stringify(JSON.parse(answer.event), null, 2) : '';
  } catch {
    pretty = answer?.event ?? '';
  }
  return (
    <section aria-labelledby="run-heading">
      <h2 id="run-heading">{t('指标值血缘（计算运行）', 'Lineage of an indicator value (computation run)')}</h2>
      <form
        className="controls"
        onSubmit={(e) => {
          e.preventDefault();
          setRunId(input.trim());
        }}
      >
        <div className="field">
          <label htmlFor="run-id">{t('运行编号', 'Run id')}</label>
          <input id="run-id" value={input} size={40} onChange={(e) => setInput(e.target.value)} />
        </div>
        <button type="submit">{t('查看', 'Show')}</button>
        {run.loading && runId ? <Loading /> : null}
      </form>
      {run.failure ? <ErrorBanner error={run.failure} /> : null}
      {runId && run.result && !answer && !run.loading ? <p>{t('没有这个运行', 'No such run')}</p> : null}
      {answer ? (
        <>
          <p>
            {answer.eventType} · {f.time(answer.createdAt)} · {answer.consumerCode ?? '—'}
          </p>
          <pre data-testid="run-event">{pretty}</pre>
        </>
      ) : null}
    </section>
  );
}
