/**
 * One 出生一件事 case: the five steps as a timeline (state, department, attempts, produced identifier, reply reason),
 * the event history, live updates over the `birthApplicationUpdated` subscription, and the staff actions the API
 * allows (correct while NEEDS_CORRECTION, cancel while open), each after a confirmation.
 */
import { useEffect, useState } from 'react';
import { graphql, subscriptionClient, type GraphQLErrorItem } from '../graphql';
import { useHub, useQuery } from '../hub';
import { useFormat, useT } from '../i18n';
import { Link } from '../router';
import { ConfirmDialog, ErrorBanner, FieldValue, Lineage, Loading, useDepartmentName, useErrorText } from '../components/common';
import { CASE_FIELDS, EVENT_NAMES, STATUS_NAMES, STEP_NAMES, STEP_STATES, type BirthCase as Case } from './births-api';

const READ = `query BirthCase($id: ID!) { birthApplication(id: $id) { ${CASE_FIELDS} } }`;
const UPDATES = `subscription BirthCaseUpdates($id: ID!) { birthApplicationUpdated(id: $id) { event { seq type step at } application { ${CASE_FIELDS} } } }`;
const CANCEL = `mutation CancelBirthCase($id: ID!, $reason: String!) { cancelBirthApplication(id: $id, reason: $reason) { ${CASE_FIELDS} } }`;
const CORRECT = `mutation CorrectBirthCase($id: ID!, $patch: BirthApplicationPatch!, $key: String!) {
  correctBirthApplication(id: $id, patch: $patch, idempotencyKey: $key) { ${CASE_FIELDS} } }`;

const OPEN = ['SUBMITTED', 'IN_PROGRESS', 'NEEDS_CORRECTION'];

type Live = 'connecting' | 'live' | 'closed' | 'error';

