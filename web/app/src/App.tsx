/**
 * The shell of every page: sign-in when the tab holds no session; otherwise the navigation, the consumer and
 * purpose in use, what the catalogue keeps from them (masked or refused items), the language switch, and the page
 * of the current path.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { graphql } from './graphql';
import { CATALOGUE_QUERY, HubContext, restrictionsOf, type CatalogueAnswer, type CatalogueRestriction, type Hub } from './hub';
import { useLang, useT } from './i18n';
import { Link, navigate, useLocation } from './router';
import { clearSession, loadSession, saveSession, type Session } from './session';
import { SignIn } from './pages/SignIn';
import { Dashboard } from './pages/Dashboard';
import { Births } from './pages/Births';
import { BirthCase } from './pages/BirthCase';
import { Status } from './pages/Status';
import { Audit } from './pages/Audit';

const PAGES: Array<{ path: string; zh: string; en: string }> = [
  { path: '/dashboard', zh: '指标看板', en: 'Indicator dashboard' },
  { path: '/births', zh: '出生一件事', en: 'Newborn joint service' },
  { path: '/status', zh: '连接器状态', en: 'Connectors' },
  { path: '/audit', zh: '审计', en: 'Audit trail' },
];

function LanguageSwitch() {
  const { lang, setLang } = useLang();
  return (
    <button
      type="button"
      className="lang-switch"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      lang={lang === 'zh' ? 'en' : 'zh-CN'}
    >
      {lang === 'zh' ? 'English' : '中文'}
    </button>
  );
}

function Restrictions({ restrictions }: { restrictions: CatalogueRestriction[] | null }) {
  const t = useT();
  if (restrictions === null) return <span className="muted">{t('共享目录加载中…', 'Loading the catalogue…')}</span>;
  if (restrictions.length === 0) return <span>{t('可查看全部共享目录项', 'May read every catalogue item')}</span>;
  return (
    <details className="restrictions">
      <summary>
        {t('不可查看或脱敏：', 'Not readable or masked: ')}
        {restrictions.length} {t('项', 'items')}
      </summary>
      <ul>
        {restrictions.map((r) => {
          const masked = r.fields.filter((f) => f.mask);
          return (
            <li key={r.item}>
              <strong>{t(r.name, r.nameEn)}</strong> <code>{r.item}</code> — {r.refusal}
              {masked.length > 0 ? (
                <>
                  {' · '}
                  {t('脱敏显示：', 'shown masked: ')}
                  {masked.map((f) => f.coordinate).join(', ')}
                </>
              ) : null}
              {r.fields.length > masked.length ? (
                <>
                  {' · '}
                  {t('不予显示：', 'refused: ')}
                  {r.fields
                    .filter((f) => !f.mask)
                    .map((f) => f.coordinate)
                    .join(', ')}
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function Page({ path }: { path: string }) {
  const t = useT();
  if (path === '/dashboard' || path === '/') return <Dashboard />;
  if (path === '/births') return <Births />;
  const birthCase = /^\/births\/([^/]+)$/.exec(path);
  if (birthCase) return <BirthCase id={decodeURIComponent(birthCase[1]!)} />;
  if (path === '/status') return <Status />;
  if (path === '/audit') return <Audit />;
  return <p>{t('没有这个页面', 'No such page')}</p>;
}

export function App() {
  const t = useT();
  const { path } = useLocation();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [restrictions, setRestrictions] = useState<CatalogueRestriction[] | null>(null);

  useEffect(() => {
    if (!session) return;
    const abort = new AbortController();
    setRestrictions(null);
    graphql<CatalogueAnswer>(session, CATALOGUE_QUERY, {}, { signal: abort.signal })
      .then((result) => setRestrictions(restrictionsOf(result.data) ?? []))
      .catch(() => undefined);
    return () => abort.abort();
  }, [session]);

  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
    navigate(path);
  }, [path]);

  const hub: Hub | null = useMemo(() => {
    if (!session) return null;
    const byCoordinate = new Map<string, 'masked' | 'refused'>();
    for (const r of restrictions ?? []) for (const f of r.fields) byCoordinate.set(f.coordinate, f.mask ? 'masked' : 'refused');
    return { session, restrictions, visibility: (c) => byCoordinate.get(c) ?? 'readable', signOut };
  }, [session, restrictions, signOut]);

  // After a navigation or the sign-in, focus moves to the page's content (screen readers announce the new page;
  // the keyboard continues from there), not on the first load.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path, session]);

  const current = PAGES.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  useEffect(() => {
    document.title = `${current ? t(current.zh, current.en) : t('登录', 'Sign in')} · ${t('一老一小数据交换枢纽', 'Yilao Yixiao data-exchange hub')}`;
  }, [current, t]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('跳到正文', 'Skip to content')}
      </a>
      <header className="top">
        <div className="brand">{t('一老一小数据交换枢纽', 'Yilao Yixiao data-exchange hub')}</div>
        {session ? (
          <nav aria-label={t('页面', 'Pages')}>
            <ul>
              {PAGES.map((p) => (
                <li key={p.path}>
                  <Link href={p.path} aria-current={current?.path === p.path ? 'page' : undefined}>
                    {t(p.zh, p.en)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <LanguageSwitch />
      </header>
      {session && hub ? (
        <HubContext.Provider value={hub}>
          <section className="consumer-bar" aria-label={t('当前接入方', 'Consumer in use')}>
            <span data-testid="consumer">
              {t('接入方', 'Consumer')}: <strong>{session.viewer.name}</strong> (<code>{session.viewer.code}</code>) ·{' '}
              {session.viewer.department}
            </span>
            <span data-testid="purpose">
              {t('用途', 'Purpose')}: <strong>{session.purpose}</strong>
            </span>
            {session.viewer.roles.length > 0 ? (
              <span>
                {t('角色', 'Roles')}: {session.viewer.roles.join(', ')}
              </span>
            ) : null}
            {session.viewer.regionCode ? (
              <span>
                {t('区域范围', 'Region scope')}: {session.viewer.regionCode}
              </span>
            ) : null}
            <Restrictions restrictions={restrictions} />
            <button type="button" onClick={signOut}>
              {t('退出', 'Sign out')}
            </button>
          </section>
          <main id="main" tabIndex={-1}>
            <Page path={path} />
          </main>
        </HubContext.Provider>
      ) : (
        <SignIn
          onSignedIn={(next) => {
            saveSession(next);
            setSession(next);
          }}
        />
      )}
    </>
  );
}
