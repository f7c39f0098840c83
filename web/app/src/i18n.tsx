/**
 * Chinese first, English on a switch: every text is written as a pair where it is used, `t('指标看板',
 * 'Indicator dashboard')`, so no string can miss a translation. The choice is kept in localStorage (it is not
 * personal) and sets the document's lang attribute.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'yilao-yixiao-hub.lang';

interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: 'zh', setLang: () => undefined });

function initialLang(): Lang {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const setLang = (next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // a browser without storage keeps the choice for this page only
    }
  };
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
}

export const useLang = () => useContext(LangContext);

export type Translate = (zh: string, en: string) => string;

export function useT(): Translate {
  const { lang } = useLang();
  return (zh, en) => (lang === 'zh' ? zh : en);
}

/** Numbers and times in the chosen language's conventions. */
export function useFormat() {
  const { lang } = useLang();
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  return {
    number: (value: number | null | undefined, digits = 2) =>
      value === null || value === undefined ? '—' : value.toLocaleString(locale, { maximumFractionDigits: digits }),
    percent: (value: number | null | undefined) =>
      value === null || value === undefined ? '—' : `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}%`,
    time: (iso: string | null | undefined) =>
      iso ? new Date(iso).toLocaleString(locale, { timeZone: 'Asia/Shanghai', hour12: false }) : '—',
  };
}
