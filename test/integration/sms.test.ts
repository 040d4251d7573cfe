import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REGISTER_TEXT, DEFAULT_TIER_THRESHOLDS, SmsThrottledError, createConsentService, createKeywordParser, createSmsService } from '../../packages/core/index.ts';
import { agent, servicesOnTestTable } from '../support/services.ts';

let p: Awaited<ReturnType<typeof servicesOnTestTable>>;
let sms: ReturnType<typeof p.sms>;
let n = 0;
const text = (from: string, body: string, inboundMessageId = `in-${n++}`) => sms.handleInbound({ from, text: body, inboundMessageId });
const ZHANG = '+8613800138000';
const LI = '+8613900139000';
const repliesTo = (phone: string) => p.sender.sent.filter((s) => s.to === phone);
const subOf = async (id: string, code: string) => (await p.customers.getCustomerView(id)).subscriptions.find((s) => s.productCode === code);
/** Items that record state (inbound markers and audit records excluded). */
// State: not the audit trail, the record of handled inbound messages, or the record of SMS sent (replies).
const stateItems = async () => (await p.table.items()).filter((i) => i.type !== 'Audit' && i.type !== 'SentSms' && !String(i.pk).startsWith('OP#INBOUND#'));

beforeAll(async () => {
  p = await servicesOnTestTable('2026-11-25T02:00:00.000Z');
  sms = p.sms();
  await p.product({ code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', pricing: null });
  await p.product({ code: 'TIPS', name: '投资参考', riskLevel: 'R2', pricing: { periodDays: 30, priceFen: 1000, pointsPrice: 100 }, description: '每日早盘投资参考' });
  await p.product({ code: 'RISKY', name: '期权策略', riskLevel: 'R4', pricing: { periodDays: 30, pointsPrice: 10 } });
  await p.customers.putCustomer('ZHANG', { phone: ZHANG, assetsFen: 0, riskTolerance: 'C3' }, agent);
  await p.customers.putCustomer('LI', { phone: LI, assetsFen: 0, riskTolerance: 'C2' }, agent);
  await p.points.adjust('ZHANG', { delta: 250, reason: 'welcome' }, 'fund-zhang', agent);
  await p.points.adjust('LI', { delta: 30, reason: 'welcome' }, 'fund-li', agent);
});
afterAll(async () => p.table.drop());

describe('SMS keywords (SmsService on DynamoDB Local)', () => {
  it.each(['DY IPO', 'ｄｙ　ipo', 'DYIPO', 'dy ipo!'])('%j subscribes, with one signed reply', async (body) => {
    const before = repliesTo(ZHANG).length;
    await text(ZHANG, body);
    expect(await subOf('ZHANG', 'IPO')).toMatchObject({ status: 'active', source: 'free' });
    const replies = repliesTo(ZHANG).slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toBe('【XX证券】您已成功订阅「IPO提醒」。回复TD IPO退订。');
    expect(replies[0]!.smsType).toBe('Transactional');
    await text(ZHANG, 'TD IPO');
    expect((await subOf('ZHANG', 'IPO'))?.status).toBe('ended');
  });

  it('answers in English to English keywords', async () => {
    await text(ZHANG, 'subscribe ipo');
    expect(repliesTo(ZHANG).at(-1)!.body).toBe('【XX证券】You are subscribed to IPO提醒. Reply UNSUBSCRIBE IPO to stop it.');
  });

  it('TD opts out of everything: one confirmation, then silence until START, which restores active subscriptions', async () => {
    await text(ZHANG, 'TD');
    expect(repliesTo(ZHANG).at(-1)!.body).toContain('您已退订本公司全部短信');
    const count = repliesTo(ZHANG).length;
    for (const body of ['CX', 'HELP', 'DY TIPS', 'TD', 'hello']) await text(ZHANG, body);
    expect(repliesTo(ZHANG)).toHaveLength(count);
    expect((await p.table.items()).find((i) => i.pk === `PHONE#${ZHANG}` && i.sk === 'PHONE')?.optedOut).toBe(true);
    await text(ZHANG, 'START');
    expect(repliesTo(ZHANG)).toHaveLength(count + 1);
    expect(repliesTo(ZHANG).at(-1)!.body).toBe('【XX证券】You will receive our messages again. Your subscriptions: IPO提醒.');
    expect((await subOf('ZHANG', 'IPO'))?.status).toBe('active');
  });

  it('DH discloses content, tariff, billing and how to stop; only Y buys, once', async () => {
    await text(ZHANG, 'DH TIPS');
    const disclosure = repliesTo(ZHANG).at(-1)!.body;
    expect(disclosure).toContain('内容：每日早盘投资参考');
    expect(disclosure).toContain('资费：100积分/30天');
    expect(disclosure).toContain('计费方式：确认后一次性扣除积分');
    expect(disclosure).toContain('退订方式：回复TD TIPS');
    expect(disclosure).toContain('回复Y确认，10分钟内有效');
    expect((await p.customers.getCustomerView('ZHANG')).points.balance).toBe(250);
    await text(ZHANG, 'Y');
    expect(repliesTo(ZHANG).at(-1)!.body).toBe('【XX证券】兑换成功：「投资参考」有效期至2026-12-25，扣除100积分，余额150积分。回复TD TIPS退订。');
    expect(await subOf('ZHANG', 'TIPS')).toMatchObject({ status: 'active', source: 'points' });
    await text(ZHANG, 'Y');
    expect(repliesTo(ZHANG).at(-1)!.body).toContain('没有待确认的操作');
    expect((await p.customers.getCustomerView('ZHANG')).points.balance).toBe(150);
  });

  it('a Y after the window buys nothing', async () => {
    await text(ZHANG, 'DH TIPS');
    p.clock.set('2026-11-25T02:10:01.000Z');
    await text(ZHANG, '是');
    expect(repliesTo(ZHANG).at(-1)!.body).toContain('没有待确认的操作');
    expect((await p.customers.getCustomerView('ZHANG')).points.balance).toBe(150);
    p.clock.set('2026-11-25T02:00:00.000Z');
  });

  it('with too few points, DH says how many are missing and changes nothing', async () => {
    const before = await stateItems();
    await text(LI, 'DH TIPS');
    expect(repliesTo(LI).at(-1)!.body).toBe('【XX证券】积分不足：兑换「投资参考」需100积分，您现有30积分，还差70积分。');
    expect(await stateItems()).toEqual(before);
  });

  it('refuses with the reason: unsuitable risk, unknown product, paid product offer', async () => {
    await text(LI, 'DY RISKY');
    expect(repliesTo(LI).at(-1)!.body).toContain('风险等级为R4，超出您的风险承受能力（C2）');
    await text(LI, 'DY NOPE');
    expect(repliesTo(LI).at(-1)!.body).toContain('没有代码为NOPE的产品');
    await text(LI, 'DY TIPS');
    expect(repliesTo(LI).at(-1)!.body).toBe('【XX证券】「投资参考」为收费产品，资费10元/30天或100积分/30天。回复DH TIPS用积分兑换。');
    expect((await subOf('LI', 'TIPS'))).toBeUndefined();
  });

  it('handles the same inbound message three times (also at once) as one: one change, one reply', async () => {
    const before = repliesTo(LI).length;
    await Promise.all([text(LI, 'DY IPO', 'dup-1'), text(LI, 'DY IPO', 'dup-1')]);
    await text(LI, 'DY IPO', 'dup-1');
    expect(repliesTo(LI)).toHaveLength(before + 1);
    const audits = (await p.table.items()).filter(
      (i) => i.type === 'Audit' && i.entity === 'LI' && i.action === 'sms.subscribe' && (i.after as { productCode?: string }).productCode === 'IPO',
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ channel: 'sms', role: 'client' });
    expect(await p.repos.products.counters('IPO')).toMatchObject({ subscribes: 6 });
  });

  it('tells an unknown number to register and creates nothing', async () => {
    const before = await stateItems();
    const outcome = await text('+8613700137000', 'DY IPO');
    expect(outcome).toEqual({ outcome: 'replied', command: 'subscribe' });
    expect(repliesTo('+8613700137000').map((s) => s.body)).toEqual([`【XX证券】${DEFAULT_REGISTER_TEXT}`]);
    expect(await stateItems()).toEqual(before);
  });

  it('lets a number of no customer that opted out opt back in with START, and its keywords work once it is a customer', async () => {
    const phone = '+8613700137001';
    await text(phone, 'STOP');
    expect((await p.repos.phones.getState(phone)).optedOut).toBe(true);
    await text(phone, 'START');
    expect(repliesTo(phone).map((s) => s.body)).toEqual([
      '【XX证券】You have opted out of all our messages and will receive no more. Reply START to opt back in.',
      '【XX证券】You will receive our messages again. You have no active subscriptions.',
    ]);
    expect((await p.repos.phones.getState(phone)).optedOut).toBe(false);
    const ledger = await createConsentService({ consents: p.repos.consents, defaultRegion: 'CN' }).listConsents(phone);
    expect(ledger.map((e) => [e.action, e.text, e.customerId])).toEqual([
      ['opt-out', 'STOP', undefined],
      ['opt-in', 'START', undefined],
    ]);
    // Not opted out now: START is any other text of an unknown number.
    await text(phone, 'START');
    expect(repliesTo(phone).at(-1)!.body).toBe(`【XX证券】${DEFAULT_REGISTER_TEXT}`);
    await p.customers.putCustomer('LATER', { phone, assetsFen: 0, riskTolerance: 'C3' }, agent);
    await text(phone, 'DY IPO');
    expect(await subOf('LATER', 'IPO')).toMatchObject({ status: 'active' });
    expect(repliesTo(phone)).toHaveLength(4);
  });

  it('answers random texts exactly once and changes state only for valid commands (number state included; 1,000 more run e2e)', async () => {
    const parse = createKeywordParser();
    const from = '+8613600136000';
    await p.customers.putCustomer('FUZZ', { phone: from, assetsFen: 0, riskTolerance: 'C5' }, agent);
    const stateless = new Set(['unknown', 'help', 'list', 'points', 'confirm']);
    // Everything this client's messages could change: their partition (profile, points,
    // subscriptions, packages), their number (opt-out, pending confirmation).
    const clientState = async () => JSON.stringify([await p.repos.customers.getState('FUZZ'), await p.repos.phones.getState(from)]);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 30 }), async (body) => {
        const command = parse(body);
        const before = repliesTo(from).length;
        const state = stateless.has(command.kind) ? await clientState() : undefined;
        await text(from, body);
        expect(repliesTo(from)).toHaveLength(before + 1);
        if (state) expect(await clientState()).toEqual(state);
        if (command.kind === 'opt-out') await text(from, 'START');
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});

describe('SMS replies under throttling', () => {
  it('retries a throttled reply, so that the recorded message still gets its one answer', async () => {
    let calls = 0;
    const delivered: string[] = [];
    const flaky = {
      send: async (s: { to: string; body: string }) => {
        calls++;
        if (calls <= 2) throw new SmsThrottledError('Rate exceeded');
        delivered.push(s.body);
        return { messageId: randomUUID() };
      },
    };
    const service = createSmsService({
      ...p.repos,
      clock: p.clock,
      ids: { next: () => `id-${Math.random()}` },
      sender: flaky,
      points: p.points,
      parse: createKeywordParser(),
      tierThresholds: DEFAULT_TIER_THRESHOLDS,
      config: { signature: '【XX证券】', registerText: 'register', confirmWindowMinutes: 10, defaultRegion: 'CN', feedback: { complaintResponseHours: 24, followUpHours: 72 } },
      sleep: async () => undefined,
    });
    await service.handleInbound({ from: LI, text: 'JF', inboundMessageId: 'throttled-1' });
    expect(calls).toBe(3);
    expect(delivered).toEqual(['【XX证券】您的积分余额为30。']);
  });
});
