/** Small building blocks every page uses: loading and error states, masked and refused values, lineage. */
import { useId, useState, type ReactNode } from 'react';
import type { GraphQLErrorItem } from '../graphql';
import { useHub } from '../hub';
import { useFormat, useT } from '../i18n';

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label ?? t('正在加载…', 'Loading…')}
    </p>
  );
}

const DEPARTMENTS: Record<string, [string, string]> = {
  'public-security': ['公安', 'Public security'],
  'civil-affairs': ['民政', 'Civil affairs'],
  health: ['卫健', 'Health'],
  education: ['教育', 'Education'],
  'medical-insurance': ['医保', 'Medical insurance'],
  'social-security': ['人社', 'HR & social security'],
};

export function useDepartmentName() {
  const t = useT();
  return (connector: string | null | undefined) => {
    const names = connector ? DEPARTMENTS[connector] : undefined;
    return names ? t(names[0], names[1]) : (connector ?? '—');
  };
}

/** A short text for an error: what failed (department, reason) rather than the raw message. */
export function useErrorText() {
  const t = useT();
  const department = useDepartmentName();
  return (error: GraphQLErrorItem) => {
    const x = error.extensions ?? {};
    switch (x.code) {
      case 'UPSTREAM_UNAVAILABLE':
        return `${department(x.connector ?? x.department)} ${t('不可用', 'unavailable')}${x.reason ? ` (${x.reason})` : ''}`;
      case 'FORBIDDEN':
        return `${t('无权查看', 'Refused')}${x.reason ? ` (${x.reason}${x.catalogueItem ? ` · ${x.catalogueItem}` : ''})` : ''}`;
      case 'UNAUTHENTICATED':
        return t('密钥无效或已失效，请重新登录', 'The key is invalid or no longer valid: sign in again');
      case 'TIMEOUT':
      case 'NETWORK':
        return error.message;
      default:
        return error.message;
    }
  };
}

/** An error in a table cell: visible text, never a blank. */
export function ErrorCell({ errors }: { errors: GraphQLErrorItem[] }) {
  const text = useErrorText();
  if (errors.length === 0) return null;
  return (
    <span className="cell-error" data-error-code={errors[0]!.extensions?.code ?? ''}>
      <span aria-hidden="true">⚠ </span>
      {text(errors[0]!)}
    </span>
  );
}

export function ErrorBanner({ error, onRetry }: { error: GraphQLErrorItem; onRetry?: () => void }) {
  const t = useT();
  const text = useErrorText();
  return (
    <div className="banner banner-error" role="alert">
      <span>{text(error)}</span>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('重试', 'Retry')}
        </button>
      ) : null}
    </div>
  );
}

/**
 * A field value as this consumer sees it: the catalogue says whether the field is masked or refused for it, so a
 * masked value is labelled as masked and a refused one (null with FORBIDDEN at its path) shows as refused.
 */
export function FieldValue({
  coordinate,
  value,
  errors = [],
}: {
  coordinate: string;
  value: ReactNode | null | undefined;
  errors?: GraphQLErrorItem[];
}) {
  const t = useT();
  const hub = useHub();
  const visibility = hub.visibility(coordinate);
  if (errors.length > 0) return <ErrorCell errors={errors} />;
  if (value === null || value === undefined) {
    if (visibility === 'refused') return <span className="badge badge-refused">{t('无权查看', 'Refused')}</span>;
    return <span className="muted">—</span>;
  }
  if (visibility === 'masked')
    return (
      <span className="masked">
        {value} <span className="badge badge-masked">{t('已脱敏', 'masked')}</span>
      </span>
    );
  return <>{value}</>;
}

export interface LineageEntry {
  department?: string | null;
  connector?: string | null;
  sourceRecordId?: string | null;
  sourceUpdatedAt?: string | null;
  fetchedAt?: string | null;
  cache?: string | null;
  metric?: string | null;
  aggregate?: string | null;
  kind?: string | null;
  via?: string | null;
}

/** A value's lineage (department, source record, fetched at), folded behind a button. */
export function Lineage({ entries, label, runId }: { entries: LineageEntry[]; label?: string; runId?: string }) {
  const t = useT();
  const f = useFormat();
  const department = useDepartmentName();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <span className="lineage">
      <button type="button" className="link-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label ?? t('血缘', 'Lineage')}
      </button>
      {open ? (
        <span id={id} className="lineage-panel" role="group" aria-label={t('数据血缘', 'Lineage')}>
          {entries.length === 0 ? <span>{t('无部门数据', 'No department data')}</span> : null}
          {entries.map((entry, i) => (
            <span key={i} className="lineage-entry">
              <strong>{department(entry.connector ?? entry.department)}</strong>
              {entry.metric ? ` · ${entry.metric}` : ''}
              {entry.aggregate ? ` · ${t('汇总', 'aggregate')} ${entry.aggregate}` : ''}
              {entry.kind ? ` · ${entry.kind}` : ''}
              {entry.sourceRecordId ? ` · ${t('源记录', 'source record')} ${entry.sourceRecordId}` : ''}
              {entry.sourceUpdatedAt ? ` · ${t('源更新', 'source updated')} ${f.time(entry.sourceUpdatedAt)}` : ''}
              {entry.fetchedAt ? ` · ${t('获取于', 'fetched at')} ${f.time(entry.fetchedAt)}` : ''}
              {entry.cache ? ` · ${entry.cache}` : ''}
              {entry.via ? ` · ${entry.via}` : ''}
            </span>
          ))}
          {runId ? (
            <a className="lineage-entry" href={`/audit?run=${encodeURIComponent(runId)}`}>
              {t('计算运行', 'Computation run')} {runId}
            </a>
          ) : null}
        </span>
      ) : null}
    </span>
  );
}

/** Downloads text or a data URL as a file (CSV of a table, PNG of a chart). */
export function download(filename: string, content: Blob | string): void {
  const href = typeof content === 'string' ? content : URL.createObjectURL(content);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (typeof content !== 'string') setTimeout(() => URL.revokeObjectURL(href), 1000);
}

/** RFC 4180 CSV with a byte-order mark, so spreadsheet programs read the Chinese text as UTF-8. */
export function toCsv(rows: Array<Array<string | number | null>>): Blob {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return new Blob(['\ufeff', rows.map((row) => row.map(cell).join(',')).join('\r\n'), '\r\n'], {
    type: 'text/csv;charset=utf-8',
  });
}

/** A modal confirmation: the action runs only after the second, explicit click. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !busy) onCancel();
        }}
      >
        <h2 id={id}>{title}</h2>
        {children}
        <div className="actions">
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('取消', 'Cancel')}
          </button>
          <button type="button" className="primary danger" onClick={onConfirm} disabled={busy}>
            {busy ? t('处理中…', 'Working…') : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
