/**
 * The 出生一件事 desk in Chromium against a hub with durable workflows and the sandbox departments: a case
 * submitted through the API is watched in the page until its five steps are done (live, over the subscription,
 * without reloading), the overdue list comes first, filters, and a cancellation that needs its confirmation;
 * axe-core and a screenshot of each page (test-output/web/).
 */
import {
  applicationInput,
  fastConnectorsConfig,
  pickParents,
  READ,
  SUBMIT,
  waitForCase,
  workflowEnv,
  type CaseView,
  type Parents,
} from '../helpers/births';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  signInAsDemo,
  type TestBrowser,
} from '../helpers/browser';
import { startTestDepartments, type TestDepartments } from '../helpers/departments';
import { startTestHub, type TestHub } from '../helpers/hub';

jest.setTimeout(150_000);

let departments: TestDepartments;
let hub: TestHub;
let browser: TestBrowser;
let parents: Parents[];

async function submit(p: Parents, key: string): Promise<string> {
  const answer = await hub.graphql(SUBMIT, { input: applicationInput(p), key } as never);
  expect(answer.body.errors).toBeUndefined();
  return (answer.body.data as { submitBirthApplication: CaseView }).submitBirthApplication.id;
}
const gql = (query: string, variables?: Record<string, unknown>) => hub.graphql(query, variables as never) as never;
async function read(id: string): Promise<CaseView> {
  return ((await hub.graphql(READ, { id } as never)).body.data as { birthApplication: CaseView }).birthApplication;
}

