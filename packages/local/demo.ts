import { addCalendarDays, localDate, zonedTime, type Role } from '../core/index.ts';

/**
 * The demo data set (`npm start -- --demo`, `npm run demo`): a small brokerage loaded through the
 * public HTTP API only (the admin API with dev tokens, POST /local/sms/inbound, /local/events), as
 * a user's script would. Loading it again changes nothing: products, customers and messages are
 * read before they are created, points move under idempotency keys, trade and event ids, and each
 * SMS carries its own inboundMessageId (the same id again is a redelivery).
 */

const SH = 'Asia/Shanghai';
const ADVISER = { name: '张伟', registrationCode: 'S0000000000001' };

export const DEMO_PRODUCTS = [
  { code: 'NEWS', name: '财经早报', kind: 'general', riskLevel: 'R1', description: '每个交易日早上的财经要闻', smsType: 'Promotional' },
  { code: 'TIPS', name: '每日投资参考', kind: 'investment-tips', riskLevel: 'R3', pricing: { periodDays: 30, priceFen: 3000, pointsPrice: 300 }, description: '交易日开盘前的市场要点与操作建议' },
  { code: 'ALERTS', name: '账户变动提醒', kind: 'account-alerts', riskLevel: 'R1', pricing: { periodDays: 30, priceFen: 500, pointsPrice: 50 } },
  { code: 'IPO', name: '新股申购提醒', kind: 'ipo-reminders', riskLevel: 'R1' },
  { code: 'VIP', name: '金卡佣金增值包', kind: 'commission-package', riskLevel: 'R3', pricing: { periodDays: 365, priceFen: 200000 }, eligibleTiers: ['gold', 'platinum'], bundle: ['TIPS', 'ALERTS', 'IPO'] },
] as const;

/** One client of each tier (by assets: 20万, 80万, 350万, 1200万 yuan), one reading English. */
export const DEMO_CUSTOMERS = [
  { customerId: 'D001', phone: '13800002001', name: '王小明', assetsFen: 20_000_000, riskTolerance: 'C2', openedAt: '2023-05-10', referrerId: 'D003' },
  { customerId: 'D002', phone: '13800002002', name: '李娜', assetsFen: 80_000_000, riskTolerance: 'C3', openedAt: '2020-08-18' },
  { customerId: 'D003', phone: '13800002003', name: '张建国', assetsFen: 350_000_000, riskTolerance: 'C4', openedAt: '2015-03-02' },
  { customerId: 'D004', phone: '13800002004', name: 'Chen Wei', assetsFen: 1_200_000_000, riskTolerance: 'C5', openedAt: '2012-11-20', language: 'en' },
] as const;

/** What each client texts, in order (the ids make a second load a redelivery): subscriptions, a purchase with points, feedback and a complaint. */
const TEXTS: Array<[customerId: string, text: string]> = [
  ['D001', 'DY NEWS'],
  ['D001', 'DY IPO'],
  ['D002', 'DY NEWS'],
  ['D002', 'DH TIPS'],
  ['D002', 'Y'],
  ['D003', 'DY NEWS'],
  ['D004', 'SUBSCRIBE NEWS'],
  ['D004', 'SUBSCRIBE IPO'],
  ['D002', 'FK NEWS 早报很及时，希望加上港股要闻'],
  ['D001', 'TS 昨天的成交回报短信晚了半小时才收到'],
];

/** The satisfaction survey of the account alerts (transactional: it goes at once, at any hour), and its answers. */
const SURVEY = { productCode: 'ALERTS', question: '您对账户变动提醒的及时性满意吗？' } as const;
const SCORES: Array<[customerId: string, score: string]> = [
  ['D003', '5'],
  ['D004', '2'],
];

const COMMISSIONS: Array<[customerId: string, commissionFen: number]> = [
  ['D001', 50_000],
  ['D002', 800_000],
  ['D003', 1_500_000],
  ['D004', 3_000_000],
];

class DemoError extends Error {
  override name = 'DemoError';
}

