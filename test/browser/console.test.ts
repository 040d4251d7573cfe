import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateSegments, messageText, type Role } from '../../packages/core/index.ts';
import { smsTextSettings } from '../../packages/console/index.ts';
import { launchChromium, seriousViolations, withScreenshot, type Chromium } from '../support/browser.ts';
import { platformClient } from '../support/client.ts';
import { startFakeHostedUi } from '../support/fake-hosted-ui.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

/**
 * The staff console in headless Chromium against `npm start`, as staff use it: English UI
 * (?lang=en) and the accessible names of API.md, part 2 "Console". Each screen is checked with
 * axe-core (no serious or critical violation). A failing test leaves a screenshot in
 * test-results/console/.
 */
let platform: RunningPlatform;
let chromium: Chromium;
let page: Page | undefined;
const client = platformClient(() => platform);
let admin: string;

// Fixed, so that the Hosted UI stand-in can sign ID tokens the local API accepts.
const JWT_SECRET = 'browser-tests-local-jwt-secret-0123456789';
const console_ = () => `${platform.url}/console/?lang=en`;
const SMS = smsTextSettings({});

async function newPage(): Promise<Page> {
  page = await chromium.context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

async function signIn(role: Role, user?: string): Promise<Page> {
  const p = await newPage();
  await p.goto(console_());
  await p.getByLabel('Role').selectOption(role);
  if (user) await p.getByLabel('User').fill(user);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('button', { name: 'Sign out' }).waitFor();
  return p;
}

/** The error shown beside a field, once the field is marked invalid (it describes the field). */
async function errorBeside(field: Locator): Promise<string> {
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ')[0]!;
  return field.page().locator(`[id="${describedBy}"]`).innerText();
}

async function expectAccessible(p: Page): Promise<void> {
  expect(await seriousViolations(p)).toEqual([]);
}

/** Staff action through the API: what the test needs to exist, not what it tests. */
async function call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const res = await client.api(method, path, { token: admin, body, ...(headers && { headers }) });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A gold, C5 client subscribed (with points) to `productCode`, or to nothing. */
async function aClient(customerId: string, phone: string, productCode?: string) {
  await call('PUT', `/admin/customers/${customerId}`, { phone, name: '王先生', assetsFen: 300_000_000, riskTolerance: 'C5' });
  await call('POST', `/admin/customers/${customerId}/points/adjustments`, { delta: 500, reason: 'welcome' }, { 'idempotency-key': `welcome-${customerId}` });
  if (productCode) await call('POST', `/admin/customers/${customerId}/redemptions`, { productCode }, { 'idempotency-key': `redeem-${customerId}` });
}

beforeAll(async () => {
  // Quiet hours off: a promotional message goes at once whatever the hour the tests run.
  [platform, chromium] = await Promise.all([startPlatformProcess({ QUIET_HOURS: '00:00-00:00', LOCAL_JWT_SECRET: JWT_SECRET }), launchChromium()]);
  admin = await client.token('admin');
  await call('POST', '/admin/products', { code: 'TIPS', name: '每日投资参考', kind: 'investment-tips', riskLevel: 'R2', pricing: { periodDays: 30, pointsPrice: 100 } });
  await call('POST', '/admin/products', { code: 'NEWS', name: '市场快讯', kind: 'general', riskLevel: 'R1' });
  await call('POST', '/admin/products', { code: 'VIP', name: '尊享佣金套餐', kind: 'commission-package', riskLevel: 'R1', pricing: { periodDays: 90 }, bundle: ['NEWS'], eligibleTiers: ['gold', 'platinum'] });
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await platform?.stop();
});

const test = (name: string, steps: () => Promise<void>) => it(name, () => withScreenshot(() => page, name, steps), 60_000);

describe('staff console', () => {
  test('Chinese by default, English with the switch; sign-in is accessible in both', async () => {
    const p = await newPage();
    await p.goto(`${platform.url}/console/`);
    await p.getByRole('heading', { name: '登录' }).waitFor();
    expect(await p.locator('html').getAttribute('lang')).toBe('zh-CN');
    await p.getByLabel('角色').waitFor();
    await expectAccessible(p);
    await p.getByRole('button', { name: 'English' }).click();
    await p.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(p.url()).searchParams.get('lang')).toBe('en');
    await p.getByLabel('Role').waitFor();
    await expectAccessible(p);
  });

  test('each role signs in and sees only the screens it may use', async () => {
    const expected: Record<Role, string[]> = {
      'product-manager': ['Products', 'Messages', 'Cases', 'Surveys', 'Outbox'],
      'service-agent': ['Products', 'Customers', 'Cases', 'Surveys', 'Outbox'],
      auditor: ['Products', 'Messages', 'Customers', 'Cases', 'Surveys', 'Audit', 'Outbox'],
      compliance: ['Products', 'Messages', 'Review', 'Cases', 'Surveys', 'Audit', 'Outbox'],
      admin: ['Products', 'Messages', 'Review', 'Customers', 'Cases', 'Surveys', 'Audit', 'Outbox'],
    };
    for (const [role, links] of Object.entries(expected) as Array<[Role, string[]]>) {
      const p = await signIn(role);
      const nav = p.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allInnerTexts(), role).toEqual(links);
      await p.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
      await p.getByRole('button', { name: 'Sign out' }).click();
      await p.getByRole('button', { name: 'Sign in' }).waitFor();
      await p.close();
    }
  });

  test('a product manager creates a product; refusals show the problem, per field', async () => {
    const p = await signIn('product-manager');
    await p.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    await expectAccessible(p);
    await p.getByRole('button', { name: 'New product' }).click();
    await p.getByLabel('Code').fill('FUND');
    await p.getByLabel('Name').fill('基金精选');
    await p.getByLabel('Kind').selectOption('general');
    await p.getByLabel('Risk level').selectOption('R3');
    await p.getByLabel('Points price').fill('80');
    await expectAccessible(p);
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByRole('heading', { name: '基金精选 (FUND)' }).waitFor();
    await p.getByLabel('SMS subscribes').waitFor();
    await expectAccessible(p);
    // Delist it, then rename it: the page follows each change.
    await p.getByRole('button', { name: 'Delist' }).click();
    await p.getByRole('button', { name: 'List', exact: true }).waitFor();
    await p.getByLabel('Name').fill('基金精选（新）');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByRole('heading', { name: '基金精选（新） (FUND)' }).waitFor();
    await p.getByText('Saved.').waitFor();
    await p.getByRole('link', { name: 'Products' }).click();
    await p.getByRole('link', { name: 'FUND' }).waitFor();

    // The same code again: the API's 409, its detail in the alert.
    await p.getByRole('button', { name: 'New product' }).click();
    await p.getByLabel('Code').fill('FUND');
    await p.getByLabel('Name').fill('again');
    await p.getByRole('button', { name: 'Save' }).click();
    await expect(p.getByRole('alert').innerText()).resolves.toContain('A product with code FUND already exists');
    // A code the API refuses: its message beside the Code field.
    await p.getByLabel('Code').fill('x');
    await p.getByRole('button', { name: 'Save' }).click();
    expect(await errorBeside(p.getByLabel('Code'))).toContain('must be 2–16 upper-case letters or digits');
  });

  test('a message is composed with live figures, waits for review, and goes once compliance approves', async () => {
    await aClient('C100', '+8613800138100', 'TIPS');

    const pm = await signIn('product-manager', 'li.pm');
    await pm.getByRole('link', { name: 'Messages' }).click();
    await pm.getByLabel('Status').waitFor();
    await expectAccessible(pm);
    await pm.getByRole('button', { name: 'New message' }).click();
    await pm.getByLabel('Product').selectOption('TIPS');
    const adviser = { name: '张三', registrationCode: 'S1234567890123' };
    await pm.getByLabel('Adviser name').fill(adviser.name);
    await pm.getByLabel('Registration code').fill(adviser.registrationCode);
    const expected = (body: string) => {
      const text = messageText({ body, smsType: 'Promotional', adviser }, SMS);
      return { text, segments: String(estimateSegments(text).segments), characters: String([...text].length) };
    };
    const short = '今日关注：半导体板块。';
    await pm.getByLabel('Message', { exact: true }).fill(short);
    await expect.poll(() => pm.getByLabel('Segments').innerText()).toBe(expected(short).segments);
    expect(await pm.getByLabel('Characters').innerText()).toBe(expected(short).characters);
    expect(await pm.getByLabel('Recipients').innerText()).toBe('—');
    expect(await pm.locator('figure.sms pre').innerText()).toBe(expected(short).text);
    // Longer: the figures follow the typing.
    const long = `${short}${'半导体设备国产化进程加快，关注龙头公司业绩。'.repeat(4)}`;
    await pm.getByLabel('Message', { exact: true }).fill(long);
    await expect.poll(() => pm.getByLabel('Segments').innerText()).toBe(expected(long).segments);
    expect(Number(expected(long).segments)).toBeGreaterThan(1);
    await expectAccessible(pm);
    await pm.getByRole('button', { name: 'Publish' }).click();
    await pm.getByRole('heading', { name: 'Message · TIPS' }).waitFor();
    await expect.poll(() => pm.getByLabel('Status').innerText()).toBe('Pending review');
    await expectAccessible(pm);

    const reviewer = await signIn('compliance', 'wang.compliance');
    await reviewer.getByRole('link', { name: 'Review' }).click();
    const item = reviewer.getByRole('article').filter({ hasText: expected(long).text });
    await item.getByRole('button', { name: 'Approve' }).waitFor();
    await expectAccessible(reviewer);
    await item.getByRole('button', { name: 'Approve' }).click();
    await reviewer.getByText('The decision is recorded.').waitFor();
    await expect.poll(() => item.count()).toBe(0);

    await pm.reload();
    await expect.poll(() => pm.getByLabel('Status').innerText()).toBe('Sent');
    expect(await pm.getByLabel('Recipients').innerText()).toBe('1');
    expect(await pm.getByLabel('Sent').innerText()).toBe('1');
    // The carrier stand-in's receipt came in before the approval answered.
    expect(await pm.getByLabel('Delivered').innerText()).toBe('1');
    expect(await pm.getByLabel('Awaiting receipt').innerText()).toBe('0');
    expect(await pm.getByLabel('Skipped').innerText()).toBe('0');
    expect(await pm.getByLabel('Failed').innerText()).toBe('0');
    await pm.getByRole('img', { name: 'Delivery funnel' }).waitFor();
    // Recipients by receipt: the one delivered recipient, listed under its state.
    await pm.getByRole('button', { name: 'Delivered (1)', pressed: true }).waitFor();
    await pm.getByRole('cell', { name: 'C100', exact: true }).waitFor();
    await pm.getByRole('button', { name: 'Undelivered (0)' }).click();
    await pm.getByText('Nobody in this state.').waitFor();
    await expectAccessible(pm);
    await pm.getByRole('cell', { name: 'wang.compliance' }).waitFor();
    const outbox = (await client.api('GET', '/local/sms/outbox?to=%2B8613800138100')).body as { items: Array<{ body: string }> };
    expect(outbox.items.map((i) => i.body)).toContain(expected(long).text);
  });

  test('a scheduled message can be cancelled before it goes', async () => {
    const pm = await signIn('product-manager');
    await pm.goto(`${console_()}#/messages/new?product=NEWS`);
    await pm.getByLabel('Message', { exact: true }).fill('周五收盘后系统维护，届时暂停交易提醒。');
    // Tomorrow, as the browser's clock (Asia/Shanghai) writes it in a datetime-local field.
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).replace(' ', 'T').slice(0, 16);
    await pm.getByLabel('Send at').fill(tomorrow);
    await pm.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => pm.getByLabel('Status').innerText()).toBe('Scheduled');
    await pm.getByRole('button', { name: 'Cancel sending' }).click();
    await pm.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect.poll(() => pm.getByLabel('Status').innerText()).toBe('Cancelled');
    await expect.poll(() => pm.getByRole('button', { name: 'Cancel sending' }).count()).toBe(0);
  });

  test('a service agent looks a client up, adjusts points (a double click applies once), grants and ends a package', async () => {
    await aClient('C200', '+8613800138200');
    const p = await signIn('service-agent');
    await p.getByRole('link', { name: 'Customers' }).click();
    await p.getByLabel('Customer ID').fill('C200');
    await p.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => p.getByLabel('Balance').innerText()).toBe('500');
    expect(await p.getByLabel('Tier').innerText()).toBe('Gold');
    await p.getByRole('button', { name: 'Adjust points' }).click();
    await p.getByLabel('Points', { exact: true }).fill('150');
    await p.getByLabel('Reason').fill('Goodwill');
    await p.getByLabel('Note').fill('Late alert');
    await expectAccessible(p);
    await p.getByRole('button', { name: 'Save' }).dblclick();
    await p.getByText('Points adjusted by +150; the balance is 650.').waitFor();
    await expect.poll(() => p.getByLabel('Balance').innerText()).toBe('650');
    await expect.poll(() => p.getByRole('cell', { name: 'Goodwill' }).count()).toBe(1);
    const ledger = (await call('GET', '/admin/customers/C200/points/ledger')) as { items: Array<{ reason: string }> };
    expect(ledger.items.filter((e) => e.reason === 'Goodwill')).toHaveLength(1);
    await expectAccessible(p);

    // A commission package (gold client): granted with its gift, then ended.
    await p.getByLabel('Package').selectOption('VIP');
    await p.getByRole('button', { name: 'Grant package' }).click();
    await p.getByRole('button', { name: 'End VIP' }).click();
    await p.getByRole('button', { name: 'Yes, end VIP' }).click();
    await p.getByText('No running package.').waitFor();
  });

  test('a service agent closes a complaint (texted to the client) and a suggestion with its bonus; the client page lists the SMS sent', async () => {
    const phone = '+8613800138400';
    await aClient('C400', phone);
    await client.text(phone, 'TS 昨天的行情提醒晚到了两个小时');
    await client.text(phone, 'JY 希望增加港股通的快讯');
    const cases = (await call('GET', '/admin/cases?status=open')) as { items: Array<{ caseId: string; kind: string; customerId: string }> };
    const caseOf = (kind: string) => cases.items.find((c) => c.customerId === 'C400' && c.kind === kind)!.caseId;
    const complaint = caseOf('complaint');
    const suggestion = caseOf('suggestion');

    const p = await signIn('service-agent', 'zhao.agent');
    await p.getByRole('link', { name: 'Cases' }).click();
    await p.getByLabel('Kind').selectOption('complaint');
    const row = p.getByRole('row').filter({ hasText: '昨天的行情提醒晚到了两个小时' });
    await row.getByRole('link', { name: complaint }).waitFor();
    expect(await p.getByRole('row').filter({ hasText: '希望增加港股通的快讯' }).count()).toBe(0);
    await expectAccessible(p);
    await row.getByRole('link', { name: complaint }).click();
    await p.getByRole('heading', { name: `Case ${complaint}` }).waitFor();
    await p.getByText('The resolution is texted to the client.').waitFor();
    await expectAccessible(p);
    // No resolution: refused beside the field, before the API is asked.
    await p.getByRole('button', { name: 'Close case' }).click();
    expect(await errorBeside(p.getByLabel('Resolution'))).toBe('Required');
    const resolution = '行情提醒延迟系运营商通道拥堵，已切换备用通道。';
    await p.getByLabel('Resolution').fill(resolution);
    await p.getByRole('button', { name: 'Close case' }).click();
    await p.getByText('The case is closed.').waitFor();
    await p.getByText('Texted to the client', { exact: true }).waitFor();
    await expect.poll(() => p.getByRole('button', { name: 'Close case' }).count()).toBe(0);
    expect((await client.outbox(phone)).map((sms) => sms.body).join('\n')).toContain(resolution);

    // A suggestion: closed with the bonus, credited to the client's points.
    await p.goto(`${console_()}#/cases/${suggestion}`);
    await p.getByLabel('Resolution').fill('已采纳，下月上线港股通快讯。');
    await p.getByLabel('Award suggestion bonus').check();
    await p.getByRole('button', { name: 'Close case' }).click();
    await p.getByText('The case is closed.').waitFor();
    await p.getByText('200 points', { exact: true }).waitFor();

    // The client's page: the balance with the bonus, and every SMS sent with its receipt.
    await p.getByRole('link', { name: 'C400' }).click();
    await expect.poll(() => p.getByLabel('Balance').innerText()).toBe('700');
    await p.getByRole('heading', { name: 'SMS sent to the client' }).waitFor();
    const sent = p.getByRole('table', { name: 'SMS sent to the client' });
    const resolved = sent.getByRole('row').filter({ hasText: resolution });
    await resolved.waitFor();
    expect(await resolved.innerText()).toContain('Delivered');
    await sent.getByRole('row').filter({ hasText: `您的投诉已受理，编号${complaint}` }).waitFor();
    // ... and the client's cases, both closed now, each linking to its page.
    const theirs = p.getByRole('table', { name: "The client's cases" });
    await theirs.getByRole('row').filter({ hasText: '希望增加港股通的快讯' }).waitFor();
    expect(await theirs.getByRole('row').filter({ hasText: '昨天的行情提醒晚到了两个小时' }).innerText()).toContain('Closed');
    await theirs.getByRole('link', { name: suggestion }).waitFor();
    await expectAccessible(p);
  });

  test('a product manager sends a survey (a content rule shows beside the question) and reads its results; products show feedback and the average', async () => {
    await call('POST', '/admin/products', { code: 'SURV', name: '调查样例', kind: 'general', riskLevel: 'R1' });
    const phone = '+8613800138500';
    await aClient('C500', phone);
    await client.text(phone, 'DY SURV');

    const p = await signIn('product-manager');
    await p.getByRole('link', { name: 'Surveys' }).click();
    await p.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
    await expectAccessible(p);
    await p.getByRole('button', { name: 'New survey' }).click();
    await p.getByLabel('Product').selectOption('SURV');
    await p.getByLabel('Question').fill('本产品保证收益，您满意吗？');
    await p.getByLabel('Window (hours)').fill('48');
    await p.getByRole('button', { name: 'Send survey' }).click();
    const question = p.getByLabel('Question');
    expect(await errorBeside(question)).toContain('Breaks a content rule: 「保证收益」');
    await expectAccessible(p);

    await question.fill('您对调查样例满意吗？');
    await p.getByRole('button', { name: 'Send survey' }).click();
    await p.getByRole('heading', { name: 'Survey · SURV' }).waitFor();
    await expect.poll(() => p.getByLabel('Sent').innerText()).toBe('1');
    expect(await p.getByLabel('Responses').innerText()).toBe('0');
    expect(await p.getByLabel('Average score').innerText()).toBe('—');
    expect((await client.outbox(phone)).at(-1)?.body).toContain('您对调查样例满意吗？');

    // The client answers 2 (a follow-up case) and leaves feedback; the open page picks it up.
    await client.text(phone, '2');
    await client.text(phone, 'FK SURV 内容还可以更及时');
    await expect.poll(() => p.getByLabel('Responses').innerText(), { timeout: 10_000 }).toBe('1');
    expect(await p.getByLabel('Response rate').innerText()).toBe('100%');
    expect(await p.getByLabel('Average score').innerText()).toBe('2.00');
    const chart = p.getByRole('img', { name: 'Score distribution' });
    expect(await chart.getAttribute('aria-describedby')).toBeTruthy();
    expect(await p.locator(`[id="${await chart.getAttribute('aria-describedby')}"]`).textContent()).toBe('Score 5: 0; Score 4: 0; Score 3: 0; Score 2: 1; Score 1: 0');
    await expectAccessible(p);

    // The products list: subscribers, feedback cases and the latest survey's average, linked to its results.
    await p.getByRole('link', { name: 'Products' }).click();
    const product = p.getByRole('row').filter({ has: p.getByRole('link', { name: 'SURV' }) });
    await expect.poll(() => product.getByRole('cell').nth(8).innerText()).toBe('1');
    expect(await product.getByRole('cell').nth(7).innerText()).toBe('1');
    expect(await product.getByRole('cell').nth(9).innerText()).toBe('2.00');

    // Product managers read feedback only: not the follow-up the score opened.
    await p.getByRole('link', { name: 'Cases' }).click();
    await p.getByText('Product managers see feedback cases only.').waitFor();
    await p.getByRole('cell', { name: '内容还可以更及时' }).waitFor();
    expect(await p.getByRole('cell', { name: 'Score 2' }).count()).toBe(0);
    await expectAccessible(p);
    // And they open the feedback they list (its page, without the close form).
    await p.getByRole('row').filter({ has: p.getByRole('cell', { name: '内容还可以更及时' }) }).getByRole('link').first().click();
    await p.getByRole('heading', { name: /^Case / }).waitFor();
    await p.getByText('内容还可以更及时').first().waitFor();
    expect(await p.getByRole('alert').count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Close case' }).count()).toBe(0);

    // The surveys screen lists every survey sent, newest first, each linked to its results.
    await p.getByRole('link', { name: 'Surveys' }).click();
    const all = p.getByRole('table', { name: 'All surveys, newest first' });
    const sent = all.getByRole('row').filter({ has: p.getByRole('cell', { name: '您对调查样例满意吗？' }) });
    await expect.poll(() => sent.getByRole('cell').nth(3).innerText()).toBe('Open');
    await sent.getByRole('link', { name: 'Results' }).click();
    await p.getByRole('heading', { name: 'Survey · SURV' }).waitFor();
    await expectAccessible(p);
  });

  test('deployed sign-in: Hosted UI with the authorization code and PKCE, the ID token to the API, sign-out through Cognito', async () => {
    const hosted = await startFakeHostedUi({ platformUrl: platform.url, jwtSecret: JWT_SECRET, role: 'compliance', user: 'hosted.reviewer' });
    try {
      const p = await newPage();
      await p.goto(`${hosted.url}/?lang=en`);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('link', { name: 'Review' }).waitFor();
      expect(hosted.exchanges).toEqual([{ clientId: 'console-client', codeVerifierMatched: true, redirectUri: `${hosted.url}/` }]);
      // The code and state leave the address bar; the language stays.
      expect(new URL(p.url()).search).toBe('?lang=en');
      await p.getByText('hosted.reviewer · Compliance').waitFor();
      await p.getByRole('link', { name: 'TIPS' }).waitFor();
      await p.getByRole('button', { name: 'Sign out' }).click();
      // Back from Cognito's logout, still in English.
      await p.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(hosted.signOuts).toBe(1);
    } finally {
      await hosted.stop();
    }
  });

  test('a 403 says what the role may not do; a 401 goes back to sign-in', async () => {
    const p = await signIn('auditor');
    await p.goto(`${console_()}#/products/new`);
    await p.getByLabel('Code').fill('NOPE');
    await p.getByLabel('Name').fill('not allowed');
    await p.getByRole('button', { name: 'Save' }).click();
    await expect(p.getByRole('alert').innerText()).resolves.toContain('The Auditor role may not change products.');

    // A token the API does not accept (its signature is wrong): the console returns to sign-in.
    const claims = Buffer.from(JSON.stringify({ 'cognito:groups': ['admin'], 'cognito:username': 'mallory', exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    const forged = `eyJhbGciOiJIUzI1NiJ9.${claims}.c2lnbmF0dXJl`;
    await p.evaluate((token) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('console.session', token), forged);
    await p.goto(`${console_()}#/products`);
    await p.reload();
    await p.getByText('Your session has ended. Please sign in again.').waitFor();
    await p.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  test('the outbox shows the newest SMS first and updates while it is open', async () => {
    await aClient('C300', '+8613800138300');
    const p = await signIn('admin');
    await p.getByRole('link', { name: 'Outbox' }).click();
    await p.getByRole('heading', { name: 'Outbox' }).waitFor();
    await expectAccessible(p);
    await client.text('+8613800138300', 'JF');
    const firstRow = p.getByRole('row').nth(1);
    await expect.poll(() => firstRow.innerText(), { timeout: 10_000 }).toContain('+8613800138300');
    // Then its receipt (a refresh may have come between the send and the receipt).
    await expect.poll(() => firstRow.innerText(), { timeout: 10_000 }).toContain('Delivered');
  });

  test('the audit log filters by entity', async () => {
    await call('POST', '/admin/products', { code: 'LOG1', name: '审计样例', kind: 'general', riskLevel: 'R1' });
    const p = await signIn('auditor');
    await p.getByRole('link', { name: 'Audit' }).click();
    await p.getByLabel('Entity').fill('LOG1');
    await p.getByRole('button', { name: 'Filter' }).click();
    // The unfiltered page (every recent change) gives way to the one record of LOG1.
    await expect.poll(() => p.getByRole('cell', { name: 'product.created' }).count()).toBe(1);
    expect(await p.getByRole('cell', { name: 'LOG1', exact: true }).count()).toBe(1);
    await expectAccessible(p);
  });

  test('the audit log shows older records a page at a time, each once', async () => {
    await call('POST', '/admin/products', { code: 'LOG2', name: '审计分页', kind: 'general', riskLevel: 'R1' });
    for (let i = 1; i <= 55; i++) await call('PATCH', '/admin/products/LOG2', { description: `第${i}版` });
    const p = await signIn('auditor');
    await p.getByRole('link', { name: 'Audit' }).click();
    await p.getByLabel('Entity').fill('LOG2');
    await p.getByRole('button', { name: 'Filter' }).click();
    const rows = p.getByRole('row').filter({ has: p.getByRole('cell', { name: 'LOG2', exact: true }) });
    await expect.poll(() => rows.count()).toBe(50);
    await p.getByRole('button', { name: 'Older records' }).click();
    await expect.poll(() => rows.count()).toBe(56);
    expect(await p.getByRole('cell', { name: 'product.created' }).count()).toBe(1);
    expect(await p.getByRole('button', { name: 'Older records' }).count()).toBe(0);
  });
});
