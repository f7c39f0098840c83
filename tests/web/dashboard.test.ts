/**
 * The dashboard, connector status and audit pages in Chromium against a hub started here on an ephemeral port, with
 * the sandbox departments: sign-in, the district and a street, a drill-down, basis and period, exports, masking
 * for a consumer without personal items, a department outage in the cells it affects, the audit trail and
 * lineage, keyboard use, axe-core on every page and a screenshot of each (test-output/web/). Expected figures come
 * from the API, asked separately (the page must show what the hub answers).
 */
import fs from 'node:fs';
import { createConsumer } from '../../resolvers/consumers';
import { fastConnectorsConfig } from '../helpers/births';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  signIn,
  signInAsDemo,
  type TestBrowser,
} from '../helpers/browser';
import { startTestDepartments, type TestDepartments } from '../helpers/departments';
import { startTestHub, type TestHub } from '../helpers/hub';

jest.setTimeout(120_000);

const DISTRICT = '500103';
const SHOWCASE = '500103193803150261';

let departments: TestDepartments;
let hub: TestHub;
let browser: TestBrowser;
let statsKey: string;

type Value = { indicator: { code: string; kind: string }; regionCode: string; value: number | null; status: string };

async function apiValues(regionArgs: string, period: string, basis?: string): Promise<Value[]> {
  const response = await hub.graphql(
    `{ indicatorValues(${regionArgs}, periods: ["${period}"]${basis ? `, basis: ${basis}` : ''}) { indicator { code kind } regionCode value status } }`,
  );
  return (response.body.data as { indicatorValues: Value[] }).indicatorValues;
}

const number = (text: string | null) => Number((text ?? '').replace(/[,\s]/g, '').replace(/[^\d.-].*$/, ''));