/** The platform at `url`, over HTTP, with a dev token per role. */
function client(url: string) {
  const tokens = new Map<Role, string>();
  async function token(role: Role): Promise<string> {
    if (!tokens.has(role)) {
      const res = await fetch(`${url}/local/dev-token?role=${role}&user=${role === 'compliance' ? 'compliance.demo' : 'pm.demo'}`);
      if (!res.ok) throw new DemoError(`${url} gave no dev token (${res.status}): is it the local platform (npm start)?`);
      tokens.set(role, ((await res.json()) as { token: string }).token);
    }
    return tokens.get(role)!;
  }
  /** One request; `allow` lists the non-2xx statuses the caller handles (e.g. 404 when looking first). */
  async function request(method: string, path: string, options: { role?: Role; body?: unknown; headers?: Record<string, string>; allow?: number[] } = {}) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(options.role && { authorization: `Bearer ${await token(options.role)}` }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await res.text();
    if (!res.ok && !options.allow?.includes(res.status)) throw new DemoError(`${method} ${path} answered ${res.status}: ${text}`);
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
  }
  return { request };
}

export interface DemoResult {
  /** What this load created or changed (empty on a second load). */
  created: string[];
  /** Shell commands to try next, each after its comment line. */
  tryNext: string[];
}

/** Loads the demo data into the platform at `url`; `log` gets one line per step that changed something, then what to try next. */
export async function loadDemo(url: string, log: (line: string) => void = () => undefined): Promise<DemoResult> {
  const { request } = client(url);
  const created: string[] = [];
  const did = (what: string) => {
    created.push(what);
    log(`  ${what}`);
  };
  const pm = 'product-manager' as const;
  const agent = 'service-agent' as const;
  const clock = async () => new Date(((await request('GET', '/local/clock')).body as { now: string }).now);

  for (const product of DEMO_PRODUCTS) {
    if ((await request('GET', `/admin/products/${product.code}`, { role: pm, allow: [404] })).status === 404) {
      await request('POST', '/admin/products', { role: pm, body: product });
      did(`product ${product.code} (${product.kind})`);
    }
  }
  for (const { customerId, ...customer } of DEMO_CUSTOMERS) {
    if ((await request('GET', `/admin/customers/${customerId}`, { role: agent, allow: [404] })).status === 404) {
      const stored = await request('PUT', `/admin/customers/${customerId}`, { role: agent, body: customer });
      did(`customer ${customerId} ${customer.name} (${(stored.body as { tier: string }).tier})`);
    }
  }
  const at = (await clock()).toISOString();
  const events = async (source: string, detailType: string, detail: object) => void (await request('POST', '/local/events', { body: { source, 'detail-type': detailType, detail } }));
  // Points first (commission, a referral), so that the SMS purchase with points below succeeds.
  const ledgerBefore = await ledgerSizes(request);
  const casesBefore = await caseCount(request);
  for (const [customerId, commissionFen] of COMMISSIONS) await events('trading', 'CommissionCharged', { customerId, tradeId: `DEMO-TRADE-${customerId}`, commissionFen, at });
  await events('crm', 'CustomerReferred', { referrerId: 'D003', referredId: 'D001', at });
  await request('POST', '/admin/customers/D002/points/adjustments', { role: agent, headers: { 'Idempotency-Key': 'demo-D002-suggestion' }, body: { reason: 'suggestion', note: '建议增加港股通提醒' } });
  await request('POST', '/admin/customers/D004/redemptions', { role: agent, headers: { 'Idempotency-Key': 'demo-D004-ALERTS' }, body: { productCode: 'ALERTS' } });
  for (const [i, [customerId, text]] of TEXTS.entries()) {
    const phone = DEMO_CUSTOMERS.find((c) => c.customerId === customerId)!.phone;
    await request('POST', '/local/sms/inbound', { body: { from: phone, text, inboundMessageId: `demo-${i}-${customerId}` } });
  }
  const ledgerAfter = await ledgerSizes(request);
  for (const [customerId, n] of Object.entries(ledgerAfter)) if (n > ledgerBefore[customerId]!) did(`${customerId}: ${n - ledgerBefore[customerId]!} points movements`);
  const cases = (await caseCount(request)) - casesBefore;
  if (cases > 0) did(`${cases} cases opened by SMS (product feedback, a complaint)`);

  const gold = (await request('GET', '/admin/customers/D003', { role: agent })).body as { packages: Array<{ productCode: string }> };
  if (!gold.packages.some((p) => p.productCode === 'VIP')) {
    await request('POST', '/admin/customers/D003/packages', { role: agent, body: { productCode: 'VIP' } });
    did('package VIP for D003 (gifts TIPS, ALERTS, IPO)');
  }

  // Messages, found by product and body before they are published.
  const existing = async (productCode: string, body: string) => {
    let cursor: string | undefined;
    do {
      const page = (await request('GET', `/admin/messages?productCode=${productCode}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { role: pm })).body as {
        items: Array<{ messageId: string; body: string; status: string }>;
        cursor?: string;
      };
      const found = page.items.find((m) => m.body === body);
      if (found) return found;
      cursor = page.cursor;
    } while (cursor);
    return undefined;
  };
  const publish = async (input: { productCode: string; body: string; sendAt?: string; adviser?: typeof ADVISER }, what: string) => {
    const found = await existing(input.productCode, input.body);
    if (found) return found;
    const published = (await request('POST', '/admin/messages', { role: pm, body: input })).body as { messageId: string; status: string };
    did(`${what}: message ${published.messageId} (${published.status})`);
    return { ...published, body: input.body };
  };
  await publish({ productCode: 'NEWS', body: '沪深两市成交额连续三日破万亿，券商板块走强。' }, 'NEWS broadcast');
  const tips = await publish({ productCode: 'TIPS', body: '关注半导体设备国产化进展，回调时可分批关注。', adviser: ADVISER }, 'TIPS for review');
  if (tips.status === 'pending-review') {
    await request('POST', `/admin/messages/${tips.messageId}/reviews`, { role: 'compliance', body: { decision: 'approve', note: '无承诺收益表述' } });
    did(`TIPS ${tips.messageId} approved by compliance`);
  }
  const now = await clock();
  const morning = nextLocal(now, 8, 30, { weekday: false });
  await publish({ productCode: 'NEWS', body: '早盘提示：今日关注央行公开市场操作。', sendAt: morning.toISOString() }, 'NEWS scheduled for the next morning');

  // An account alert to a client of each language, and an IPO on the next trading day.
  const alertsBefore = await alertCount(request);
  await events('trading', 'AccountEvent', { customerId: 'D003', eventId: 'DEMO-ALERT-D003-1', type: 'funds-moved', data: { direction: 'in', amount: 50000 }, at });
  await events('trading', 'AccountEvent', { customerId: 'D004', eventId: 'DEMO-ALERT-D004-1', type: 'trade-filled', data: { stockCode: '600519', side: 'buy', quantity: 100 }, at });
  const alerts = (await alertCount(request)) - alertsBefore;
  if (alerts > 0) did(`${alerts} account alerts (D003 in Chinese, D004 in English)`);
  const ipoDay = localDate(nextLocal(now, 8, 30, { weekday: true }), SH);
  await events('market', 'IpoScheduled', { ipoId: 'DEMO-IPO-688999', stockCode: '688999', stockName: '示例科技', subscriptionDate: ipoDay, listingDate: addCalendarDays(ipoDay, 10) });

  // A survey, found by the product's latest survey before it is sent; a low score opens a follow-up case.
  let surveyId = ((await request('GET', `/admin/products/${SURVEY.productCode}/stats`, { role: pm })).body as { latestSurvey?: { surveyId: string } }).latestSurvey?.surveyId;
  if (!surveyId) {
    surveyId = ((await request('POST', '/admin/surveys', { role: pm, body: SURVEY })).body as { surveyId: string }).surveyId;
    did(`survey ${surveyId} to the ${SURVEY.productCode} subscribers`);
  }
  const followUpsBefore = await caseCount(request, 'follow-up');
  for (const [customerId, score] of SCORES) {
    const phone = DEMO_CUSTOMERS.find((c) => c.customerId === customerId)!.phone;
    await request('POST', '/local/sms/inbound', { body: { from: phone, text: score, inboundMessageId: `demo-score-${customerId}` } });
  }
  if ((await caseCount(request, 'follow-up')) > followUpsBefore) did(`survey scores ${SCORES.map(([, score]) => score).join(' and ')} (a 1 or 2 opens a follow-up case)`);

  const tryNext = tryNextCommands(url, nextLocal(await clock(), 8, 31, { weekday: true, from: ipoDay }), surveyId);
  log(created.length ? `Demo data loaded (${created.length} changes). Try next:` : 'Demo data already loaded: nothing changed. Try next:');
  for (const line of tryNext) log(`  ${line}`);
  return { created, tryNext };
}

/** The ledger size of each demo client (a second load must add nothing). */
async function ledgerSizes(request: ReturnType<typeof client>['request']): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const { customerId } of DEMO_CUSTOMERS) {
    const res = await request('GET', `/admin/customers/${customerId}/points/ledger?limit=500`, { role: 'service-agent', allow: [404] });
    sizes[customerId] = res.status === 404 ? 0 : (res.body as { items: unknown[] }).items.length;
  }
  return sizes;
}

async function caseCount(request: ReturnType<typeof client>['request'], kind?: string): Promise<number> {
  return ((await request('GET', `/admin/cases?limit=200${kind ? `&kind=${kind}` : ''}`, { role: 'service-agent' })).body as { items: unknown[] }).items.length;
}

async function alertCount(request: ReturnType<typeof client>['request']): Promise<number> {
  return ((await request('GET', '/admin/messages?productCode=ALERTS&limit=100', { role: 'product-manager' })).body as { items: unknown[] }).items.length;
}

/** The next hh:mm in Shanghai after `after` (on or after the date `from`), on a weekday if asked. */
function nextLocal(after: Date, hour: number, minute: number, options: { weekday: boolean; from?: string }): Date {
  for (let day = options.from ?? localDate(after, SH); ; day = addCalendarDays(day, 1)) {
    const at = zonedTime(day, hour, minute, SH);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (at > after && (!options.weekday || (weekday >= 1 && weekday <= 5))) return at;
  }
}

/** Commands to try next: each comment line, then its command (curl and node, as the README's). */
export function tryNextCommands(url: string, ipoMorning: Date, surveyId: string): string[] {
  const auth = '-H "Authorization: Bearer $TOKEN"';
  return [
    '# a token that may call every admin route (dev tokens exist only locally)',
    `URL=${url}`,
    `TOKEN=$(curl -s "$URL/local/dev-token?role=admin" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
    '# the gold client: tier, points, the VIP package and the gifts it gives',
    `curl -s ${auth} "$URL/admin/customers/D003"`,
    "# the silver client's points: commission, suggestion bonus, TIPS bought by SMS (DH TIPS, Y)",
    `curl -s ${auth} "$URL/admin/customers/D002/points/ledger"`,
    '# every message, newest first, with its kind (broadcast, reminder, alert); then those of the account alerts product',
    `curl -s ${auth} "$URL/admin/messages"`,
    `curl -s ${auth} "$URL/admin/messages?productCode=ALERTS"`,
    '# a client texts JF (points balance); the reply is in the outbox',
    `curl -s -X POST "$URL/local/sms/inbound" -d '{"from":"13800002001","text":"JF"}'`,
    `curl -s "$URL/local/sms/outbox?to=13800002001"`,
    "# the cases clients opened by SMS (a complaint, product feedback, the follow-up of a low survey score); the survey's results",
    `curl -s ${auth} "$URL/admin/cases"`,
    `curl -s ${auth} "$URL/admin/surveys/${surveyId}"`,
    "# what the English-speaking platinum client was sent, and their consent ledger",
    `curl -s ${auth} "$URL/admin/customers/D004/messages"`,
    `curl -s ${auth} "$URL/admin/consents?phone=13800002004"`,
    '# the next trading morning: the scheduled NEWS and the IPO reminder go out',
    `curl -s -X POST "$URL/local/scheduler/tick" -d '{"now":"${ipoMorning.toISOString()}"}'`,
    `curl -s ${auth} "$URL/admin/messages?productCode=IPO"`,
    '# the audit trail of the gold client',
    `curl -s ${auth} "$URL/admin/audit?entity=D003&limit=5"`,
  ];
}
