/**
 * The sign-in of this browser tab: the consumer's key and declared purpose, kept in sessionStorage only (gone when
 * the tab closes; never in a URL, a cookie or localStorage), and who the hub says the consumer is.
 */
export interface Viewer {
  code: string;
  name: string;
  department: string;
  purpose: string;
  purposes: string[];
  roles: string[];
  regionCode: string | null;
}

export interface Session {
  apiKey: string;
  purpose: string;
  viewer: Viewer;
}

const STORAGE_KEY = 'yilao-yixiao-hub.session';

export function loadSession(): Session | null {
  try {
    const text = window.sessionStorage.getItem(STORAGE_KEY);
    if (!text) return null;
    const parsed = JSON.parse(text) as Partial<Session>;
    if (typeof parsed.apiKey !== 'string' || typeof parsed.purpose !== 'string' || !parsed.viewer) return null;
    return parsed as Session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
}

/** The page's configuration block (web/pages.ts): the demo consumer in demo mode. */
export interface PageConfig {
  demo: { apiKey: string; purpose: string } | null;
}

export function pageConfig(): PageConfig {
  const block = document.getElementById('hub-config');
  try {
    return block?.textContent ? (JSON.parse(block.textContent) as PageConfig) : { demo: null };
  } catch {
    return { demo: null };
  }
}
