/**
 * `npm run docs:examples`: records one real request and response for every route of the admin
 * API, by running the steps below against the local platform started in this process (DynamoDB
 * Local, the same handlers as `npm start`), writes them to docs/examples/<operationId>.json, then
 * renders the generated pages (`npm run docs`). `-- --only op1,op2` rewrites only those examples.
 *
 * A new route needs a step here (`record('<operationId>', ...)`); test/unit/docs.test.ts fails
 * until every operation of the OpenAPI document has its example.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../packages/core/index.ts';
import type { Example } from './docs.ts';

// Before the platform's modules load: the logger reads its level when it is created.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USERS: Record<Role, string> = { 'product-manager': 'pm.wang', 'service-agent': 'agent.zhao', compliance: 'compliance.li', auditor: 'auditor.chen', admin: 'admin' };

interface Call {
  role?: Role;
  method: Example['request']['method'];
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A client of the platform at `url` that keeps, per operation, the request and its answer. */
export function recorder(url: string) {
  const tokens = new Map<Role, string>();
  const recorded = new Map<string, Example>();

  async function token(role: Role): Promise<string> {
    if (!tokens.has(role)) {
      const res = await fetch(`${url}/local/dev-token?role=${role}&user=${USERS[role]}`);
      tokens.set(role, ((await res.json()) as { token: string }).token);
    }
    return tokens.get(role)!;
  }

  /** Calls the platform; a status outside 2xx is an error (a step that no longer works). */
  async function call(request: Call): Promise<{ status: number; body: any }> {
    const query = request.query && Object.keys(request.query).length ? `?${new URLSearchParams(request.query).toString()}` : '';
    const res = await fetch(`${url}${request.path}${query}`, {
      method: request.method,
      headers: {
        ...(request.role && { authorization: `Bearer ${await token(request.role)}` }),
        ...(request.body !== undefined && { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    });
    const text = await res.text();
    const body = text ? JSON.parse(text) : undefined;
    if (res.status < 200 || res.status > 299) throw new Error(`${request.method} ${request.path}${query} answered ${res.status}: ${text}`);
    return { status: res.status, body };
  }

  /** Calls the platform and keeps the exchange as the example of `operationId`. */
  async function record(operationId: string, request: Call, trim?: (body: any) => { body: unknown; excerpt: string }): Promise<any> {
    const { status, body } = await call(request);
    const shown = trim ? trim(body) : { body };
    recorded.set(operationId, {
      operationId,
      ...(request.role && { role: request.role }),
      request: {
        method: request.method,
        path: request.path,
        ...(request.query && { query: request.query }),
        ...(request.headers && { headers: request.headers }),
        ...(request.body !== undefined && { body: request.body }),
      },
      response: { status, ...(shown.body !== undefined && { body: shown.body }), ...('excerpt' in shown && { excerpt: shown.excerpt }) },
    });
    return body;
  }

  return { call, record, recorded };
}

const pm = 'product-manager' as const;
const agent = 'service-agent' as const;

/** The steps: a small brokerage's day, each route called once where it shows best. */
export async function recordExamples(url: string, clock: { weekdayMorning: () => Promise<void> }): Promise<Map<string, Example>> {
  const { call, record, recorded } = recorder(url);
  // On a trading morning in Shanghai, so that broadcasts go at once (not held by quiet hours).
  await clock.weekdayMorning();
  /** The platform's clock (ticked ahead of the real one). */
  const now = async () => new Date(((await call({ method: 'GET', path: '/local/clock' })).body as { now: string }).now);
  const text = (from: string, body: string) => call({ method: 'POST', path: '/local/sms/inbound', body: { from, text: body } });
  const event = (source: string, detailType: string, detail: object) => call({ method: 'POST', path: '/local/events', body: { source, 'detail-type': detailType, detail } });

  // Products of every kind.
  await record('createProduct', {
    role: pm,
    method: 'POST',
    path: '/admin/products',
    body: { code: 'TIPS', name: '每日投资参考', kind: 'investment-tips', riskLevel: 'R3', pricing: { periodDays: 30, priceFen: 3000, pointsPrice: 300 }, description: '交易日开盘前的市场要点' },
  });
  await call({ role: pm, method: 'POST', path: '/admin/products', body: { code: 'NEWS', name: '财经早报', kind: 'general', riskLevel: 'R1' } });
  await call({ role: pm, method: 'POST', path: '/admin/products', body: { code: 'ALERTS', name: '账户变动提醒', kind: 'account-alerts', riskLevel: 'R1', pricing: { periodDays: 30, priceFen: 500, pointsPrice: 50 } } });
  await call({ role: pm, method: 'POST', path: '/admin/products', body: { code: 'IPO', name: '新股申购提醒', kind: 'ipo-reminders', riskLevel: 'R1' } });
  await call({
    role: pm,
    method: 'POST',
    path: '/admin/products',
    body: { code: 'VIP', name: '金卡佣金增值包', kind: 'commission-package', riskLevel: 'R3', pricing: { periodDays: 365, priceFen: 200000 }, eligibleTiers: ['gold', 'platinum'], bundle: ['TIPS', 'ALERTS', 'IPO'] },
  });
  await call({ role: pm, method: 'POST', path: '/admin/products', body: { code: 'WEEKLY', name: '周末精选', kind: 'general', riskLevel: 'R1' } });
  await record('updateProduct', { role: pm, method: 'PATCH', path: '/admin/products/NEWS', body: { description: '每个交易日早上的财经要闻', smsType: 'Promotional' } });
  await record('setProductListing', { role: pm, method: 'POST', path: '/admin/products/WEEKLY/listing', body: { listed: false } });
  await record('getProduct', { role: agent, method: 'GET', path: '/admin/products/VIP' });
  await record('listProducts', { role: agent, method: 'GET', path: '/admin/products' });

  // Clients of every tier; they subscribe by SMS and earn points from their commissions.
  await record('putCustomer', {
    role: agent,
    method: 'PUT',
    path: '/admin/customers/C1001',
    body: { phone: '138 0000 1001', name: '李雷', assetsFen: 80_000_000, riskTolerance: 'C3', openedAt: '2019-03-15' },
  });
  await call({ role: agent, method: 'PUT', path: '/admin/customers/C1002', body: { phone: '13800001002', name: '韩梅梅', assetsFen: 300_000_000, riskTolerance: 'C4', openedAt: '2016-09-01' } });
  await call({ role: agent, method: 'PUT', path: '/admin/customers/C1003', body: { phone: '13800001003', name: '王芳', assetsFen: 5_000_000, riskTolerance: 'C2' } });
  await call({ role: agent, method: 'PUT', path: '/admin/customers/C1004', body: { phone: '13800001004', name: '陈刚', assetsFen: 1_500_000_000, riskTolerance: 'C5', language: 'en' } });
  for (const [from, words] of [['13800001001', ['DY NEWS', 'DY IPO']], ['13800001002', ['DY NEWS']]] as const) for (const w of words) await text(from, w);
  await event('trading', 'CommissionCharged', { customerId: 'C1001', tradeId: 'T-20261125-0001', commissionFen: 300_000, at: (await now()).toISOString() });
  await event('trading', 'CommissionCharged', { customerId: 'C1003', tradeId: 'T-20261125-0002', commissionFen: 600_000, at: (await now()).toISOString() });

  await record('adjustPoints', {
    role: agent,
    method: 'POST',
    path: '/admin/customers/C1001/points/adjustments',
    headers: { 'Idempotency-Key': 'adj-C1001-suggestion-1' },
    body: { reason: 'suggestion', note: '建议增加港股通提醒' },
  });
  await record('redeemWithPoints', { role: agent, method: 'POST', path: '/admin/customers/C1001/redemptions', headers: { 'Idempotency-Key': 'redeem-C1001-ALERTS-1' }, body: { productCode: 'ALERTS' } });
  await record('upgradeTier', { role: agent, method: 'POST', path: '/admin/customers/C1003/tier-upgrades', headers: { 'Idempotency-Key': 'upgrade-C1003-1' }, body: {} });
  await record('listPointsLedger', { role: agent, method: 'GET', path: '/admin/customers/C1001/points/ledger', query: { limit: '10' } });
  await record('grantPackage', { role: agent, method: 'POST', path: '/admin/customers/C1002/packages', body: { productCode: 'VIP' } });
  await call({ role: agent, method: 'POST', path: '/admin/customers/C1004/packages', body: { productCode: 'VIP' } });
  await record('endPackage', { role: agent, method: 'DELETE', path: '/admin/customers/C1004/packages/VIP' });
  await record('getCustomer', { role: agent, method: 'GET', path: '/admin/customers/C1001' });

  // Messages: a broadcast now, an account alert, investment tips through review, one scheduled, edited and cancelled.
  const news = await record('publishMessage', { role: pm, method: 'POST', path: '/admin/messages', body: { productCode: 'NEWS', body: '沪指高开0.3%，半导体板块领涨。' } });
  await record('getMessage', { role: pm, method: 'GET', path: `/admin/messages/${news.messageId}` });
  await record('listMessageRecipients', { role: pm, method: 'GET', path: `/admin/messages/${news.messageId}/recipients` });
  await event('trading', 'AccountEvent', { customerId: 'C1001', eventId: 'AE-20261125-0001', type: 'trade-filled', data: { stockCode: '600519', side: 'buy', quantity: 100 }, at: (await now()).toISOString() });
  const tips = await call({
    role: pm,
    method: 'POST',
    path: '/admin/messages',
    body: { productCode: 'TIPS', body: '关注半导体设备国产化进展，留意回调后的布局机会。', adviser: { name: '张伟', registrationCode: 'S0000000000001' } },
  });
  await record('reviewMessage', { role: 'compliance', method: 'POST', path: `/admin/messages/${tips.body.messageId}/reviews`, body: { decision: 'approve', note: '无承诺收益表述' } });
  const tomorrow = new Date((await now()).getTime() + 86_400_000);
  const later = await call({ role: pm, method: 'POST', path: '/admin/messages', body: { productCode: 'NEWS', body: '明日收盘后发布月度策略。', sendAt: tomorrow.toISOString() } });
  await record('editMessage', { role: pm, method: 'PATCH', path: `/admin/messages/${later.body.messageId}`, body: { body: '明日收盘后发布月度策略，敬请关注。' } });
  await record('cancelMessage', { role: pm, method: 'DELETE', path: `/admin/messages/${later.body.messageId}` });

  // Cases from clients' SMS (FK, JY, TS), a satisfaction survey whose low score opens a follow-up, a complaint closed.
  await text('13800001001', 'FK NEWS 早报很及时，希望加上港股要闻');
  await text('13800001002', 'JY 希望增加港股通额度提醒');
  await text('13800001003', 'TS 昨天的成交提醒晚了半小时才收到');
  const survey = await record('createSurvey', { role: pm, method: 'POST', path: '/admin/surveys', body: { productCode: 'NEWS', question: '您对财经早报的内容满意吗？', windowHours: 72 } });
  await text('13800001001', '5');
  await text('13800001002', '2');
  await record('getSurvey', { role: pm, method: 'GET', path: `/admin/surveys/${survey.surveyId}` });
  await record('listSurveys', { role: pm, method: 'GET', path: '/admin/surveys', query: { productCode: 'NEWS' } });
  const cases = await record('listCases', { role: agent, method: 'GET', path: '/admin/cases', query: { status: 'open' } });
  const complaint = (cases.items as Array<{ caseId: string; kind: string }>).find((c) => c.kind === 'complaint')!;
  await record('getCase', { role: agent, method: 'GET', path: `/admin/cases/${complaint.caseId}` });
  await record('closeCase', { role: agent, method: 'POST', path: `/admin/cases/${complaint.caseId}/close`, body: { resolution: '经核实为短信通道延迟，已切换备用通道，给您带来不便深表歉意。' } });
  await record('listMessages', { role: pm, method: 'GET', path: '/admin/messages', query: { limit: '3' } });

  await record('listCustomerMessages', { role: agent, method: 'GET', path: '/admin/customers/C1001/messages', query: { limit: '5' } });
  await record('getProductStats', { role: pm, method: 'GET', path: '/admin/products/NEWS/stats' });
  await record('listConsents', { role: agent, method: 'GET', path: '/admin/consents', query: { phone: '13800001001' } });
  await record('listAudit', { role: 'auditor', method: 'GET', path: '/admin/audit', query: { entity: 'C1001', limit: '3' } });
  await record('getOpenApiDocument', { method: 'GET', path: '/openapi.json' }, (document) => {
    const [first, ops] = Object.entries(document.paths as Record<string, Record<string, { operationId: string; summary: string }>>)[0]!;
    const paths = { [first]: Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, { operationId: op.operationId, summary: op.summary }])) };
    return { body: { openapi: document.openapi, info: document.info, servers: document.servers, security: document.security, paths }, excerpt: 'only the first path, each operation with its operationId and summary; no components' };
  });
  return recorded;
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only') ? new Set(process.argv[process.argv.indexOf('--only') + 1]?.split(',')) : undefined;
  const { startLocalPlatform } = await import('../packages/local/index.ts');
  const { addCalendarDays, localDate, zonedTime } = await import('../packages/core/index.ts');
  const { adminApiDocument } = await import('./console-api.ts');
  const { EXAMPLES_DIR, exampleFile, operations, writeGeneratedDocs } = await import('./docs.ts');
  const platform = await startLocalPlatform({ port: 0 });
  try {
    const clock = {
      async weekdayMorning() {
        const now = new Date(((await (await fetch(`${platform.url}/local/clock`)).json()) as { now: string }).now);
        for (let day = localDate(now, 'Asia/Shanghai'); ; day = addCalendarDays(day, 1)) {
          const at = zonedTime(day, 10, 0, 'Asia/Shanghai');
          if (at > now && at.getUTCDay() >= 1 && at.getUTCDay() <= 5) {
            await fetch(`${platform.url}/local/scheduler/tick`, { method: 'POST', body: JSON.stringify({ now: at.toISOString() }) });
            return;
          }
        }
      },
    };
    const recorded = await recordExamples(platform.url, clock);
    const missing = operations((await adminApiDocument()) as Parameters<typeof operations>[0]).filter(({ op }) => !recorded.has(op.operationId));
    for (const example of recorded.values()) {
      if (only && !only.has(example.operationId)) continue;
      writeFileSync(path.join(EXAMPLES_DIR, `${example.operationId}.json`), exampleFile(example));
    }
    console.log(`recorded ${only ? [...only].filter((id) => recorded.has(id)).length : recorded.size} examples in ${path.relative(process.cwd(), EXAMPLES_DIR)}`);
    if (missing.length) console.error(`No step records ${missing.map(({ op }) => op.operationId).join(', ')}: add one to scripts/docs-examples.ts`);
    await writeGeneratedDocs();
    if (missing.length) process.exitCode = 1;
  } finally {
    await platform.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