describeInBrowser('web pages in Chromium: the 出生一件事 desk', () => {
  beforeAll(async () => {
    departments = await startTestDepartments('webbirths');
    hub = await startTestHub(
      {
        ...workflowEnv(`web-births-${process.pid}`),
        HUB_CONNECTORS_CONFIG: fastConnectorsConfig(),
        HUB_BIRTH_STEP_DEADLINE_MS: '2000',
      },
      departments.connectorEnv,
    );
    // Offset 40: tests/births.test.ts takes 0-9 and tests/births.crash.test.ts 20-25 (one hub database for all files).
    parents = await pickParents(departments, 4, 50);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await departments?.stop();
  });

  it('shows a submitted case live until its five steps are done, the overdue list first', async () => {
    await departments.setFaults('medical-insurance', { outage: true });
    let id: string;
    const page = await browser.newPage();
    try {
      id = await submit(parents[0]!, 'web-births-0001');
      // The case waits on 医保 past its step deadline: it is on the overdue list, which the page shows first.
      await waitForCase(gql, id, (c) => c.overdue);
      await page.goto(`${hub.url}/births`);
      await signInAsDemo(page);
      await page.locator('main section h2').first().filter({ hasText: '超期申请' }).waitFor();
      const overdueRow = page.locator('main section').first().locator(`tr[data-case="${id}"]`);
      await overdueRow.waitFor();
      expect(await overdueRow.locator('.badge-overdue').count()).toBe(1);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'births-list');

      await overdueRow.getByRole('link').click();
      await page.getByTestId('timeline').waitFor();
      await page.getByTestId('live').filter({ hasText: '实时更新中' }).waitFor();
      const insurance = page.locator('li[data-step="MEDICAL_INSURANCE"]');
      await insurance.locator('.cell-error').first().waitFor();
      expect(await page.getByTestId('case-status').textContent()).not.toContain('已办结');
      expect(await page.locator('.timeline li').count()).toBe(5);
      await screenshot(page, 'births-case-waiting');
    } finally {
      await departments.clearFaults('medical-insurance');
    }
    // Live: the page is not reloaded; the subscription brings every step's end.
    await page.getByTestId('case-status').filter({ hasText: '已办结' }).waitFor({ timeout: 60_000 });
    const done = await read(id);
    expect(done.status).toBe('COMPLETED');
    for (const step of done.steps) {
      const item = page.locator(`li[data-step="${step.code}"]`);
      expect(await item.getAttribute('data-state')).toBe('SUCCEEDED');
      expect(await item.locator('[data-field="identifier"]').textContent()).toContain(step.identifier!);
    }
    expect(await page.getByTestId('history').locator('tbody tr').count()).toBe(done.history.length);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'births-case-completed');
    await page.close();
  });

  it('cancels a case only after the confirmation, and filters the list by status', async () => {
    await departments.setFaults('health', { outage: true });
    let id: string;
    const page = await browser.newPage();
    try {
      id = await submit(parents[1]!, 'web-births-0002');
      await page.goto(`${hub.url}/births/${id}`);
      await signInAsDemo(page);
      await page.getByTestId('timeline').waitFor();
      await page.getByRole('button', { name: '撤回申请' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'births-cancel-dialog');
      await dialog.getByRole('button', { name: '取消', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      expect((await read(id)).status).not.toBe('CANCELLED');

      await page.getByRole('button', { name: '撤回申请' }).click();
      await page.getByLabel('撤回理由').fill('家长撤回 parents withdrew');
      await page.getByRole('dialog').getByRole('button', { name: '确认撤回' }).click();
      await page.getByTestId('case-status').filter({ hasText: '已撤回' }).waitFor();
    } finally {
      await departments.clearFaults('health');
    }
    expect((await read(id)).status).toBe('CANCELLED');

    await page.getByRole('link', { name: /返回列表/ }).click();
    await page.selectOption('#births-status', 'CANCELLED');
    await page.locator(`tr[data-case="${id}"]`).first().waitFor();
    // Only cancelled cases are listed (other test files' cases share the hub database). The unfiltered list
    // holds this case too, so wait for the filtered answer to replace it (a filter that never applies times out).
    await page.waitForFunction(
      () => {
        const cells = Array.from(document.querySelectorAll('tr[data-case] td:nth-child(4)'));
        return cells.length > 0 && cells.every((cell) => cell.textContent === '已撤回');
      },
      undefined,
      { timeout: 20_000 },
    );
    const statuses = await page.locator('tr[data-case] td:nth-child(4)').allTextContents();
    expect(statuses.length).toBeGreaterThanOrEqual(1);
    expect(new Set(statuses)).toEqual(new Set(['已撤回']));
    const street = parents[1]!.regionCode.slice(0, 9);
    await page.selectOption('#births-street', street);
    await page.locator(`tr[data-case="${id}"]`).first().waitFor();
    const otherStreet = await page
      .locator('#births-street option')
      .evaluateAll(
        (options, own) => options.map((o) => (o as HTMLOptionElement).value).find((v) => v !== '' && v !== own),
        street,
      );
    await page.selectOption('#births-street', otherStreet!);
    await page.locator(`tr[data-case="${id}"]`).first().waitFor({ state: 'detached' });
    await page.getByText('没有申请').first().waitFor();
    await page.close();
  });

  it('corrects a case the department returned, after the confirmation, and the case resumes', async () => {
    const p = parents[2]!;
    // As in tests/births.test.ts: the certificate is issued while 公安 is down, then names another mother, so the
    // registration is refused with GUARDIAN_NOT_A_PARENT (a reason the applicant can fix).
    const id = await submit(p, 'web-births-0003');
    await departments.setFaults('public-security', { outage: true });
    try {
      await waitForCase(gql, id, (c) => c.steps.find((s) => s.code === 'BIRTH_CERTIFICATE')!.state === 'SUCCEEDED');
      await departments.query(
        `UPDATE health.birth_certificate SET mother_citizen_id = $2 WHERE mother_citizen_id = $1 AND idempotency_key LIKE 'birth:%'`,
        [p.motherId, parents[3]!.motherId],
      );
    } finally {
      await departments.clearFaults('public-security');
    }
    await waitForCase(gql, id, (c) => c.status === 'NEEDS_CORRECTION');
    await departments.query(
      `UPDATE health.birth_certificate SET mother_citizen_id = $1 WHERE mother_citizen_id = $2 AND idempotency_key LIKE 'birth:%'`,
      [p.motherId, parents[3]!.motherId],
    );
    const page = await browser.newPage();
    await page.goto(`${hub.url}/births/${id}`);
    await signInAsDemo(page);
    await page.getByTestId('case-status').filter({ hasText: '待补正' }).waitFor();
    await expect(page.locator('li[data-step="BIRTH_REGISTRATION"]').textContent()).resolves.toContain('GUARDIAN_NOT_A_PARENT');
    await page.getByRole('button', { name: '补正', exact: true }).click();
    await page.getByLabel('更正项').selectOption('mother.phone');
    await page.getByLabel('新值').fill('13900000009');
    await screenshot(page, 'births-correct-dialog');
    await page.getByRole('dialog').getByRole('button', { name: '提交补正' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByTestId('case-status').filter({ hasText: '已办结' }).waitFor({ timeout: 60_000 });
    const done = await read(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.revision).toBe(2);
    expect(done.history.map((e) => e.type)).toContain('CORRECTED');
    await page.close();
  });
});
