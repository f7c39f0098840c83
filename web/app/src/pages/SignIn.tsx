/**
 * Sign-in: the consumer's key (a password field, never echoed, never in the URL) and the purpose it declares,
 * checked against `viewer` before they are kept for this tab. In demo mode a button signs in as the demo consumer.
 */
import { useState, type FormEvent } from 'react';
import { graphql, RequestFailed } from '../graphql';
import { useT } from '../i18n';
import { pageConfig, type Session, type Viewer } from '../session';
import { useErrorText } from '../components/common';

const VIEWER_QUERY = `query PageViewer { viewer { code name department purpose purposes roles regionCode } }`;

/** The purpose codes of the hub (`purposes`): offered as suggestions, any code may be typed. */
const PURPOSES: Array<[string, string, string]> = [
  ['ELDERLY_CARE_SERVICE', '养老服务', 'Elderly-care services'],
  ['CAPABILITY_ASSESSMENT', '能力评估', 'Capability assessment'],
  ['CHILDCARE_SERVICE', '托育服务', 'Childcare services'],
  ['INFANT_HEALTH', '婴幼儿健康', 'Infant health'],
  ['BIRTH_JOINT_SERVICE', '出生一件事', 'Newborn joint service'],
  ['STATISTICS', '统计分析', 'Statistics'],
  ['SUPERVISION', '监督检查', 'Supervision'],
  ['ADMINISTRATION', '系统管理', 'Administration'],
  ['DEMO', '演示', 'Demo'],
];

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const demo = pageConfig().demo;
  const [apiKey, setApiKey] = useState('');
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const signIn = async (credentials: { apiKey: string; purpose: string }) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await graphql<{ viewer: Viewer }>(credentials, VIEWER_QUERY);
      if (!result.data?.viewer) {
        const error = result.errors[0];
        const reason = error?.extensions?.reason;
        setProblem(
          `${error ? errorText(error) : t('登录失败', 'Sign-in failed')}${reason && error?.extensions?.code !== 'FORBIDDEN' ? ` (${reason})` : ''}`,
        );
        return;
      }
      onSignedIn({ ...credentials, viewer: result.data.viewer });
    } catch (error) {
      setProblem(error instanceof RequestFailed ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!apiKey.trim() || !purpose.trim()) {
      setProblem(t('请填写接入密钥和用途', 'Enter the API key and the purpose'));
      return;
    }
    void signIn({ apiKey: apiKey.trim(), purpose: purpose.trim().toUpperCase() });
  };

  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <h1>{t('登录', 'Sign in')}</h1>
      <p>
        {t(
          '请输入本系统（接入方）的接入密钥和本次使用的用途。密钥只保存在本浏览器标签页中，关闭即清除。',
          "Enter your system's (the consumer's) API key and the purpose of this session. The key is kept in this browser tab only and cleared when it closes.",
        )}
      </p>
      <form onSubmit={submit} method="post" action="#" autoComplete="off" noValidate>
        <div className="field">
          <label htmlFor="sign-in-key">{t('接入密钥', 'API key')}</label>
          <input
            id="sign-in-key"
            name="apiKey"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="sign-in-purpose">{t('用途', 'Purpose')}</label>
          <input
            id="sign-in-purpose"
            name="purpose"
            list="sign-in-purposes"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            required
          />
          <datalist id="sign-in-purposes">
            {PURPOSES.map(([code, zh, en]) => (
              <option key={code} value={code}>
                {t(zh, en)}
              </option>
            ))}
          </datalist>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('正在登录…', 'Signing in…') : t('登录', 'Sign in')}
          </button>
          {demo ? (
            <button type="button" disabled={busy} onClick={() => void signIn(demo)}>
              {t('以演示接入方登录（演示）', 'Sign in as the demo consumer (演示)')}
            </button>
          ) : null}
        </div>
        {problem ? (
          <p className="banner banner-error" role="alert">
            {problem}
          </p>
        ) : null}
      </form>
    </main>
  );
}