describeInBrowser('web pages in Chromium: dashboard, status, audit', () => {
  beforeAll(async () => {
    departments = await startTestDepartments('webdash');
    hub = await startTestHub(
      { HUB_CONNECTORS_CONFIG: fastConnectorsConfig(), HUB_INDICATOR_CACHE_TTL_MS: '0' },
      departments.connectorEnv,
    );
    const stats = await createConsumer(hub.prisma, {
      code: `web-stats-${process.pid}`,
      name: '统计分析系统',
      department: '渝中区统计局',
      purposes: ['STATISTICS'],
      grants: [{ item: 'PS_POPULATION_STATISTICS' }],
    });
    statsKey = stats.apiKey;
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await departments?.stop();
  });

  it('offers a sign-in form with a labelled password field and, in demo mode, a 演示 button', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/dashboard`);
    const key = page.getByLabel('接入密钥');
    await key.waitFor();
    expect(await key.getAttribute('type')).toBe('password');
    await expect(page.getByRole('button', { name: /演示/ }).count()).resolves.toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.close();
  });

  it('refuses a wrong key with a message, and keeps the key out of URLs and storage other than sessionStorage', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/dashboard`);
    await page.getByLabel('接入密钥').fill('wrong-key-0123456789abcdef');
    await page.getByLabel('用途').fill('STATISTICS');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/密钥无效/);
    await signIn(page, statsKey, 'STATISTICS');
    for (const url of page.requestedUrls) expect(url).not.toContain(statsKey);
    expect(await page.evaluate(() => JSON.stringify(window.localStorage))).not.toContain(statsKey);
    expect(await page.evaluate(() => JSON.stringify(window.sessionStorage))).toContain(statsKey);
    await page.close();
  });

  it('shows the 21 indicators of the district, binding ones marked, as the API computes them', async () => {
    const expected = await apiValues(`regionCodes: ["${DISTRICT}"]`, '2022');
    expect(expected).toHaveLength(21);
    const page = await browser.newPage();
    await page.goto(`${hub.url}/dashboard`);
    await signInAsDemo(page);
    await expect(page.getByTestId('purpose').textContent()).resolves.toContain('DEMO');
    const rows = page.locator('table.indicators tbody tr');
    await rows.nth(20).waitFor();
    expect(await rows.count()).toBe(21);
    expect(await page.locator('table.indicators .badge-binding').count()).toBe(
      expected.filter((v) => v.indicator.kind === 'BINDING').length,
    );
    const beds = expected.find((v) => v.indicator.code === 'ELDERLY_CARE_BEDS')!;
    expect(beds.value).toBeGreaterThan(0);
    expect(number(await page.locator('tr[data-code="ELDERLY_CARE_BEDS"] td[data-cell="value"]').textContent())).toBe(beds.value);
    await page.locator('.chart canvas').nth(20).waitFor();
    expect(await page.locator('.chart').count()).toBe(21);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-district');
    await page.close();
  });

  it('reads a street, switches basis and period, and follows a drill-down page by page', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/dashboard`);
    await signInAsDemo(page);
    await page.locator('table.indicators tbody tr').nth(20).waitFor();

    const street = await page.locator('#dash-region option').nth(1).getAttribute('value');
    expect(street).toMatch(/^500103\d{3}$/);
    const streetValues = await apiValues(`regionCodes: ["${street}"]`, '2022');
    await page.selectOption('#dash-region', street);
    const streetBeds = streetValues.find((v) => v.indicator.code === 'ELDERLY_CARE_BEDS')!.value;
    await expect(page.locator('table.indicators caption').textContent()).resolves.not.toContain('渝中区 ·');
    expect(number(await page.locator('tr[data-code="ELDERLY_CARE_BEDS"] td[data-cell="value"]').textContent())).toBe(streetBeds);

    await page.selectOption('#dash-region', DISTRICT);
    const registered = (await apiValues(`regionCodes: ["${DISTRICT}"]`, '2022', 'REGISTERED')).find(
      (v) => v.indicator.code === 'BEDS_PER_1000_ELDERLY',
    )!;
    const resident = (await apiValues(`regionCodes: ["${DISTRICT}"]`, '2022', 'RESIDENT')).find(
      (v) => v.indicator.code === 'BEDS_PER_1000_ELDERLY',
    )!;
    expect(registered.value).not.toBe(resident.value);
    await page.selectOption('#dash-basis', 'REGISTERED');
    const cell = page.locator('tr[data-code="BEDS_PER_1000_ELDERLY"] td[data-cell="value"]');
    await page.waitForFunction(
      ([selector, value]) =>
        Number(
          document
            .querySelector(selector as string)
            ?.textContent?.replace(/[,\s]/g, '')
            .replace(/[^\d.-].*$/, ''),
        ) === value,
      ['tr[data-code="BEDS_PER_1000_ELDERLY"] td[data-cell="value"]', registered.value],
    );
    expect(number(await cell.textContent())).toBe(registered.value);

    const monthly = (await apiValues(`regionCodes: ["${DISTRICT}"]`, '202212', 'REGISTERED')).find(
      (v) => v.indicator.code === 'MONTHLY_VISIT_RATE',
    )!;
    expect(monthly.status).toBe('OK');
    await page.selectOption('#dash-period', '202212');
    await page.waitForFunction(() => document.querySelector('table.indicators caption')?.textContent?.includes('202212'));
    await page.waitForFunction(() => !document.querySelector('table.indicators[aria-busy="true"]'));
    expect(number(await page.locator('tr[data-code="MONTHLY_VISIT_RATE"] td[data-cell="value"]').textContent())).toBe(
      monthly.value,
    );

    await page.selectOption('#dash-period', '2022');
    await page.waitForFunction(() => document.querySelector('table.indicators caption')?.textContent?.includes('2022 ·'));
    const drill = await hub.graphql(
      `{ indicatorDrillDown(code: "ELDERLY_CARE_BEDS", regionCode: "${DISTRICT}", period: "2022", side: NUMERATOR, basis: REGISTERED, first: 20) { totalCount pageInfo { hasNextPage } } }`,
    );
    const { totalCount, pageInfo } = (
      drill.body.data as { indicatorDrillDown: { totalCount: number; pageInfo: { hasNextPage: boolean } } }
    ).indicatorDrillDown;
    await page
      .getByRole('button', { name: /下钻: 养老/ })
      .first()
      .click();
    const panel = page.getByTestId('drill-down');
    await panel.locator('tbody tr').first().waitFor();
    expect(number((await page.getByTestId('drill-total').textContent())!.replace(/^\D*/, ''))).toBe(totalCount);
    expect(await panel.locator('tbody tr').count()).toBe(Math.min(20, totalCount));
    if (pageInfo.hasNextPage) {
      await panel.getByRole('button', { name: '下一页' }).click();
      await panel.locator('caption', { hasText: '第2页' }).waitFor();
      expect(await panel.locator('tbody tr').count()).toBe(Math.min(20, totalCount - 20));
    } else expect(totalCount).toBeLessThanOrEqual(20);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-drill-down');
    await page.close();
  });

  it('exports the visible table as CSV and a chart as PNG', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/dashboard`);
    await signInAsDemo(page);
    await page.locator('table.indicators tbody tr').nth(20).waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出表格 CSV' }).click()]);
    const text = fs.readFileSync(await csv.path(), 'utf8');
    const lines = text
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r\n/);
    expect(lines).toHaveLength(22);
    expect(lines[0]).toContain('指标');
    expect(text).toContain('ELDERLY_CARE_BEDS');
    await page.locator('.chart canvas').first().waitFor();
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('.chart figcaption button').first().click()]);
    const bytes = fs.readFileSync(await png.path());
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(2000);
    await page.close();
  });

  it('shows a consumer without personal items what it may not see, and people in a drill-down as masked', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/dashboard`);
    await signIn(page, statsKey, 'STATISTICS');
    await page.locator('.restrictions summary').waitFor();
    await expect(page.locator('.restrictions summary').textContent()).resolves.toMatch(/不可查看或脱敏：\d+ 项/);
    await page.locator('table.indicators tbody tr').nth(20).waitFor();
    await page.getByRole('button', { name: /下钻: 每千名老人/ }).click();
    const panel = page.getByTestId('drill-down');
    await panel.locator('tbody tr').first().waitFor();
    await panel.getByRole('button', { name: '分母' }).click();
    const first = panel.locator('tbody tr', { hasText: 'PERSON' }).first();
    await first.waitFor();
    await expect(first.locator('.badge-masked').count()).resolves.toBeGreaterThanOrEqual(2);
    expect(await first.textContent()).not.toMatch(/\b500103\d{11}[\dX]\b/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-statistics-consumer');
    await page.close();
  });

  it('shows each connector on the status page, and a department outage there and in the affected cells', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/status`);
    await signInAsDemo(page);
    const rows = page.locator('tr[data-connector]');
    await rows.nth(5).waitFor();
    expect(await rows.count()).toBe(6);
    await expect(page.locator('tr[data-connector="health"] td[data-cell="state"]').textContent()).resolves.toBe('正常');
    // Refreshed live: the page asks again every few seconds without being told to.
    const asked = () => page.requestedUrls.filter((url) => url.endsWith('/graphql')).length;
    const before = asked();
    await page.waitForTimeout(11_000);
    expect(asked() - before).toBeGreaterThanOrEqual(2);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'status');

    await departments.setFaults('health', { outage: true });
    try {
      await page.getByRole('button', { name: '立即检查各部门' }).click();
      await page.locator('tr[data-connector="health"] td[data-cell="state"]', { hasText: '中断' }).waitFor();
      await expect(page.locator('tr[data-connector="health"] td.cell-error').count()).resolves.toBe(1);
      await screenshot(page, 'status-health-down');

      await page.getByRole('link', { name: '指标看板' }).click();
      const cell = page.locator('tr[data-code="CHILDCARE_PLACES"] td[data-cell="value"] .cell-error');
      await cell.waitFor({ timeout: 30_000 });
      expect(await cell.textContent()).toContain('卫健 不可用');
      expect(await cell.getAttribute('data-error-code')).toBe('UPSTREAM_UNAVAILABLE');
      // Indicators of other departments still have their values.
      expect(number(await page.locator('tr[data-code="ELDERLY_CARE_BEDS"] td[data-cell="value"]').textContent())).toBeGreaterThan(
        0,
      );
      await expect(page.locator('.chart-missing', { hasText: '卫健 不可用' }).count()).resolves.toBeGreaterThan(0);
      await screenshot(page, 'dashboard-health-outage');
    } finally {
      await departments.clearFaults('health');
    }
    await page.close();
  });

  it('lists audit events by subject without sending the citizen ID in a URL, opens one, and verifies the chain', async () => {
    const read = await hub.graphql(`query WebTestRead { person(citizenId: "${SHOWCASE}") { name } }`);
    expect(read.body.errors).toBeUndefined();
    const page = await browser.newPage();
    await page.goto(`${hub.url}/audit`);
    await signInAsDemo(page);
    await page.getByTestId('audit-total').waitFor();
    await page.getByLabel('数据主体身份号码').fill('500103193803150262');
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('CHECK_DIGIT');
    await page.getByLabel('数据主体身份号码').fill(SHOWCASE);
    await page.getByLabel('接入方编码').fill('demo');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('td', { hasText: 'WebTestRead' }).first().waitFor();
    const total = number((await page.getByTestId('audit-total').textContent())!.replace(/^\D*/, ''));
    expect(total).toBeGreaterThanOrEqual(1);
    for (const url of page.requestedUrls) expect(url).not.toContain(SHOWCASE);
    expect(await page.evaluate(() => JSON.stringify(window.sessionStorage) + JSON.stringify(window.localStorage))).not.toContain(
      SHOWCASE,
    );

    await page.locator('tr', { hasText: 'WebTestRead' }).first().getByRole('button').click();
    const detail = page.getByTestId('audit-detail');
    await expect(detail.textContent()).resolves.toContain('PS_IDENTITY');
    await page.getByRole('button', { name: '校验整条审计链' }).click();
    const chain = page.getByTestId('chain');
    await chain.waitFor();
    expect(await chain.textContent()).toContain('完好');
    expect(await chain.locator('.hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'audit');
    await page.close();
  });

  it('traces a value to its departments and its computation run', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/dashboard`);
    await signInAsDemo(page);
    const row = page.locator('tr[data-code="ELDERLY_CARE_BEDS"]');
    await row.waitFor();
    await row.getByRole('button', { name: '血缘' }).click();
    const panel = row.locator('.lineage-panel');
    await expect(panel.textContent()).resolves.toMatch(/民政.*获取于/);
    await panel.getByRole('link').click();
    await page.getByTestId('run-event').waitFor();
    const event = JSON.parse((await page.getByTestId('run-event').textContent())!) as { inputs?: unknown[] };
    expect(Array.isArray(event.inputs)).toBe(true);
    await screenshot(page, 'audit-run-lineage');
    await page.close();
  });

  it('works from the keyboard: skip link, sign-in, navigation; and switches to English', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/status`);
    await page.getByLabel('接入密钥').waitFor();
    // The skip link comes first in the tab order, hidden until it has the focus.
    const skip = page.getByRole('link', { name: '跳到正文' });
    expect((await skip.boundingBox())!.x).toBeLessThan(0);
    await skip.focus();
    expect((await skip.boundingBox())!.x).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement === document.body || document.activeElement === null)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到正文');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-in-key');
    await page.keyboard.type(statsKey);
    await page.keyboard.press('Tab');
    await page.keyboard.type('STATISTICS');
    await page.keyboard.press('Enter');
    await page.getByTestId('consumer').waitFor();
    // After the sign-in the focus is on the page's content.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.getByRole('link', { name: '指标看板' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: '指标看板' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('h1', { hasText: 'Indicator dashboard' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.locator('table.indicators tbody tr').nth(20).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-english');
    await page.close();
  });
});
