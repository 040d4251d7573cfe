/**
 * `npx tsx scripts/console-screenshots.ts`: the README's console screenshots (docs/console-*.png),
 * in Chinese, the console's default. Starts `npm start`, adds a few products and clients through
 * the API, writes a message in the console and has compliance approve it. Needs Chromium and
 * the CJK font (fonts-wqy-microhei), as the browser tests do.
 */
import path from 'node:path';
import { launchChromium } from '../test/support/browser.ts';
import { platformClient } from '../test/support/client.ts';
import { startPlatformProcess } from '../test/support/platform.ts';

const DOCS = path.resolve(import.meta.dirname, '../docs');

const platform = await startPlatformProcess({ QUIET_HOURS: '00:00-00:00' });
const chromium = await launchChromium();
try {
  const client = platformClient(() => platform);
  const admin = await client.token('admin');
  const call = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await client.api(method, url, { token: admin, body, ...(headers && { headers }) });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await call('POST', '/admin/products', { code: 'TIPS', name: '每日投资参考', kind: 'investment-tips', riskLevel: 'R2', pricing: { periodDays: 30, pointsPrice: 100 } });
  await call('POST', '/admin/products', { code: 'IPO', name: '新股申购提醒', kind: 'ipo-reminders', riskLevel: 'R1' });
  for (let i = 1; i <= 4; i++) {
    const id = `C00${i}`;
    await call('PUT', `/admin/customers/${id}`, { phone: `+861380013800${i}`, assetsFen: 300_000_000, riskTolerance: 'C4' });
    await call('POST', `/admin/customers/${id}/points/adjustments`, { delta: 500, reason: '开户礼' }, { 'idempotency-key': `gift-${id}` });
    await call('POST', `/admin/customers/${id}/redemptions`, { productCode: 'TIPS' }, { 'idempotency-key': `tips-${id}` });
  }
  // One client opts out: the funnel shows a skipped recipient with its reason.
  await fetch(`${platform.url}/local/sms/inbound`, { method: 'POST', body: JSON.stringify({ from: '+8613800138004', text: 'TD' }) });

  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1200, height: 720 });
  await page.goto(`${platform.url}/console/`);
  await page.getByLabel('角色').selectOption('product-manager');
  await page.getByLabel('用户名').fill('li.pm');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '消息' }).click();
  await page.getByRole('button', { name: '新建消息' }).click();
  await page.getByLabel('产品').selectOption('TIPS');
  await page.getByLabel('正文').fill('今日关注：半导体设备国产化进程加快，关注龙头公司的订单与业绩兑现情况。');
  await page.getByLabel('投资顾问姓名').fill('张三');
  await page.getByLabel('执业编号').fill('S1234567890123');
  await page.screenshot({ path: path.join(DOCS, 'console-compose.png') });
  await page.getByRole('button', { name: '发布' }).click();
  await page.getByRole('heading', { name: '消息 · TIPS' }).waitFor();

  const compliance = await client.token('compliance');
  const pending = (await client.api('GET', '/admin/messages?status=pending-review', { token: compliance })).body as { items: Array<{ messageId: string }> };
  await client.api('POST', `/admin/messages/${pending.items[0]!.messageId}/reviews`, { token: compliance, body: { decision: 'approve', note: '内容合规' } });
  await page.reload();
  await page.getByText('已发送').first().waitFor();
  await page.screenshot({ path: path.join(DOCS, 'console-message.png'), fullPage: true });
  console.log(`written ${path.relative(process.cwd(), DOCS)}/console-compose.png, console-message.png`);
} finally {
  await chromium.close();
  await platform.stop();
}