export function BirthCase({ id }: { id: string }) {
  const t = useT();
  const f = useFormat();
  const { session } = useHub();
  const errorText = useErrorText();
  const query = useQuery<{ birthApplication: Case | null }>(READ, { id }, id);
  const [latest, setLatest] = useState<Case | null>(null);
  const [live, setLive] = useState<Live>('connecting');
  const [action, setAction] = useState<'cancel' | 'correct' | null>(null);
  const [actionError, setActionError] = useState<GraphQLErrorItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [patchField, setPatchField] = useState('child.name');
  const [patchValue, setPatchValue] = useState('');

  useEffect(() => setLatest(null), [id]);
  useEffect(() => {
    const client = subscriptionClient(session);
    setLive('connecting');
    const stop = client.subscribe<{ birthApplicationUpdated: { application: Case } }>(
      { query: UPDATES, variables: { id } },
      {
        next: (message) => {
          setLive('live');
          const application = message.data?.birthApplicationUpdated.application;
          if (application) setLatest(application);
        },
        error: () => setLive('error'),
        complete: () => setLive('closed'),
      },
    );
    const off = client.on('connected', () => setLive('live'));
    return () => {
      off();
      stop();
      void client.dispose();
    };
  }, [id, session]);

  const current = latest ?? query.result?.data?.birthApplication ?? null;
  const failure =
    query.failure ??
    (query.result && !query.result.data?.birthApplication && !query.loading ? (query.result.errors[0] ?? null) : null);

  const run = async (document: string, variables: Record<string, unknown>, field: string) => {
    setBusy(true);
    setActionError(null);
    try {
      const result = await graphql<Record<string, Case | null>>(session, document, variables);
      const answer = result.data?.[field];
      if (answer) {
        setLatest(answer);
        setAction(null);
      } else setActionError(result.errors[0] ?? { message: t('操作失败', 'The action failed') });
    } catch (error) {
      setActionError({ message: String(error) });
    } finally {
      setBusy(false);
    }
  };

  const patchOf = (): Record<string, unknown> => {
    const [group, key] = patchField.split('.') as [string, string];
    const value: unknown = key === 'birthOrder' || key === 'birthWeightG' ? Number(patchValue) : patchValue;
    return group === 'root' ? { [key]: value } : { [group]: { [key]: value } };
  };

  if (query.loading && !current) return <Loading />;
  if (!current)
    return (
      <>
        <p>
          <Link href="/births">← {t('返回列表', 'Back to the list')}</Link>
        </p>
        {failure ? <ErrorBanner error={failure} onRetry={query.reload} /> : <p>{t('没有这个申请', 'No such application')}</p>}
      </>
    );

  return (
    <>
      <p>
        <Link href="/births">← {t('返回列表', 'Back to the list')}</Link>
      </p>
      <h1>
        {t('联办申请', 'Application')} <code>{current.id}</code>
      </h1>
      <div className="controls">
        <span data-testid="case-status">
          {t('状态', 'Status')}:{' '}
          <strong>{STATUS_NAMES[current.status] ? t(...STATUS_NAMES[current.status]!) : current.status}</strong>
        </span>
        {current.overdue ? <span className="badge badge-overdue">{t('超期', 'Overdue')}</span> : null}
        <span>
          {t('承诺办结', 'Due')}: {f.time(current.dueAt)}
        </span>
        <span
          className={`live ${live === 'live' ? 'live-on' : live === 'connecting' ? '' : 'live-off'}`}
          role="status"
          data-testid="live"
        >
          {live === 'live'
            ? t('● 实时更新中', '● Live')
            : live === 'connecting'
              ? t('正在连接实时更新…', 'Connecting live updates…')
              : t('实时更新已断开（可刷新页面）', 'Live updates stopped (reload the page)')}
        </span>
        {OPEN.includes(current.status) ? (
          <button type="button" onClick={() => setAction('cancel')}>
            {t('撤回申请', 'Cancel the application')}
          </button>
        ) : null}
        {current.status === 'NEEDS_CORRECTION' ? (
          <button type="button" className="primary" onClick={() => setAction('correct')}>
            {t('补正', 'Correct')}
          </button>
        ) : null}
      </div>
      {actionError && !action ? <ErrorBanner error={actionError} /> : null}

      <dl className="kv">
        <dt>{t('新生儿', 'Child')}</dt>
        <dd>
          <FieldValue coordinate="BirthApplicationChild.name" value={current.child.name} /> · {current.child.birthDate} ·{' '}
          {current.child.sex}
        </dd>
        <dt>{t('公民身份号码', 'Citizen ID')}</dt>
        <dd>
          <FieldValue coordinate="BirthApplicationChild.citizenId" value={current.child.citizenId} />
        </dd>
        <dt>{t('受理时间', 'Submitted')}</dt>
        <dd>{f.time(current.submittedAt)}</dd>
        <dt>{t('参保社区', 'Community')}</dt>
        <dd>{current.regionCode}</dd>
        {current.correction ? (
          <>
            <dt>{t('退回原因', 'Returned because')}</dt>
            <dd className="cell-error">
              {current.correction.step} · {current.correction.reason} · {current.correction.field} · {current.correction.message}
            </dd>
          </>
        ) : null}
        {current.cancelReason ? (
          <>
            <dt>{t('撤回理由', 'Cancelled because')}</dt>
            <dd>{current.cancelReason}</dd>
          </>
        ) : null}
      </dl>

      <h2>{t('办理环节', 'Steps')}</h2>
      <Timeline steps={current.steps} />

      <h2>{t('办理记录', 'History')}</h2>
      <table data-testid="history">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('时间', 'When')}</th>
            <th scope="col">{t('事件', 'Event')}</th>
            <th scope="col">{t('环节', 'Step')}</th>
            <th scope="col">{t('操作方', 'Actor')}</th>
            <th scope="col">{t('版本', 'Revision')}</th>
          </tr>
        </thead>
        <tbody>
          {current.history.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{f.time(e.at)}</td>
              <td>
                {EVENT_NAMES[e.type] ? `${t(...EVENT_NAMES[e.type]!)} ` : ''}
                <code>{e.type}</code>
              </td>
              <td>{e.step ? (STEP_NAMES[e.step] ? t(...STEP_NAMES[e.step]!) : e.step) : '—'}</td>
              <td>{e.actor}</td>
              <td>{e.revision}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {action === 'cancel' ? (
        <ConfirmDialog
          title={t('确认撤回申请？', 'Cancel this application?')}
          confirmLabel={t('确认撤回', 'Cancel it')}
          busy={busy}
          onCancel={() => setAction(null)}
          onConfirm={() => {
            if (!reason.trim()) return setActionError({ message: t('请填写撤回理由', 'Give a reason') });
            void run(CANCEL, { id: current.id, reason: reason.trim() }, 'cancelBirthApplication');
          }}
        >
          <p>
            {t(
              '未完成的环节将被撤回；已完成的出生登记不会被撤销。',
              'Steps not done are cancelled; a birth registration already made is not undone.',
            )}
          </p>
          <div className="field">
            <label htmlFor="cancel-reason">{t('撤回理由', 'Reason')}</label>
            <textarea id="cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} autoFocus />
          </div>
          {actionError ? (
            <p className="cell-error" role="alert">
              {errorText(actionError)}
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
      {action === 'correct' ? (
        <ConfirmDialog
          title={t('确认补正？', 'Submit this correction?')}
          confirmLabel={t('提交补正', 'Submit the correction')}
          busy={busy}
          onCancel={() => setAction(null)}
          onConfirm={() => {
            if (!patchValue.trim()) return setActionError({ message: t('请填写新值', 'Enter the new value') });
            void run(
              CORRECT,
              { id: current.id, patch: patchOf(), key: `web-${current.id}-${current.revision}-${Date.now()}` },
              'correctBirthApplication',
            );
          }}
        >
          <p>
            {t('部门退回：', 'Returned by the department: ')}
            {current.correction?.message ?? '—'} ({current.correction?.field ?? '—'})
          </p>
          <div className="field">
            <label htmlFor="correct-field">{t('更正项', 'Field to correct')}</label>
            <select id="correct-field" value={patchField} onChange={(e) => setPatchField(e.target.value)} autoFocus>
              <option value="child.name">{t('新生儿姓名', "Child's name")}</option>
              <option value="child.birthPlace">{t('出生地点', 'Birth place')}</option>
              <option value="child.birthTime">{t('出生时间', 'Birth time')}</option>
              <option value="child.birthWeightG">{t('出生体重（克）', 'Birth weight (g)')}</option>
              <option value="mother.phone">{t('母亲手机号', "Mother's phone")}</option>
              <option value="father.phone">{t('父亲手机号', "Father's phone")}</option>
              <option value="root.marriageCertificateNumber">{t('结婚证号', 'Marriage certificate number')}</option>
              <option value="root.householdHeadCitizenId">{t('户主身份号码', 'Household head citizen ID')}</option>
              <option value="root.enrolmentRegionCode">{t('参保社区', 'Enrolment community')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="correct-value">{t('新值', 'New value')}</label>
            <input id="correct-value" value={patchValue} onChange={(e) => setPatchValue(e.target.value)} />
          </div>
          {actionError ? (
            <p className="cell-error" role="alert">
              {errorText(actionError)}
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function Timeline({ steps }: { steps: Case['steps'] }) {
  const t = useT();
  const f = useFormat();
  const department = useDepartmentName();
  return (
    <ol className="timeline" data-testid="timeline">
      {steps.map((s) => (
        <li key={s.code} data-step={s.code} data-state={s.state}>
          <strong>{STEP_NAMES[s.code] ? t(...STEP_NAMES[s.code]!) : s.name}</strong>
          {s.overdue ? <span className="badge badge-overdue"> {t('超时', 'Late')}</span> : null}
          <dl>
            <dt>{t('状态', 'State')}</dt>
            <dd data-field="state">{STEP_STATES[s.state] ? t(...STEP_STATES[s.state]!) : s.state}</dd>
            <dt>{t('部门', 'Department')}</dt>
            <dd>{department(s.department)}</dd>
            <dt>{t('发送次数', 'Attempts')}</dt>
            <dd>{s.attempts}</dd>
            <dt>{t('产出标识', 'Identifier')}</dt>
            <dd data-field="identifier">
              {s.identifier ? (
                <>
                  <FieldValue coordinate="BirthApplicationStep.identifier" value={s.identifier} />{' '}
                  {s.lineage ? <Lineage entries={[s.lineage]} /> : null}
                </>
              ) : (
                '—'
              )}
            </dd>
            {s.replyReason || s.replyMessage ? (
              <>
                <dt>{t('退回原因', 'Reply')}</dt>
                <dd className="cell-error">
                  {s.replyReason} {s.replyField ? `(${s.replyField})` : ''} {s.replyMessage}
                </dd>
              </>
            ) : null}
            {s.lastError ? (
              <>
                <dt>{t('最近错误', 'Last error')}</dt>
                <dd className="cell-error">{s.lastError}</dd>
              </>
            ) : null}
            <dt>{t('完成时间', 'Finished')}</dt>
            <dd>{f.time(s.finishedAt)}</dd>
          </dl>
        </li>
      ))}
    </ol>
  );
}
