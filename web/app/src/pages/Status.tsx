/**
 * 连接器状态: each department connector's state, latency of its last health check and last error, refreshed every
 * few seconds (the hub's last known status); an ADMIN consumer may ask the hub to check every department now.
 */
import { useEffect, useState } from 'react';
import { useHub, useQuery } from '../hub';
import { useFormat, useT } from '../i18n';
import { ErrorBanner, Loading, useDepartmentName } from '../components/common';

export const STATUS_POLL_MS = 5000;

const STATUS_QUERY = `query ConnectorStatus($refresh: Boolean!) {
  connectors(refresh: $refresh) { name department transport status latencyMs lastError checkedAt } }`;

interface StatusAnswer {
  connectors: Array<{
    name: string;
    department: string;
    transport: string;
    status: 'UP' | 'DEGRADED' | 'DOWN';
    latencyMs: number | null;
    lastError: string | null;
    checkedAt: string | null;
  }> | null;
}

const STATE: Record<string, [string, string]> = { UP: ['正常', 'Up'], DEGRADED: ['降级', 'Degraded'], DOWN: ['中断', 'Down'] };

export function Status() {
  const t = useT();
  const f = useFormat();
  const department = useDepartmentName();
  const { session } = useHub();
  const isAdmin = session.viewer.roles.includes('ADMIN');
  const [tick, setTick] = useState(0);
  const [refresh, setRefresh] = useState(false);
  const variables = { refresh };
  const query = useQuery<StatusAnswer>(STATUS_QUERY, variables, `${tick}-${refresh}`);
  useEffect(() => {
    const timer = window.setInterval(() => {
      setRefresh(false);
      setTick((n) => n + 1);
    }, STATUS_POLL_MS);
    return () => window.clearInterval(timer);
  }, []);
  const connectors = query.result?.data?.connectors ?? null;
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  useEffect(() => {
    if (connectors) setUpdatedAt(new Date().toISOString());
  }, [connectors]);

  return (
    <>
      <h1>{t('连接器状态', 'Connectors')}</h1>
      <div className="controls">
        <span className="muted" aria-live="polite">
          {t('每 5 秒自动刷新', 'Refreshed every 5 s')} · {t('最近更新', 'last updated')} {f.time(updatedAt)}
        </span>
        {isAdmin ? (
          <button
            type="button"
            onClick={() => {
              setRefresh(true);
              setTick((n) => n + 1);
            }}
            disabled={query.loading}
          >
            {t('立即检查各部门', 'Check every department now')}
          </button>
        ) : null}
        {query.loading ? <Loading label={t('正在刷新…', 'Refreshing…')} /> : null}
      </div>
      {query.failure ? <ErrorBanner error={query.failure} onRetry={query.reload} /> : null}
      {connectors ? (
        connectors.length === 0 ? (
          <p className="banner banner-info">{t('未配置任何部门连接器', 'No department connector is configured')}</p>
        ) : (
          <table>
            <caption>{t('部门连接器', 'Department connectors')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('部门', 'Department')}</th>
                <th scope="col">{t('连接器', 'Connector')}</th>
                <th scope="col">{t('方式', 'Transport')}</th>
                <th scope="col">{t('状态', 'State')}</th>
                <th scope="col">{t('延迟', 'Latency')}</th>
                <th scope="col">{t('最近错误', 'Last error')}</th>
                <th scope="col">{t('检查时间', 'Checked at')}</th>
              </tr>
            </thead>
            <tbody>
              {connectors.map((c) => (
                <tr key={c.name} data-connector={c.name}>
                  <th scope="row">{department(c.name)}</th>
                  <td>
                    <code>{c.name}</code>
                  </td>
                  <td>{c.transport === 'SQL' ? t('前置库 SQL', 'SQL exchange') : 'HTTP'}</td>
                  <td data-cell="state">
                    <span className={`state-${c.status}`}>
                      {STATE[c.status] ? t(STATE[c.status]![0], STATE[c.status]![1]) : c.status}
                    </span>
                  </td>
                  <td className="num">{c.latencyMs === null ? '—' : `${c.latencyMs} ms`}</td>
                  <td className={c.lastError ? 'cell-error' : undefined}>{c.lastError ?? '—'}</td>
                  <td>{f.time(c.checkedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </>
  );
}
