/// <reference lib="dom" />
// The page callbacks that tests/web/ hand to page.evaluate run in the browser: they are typed with the DOM library.
/**
 * Browser tests: Debian's Chromium driven by playwright-core (no browser download), launched headless with the
 * flags this machine's closed network needs and a fresh profile per test file; axe-core run inside the page; each
 * page's screenshot written under test-output/web/ (gitignored).
 *
 * `browserAvailable()` is false on a machine without Chromium: the browser tests skip, and tests/setup/browser.ts
 * prints the one line that says how to enable them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { browserAvailable, CHROMIUM_PATH } from './chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-output', 'web');

/** `describe` when Chromium is installed, else `describe.skip` (the skip is announced once, by the global setup). */
export const describeInBrowser: jest.Describe = browserAvailable() ? describe : describe.skip;

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab (its own sessionStorage) at 1366×768, with every request URL it made recorded. */
  newPage(): Promise<Page & { requestedUrls: string[] }>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-web-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(20_000);
  return {
    context,
    async newPage() {
      const page = (await context.newPage()) as Page & { requestedUrls: string[] };
      page.requestedUrls = [];
      page.on('request', (request) => page.requestedUrls.push(request.url()));
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string }>;
}

/**
 * axe-core's WCAG 2 A/AA and best-practice rules on the page as it is now; returns the serious and critical
 * violations. The engine is evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The whole page, and what a 1366×768 office screen shows of it first.
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.viewport.png`) });
  return file;
}

/** Signs in through the form's demo button (demo mode offers the demo consumer). */
export async function signInAsDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: /演示/ }).click();
  await page.getByTestId('consumer').waitFor();
}

/** Signs in with a key and purpose typed into the form. */
export async function signIn(page: Page, apiKey: string, purpose: string): Promise<void> {
  await page.getByLabel(/接入密钥|API key/).fill(apiKey);
  await page.getByLabel(/^用途$|^Purpose$/).fill(purpose);
  await page.getByRole('button', { name: /^登录$|^Sign in$/ }).click();
  await page.getByTestId('consumer').waitFor();
}
