import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeywordParser } from '../../packages/core/index.ts';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';
import { daytimeZone } from '../support/time-zones.ts';

let platform: RunningPlatform;
const { token, api } = platformClient(() => platform);
const ZHANG = '+8613800138000';
const LI = '+8613900139000';
let agent: string;

beforeAll(async () => {
  platform = await startPlatformProcess({ CONFIRM_WINDOW_SECONDS: '2' });
  agent = await token('service-agent');
  const pm = await token('product-manager');
  await api('POST', '/admin/products', { token: pm, body: { code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', riskLevel: 'R1', pricing: null } });
  await api('POST', '/admin/products', { token: pm, body: { code: 'TIPS', name: '投资参考', kind: 'investment-tips', riskLevel: 'R2', pricing: { periodDays: 30, pointsPrice: 100 } } });
  await api('PUT', '/admin/customers/ZHANG', { token: agent, body: { phone: '138 0013 8000', assetsFen: 0, riskTolerance: 'C3', timezone: daytimeZone() } });
  await api('PUT', '/admin/customers/LI', { token: agent, body: { phone: '13900139000', assetsFen: 0, riskTolerance: 'C3', timezone: daytimeZone() } });
  await api('POST', '/admin/customers/ZHANG/points/adjustments', { token: agent, body: { delta: 250, reason: 'welcome' }, headers: { 'idempotency-key': 'z' } });
  await api('POST', '/admin/customers/LI/points/adjustments', { token: agent, body: { delta: 30, reason: 'welcome' }, headers: { 'idempotency-key': 'l' } });
}, 90_000);
afterAll(async () => platform?.stop());

const sms = async (from: string, text: string, inboundMessageId?: string) => {
  const res = await api('POST', '/local/sms/inbound', { body: { from, text, ...(inboundMessageId && { inboundMessageId }) } });
  expect(res.status).toBe(202);
  return res.body.inboundMessageId as string;
};
const outbox = async (to: string) => (await api('GET', `/local/sms/outbox?to=${encodeURIComponent(to)}`)).body.items as Array<{ body: string; smsType: string }>;
const view = async (id: string) => (await api('GET', `/admin/customers/${id}`, { token: agent })).body;

describe('two-way SMS through the running platform', () => {
  it('subscribes on DY IPO, ｄｙ　ipo, DYIPO and dy ipo!, one reply each', async () => {
    for (const text of ['DY IPO', 'ｄｙ　ipo', 'DYIPO', 'dy ipo!']) {
      const before = (await outbox(ZHANG)).length;
      await sms('13800138000', text);
      expect((await view('ZHANG')).subscriptions).toEqual([{ productCode: 'IPO', status: 'active', source: 'free' }]);
      const replies = (await outbox(ZHANG)).slice(before);
      expect(replies.map((r) => r.body)).toEqual(['【XX证券】您已成功订阅「IPO提醒」。回复TD IPO退订。']);
      await sms(ZHANG, 'TD IPO');
      expect((await view('ZHANG')).subscriptions[0].status).toBe('ended');
    }
    const stats = await api('GET', '/admin/products/IPO/stats', { token: agent });
    expect(stats.body).toEqual({ code: 'IPO', subscribers: 0, subscribes: 4, unsubscribes: 4, delivered: 0, priceUsd: 0, feedback: 0 });
  });

  it('TD opts out of everything (one confirmation, then silence); START opts back in', async () => {
    await sms(ZHANG, 'DY IPO');
    await sms(ZHANG, 'TD');
    const afterOptOut = await outbox(ZHANG);
    expect(afterOptOut.at(-1)!.body).toContain('您已退订本公司全部短信');
    await sms(ZHANG, 'CX');
    await sms(ZHANG, 'JF');
    expect(await outbox(ZHANG)).toHaveLength(afterOptOut.length);
    await sms(ZHANG, 'START');
    expect((await outbox(ZHANG)).at(-1)!.body).toBe('【XX证券】You will receive our messages again. Your subscriptions: IPO提醒.');
    const audit = await api('GET', '/admin/audit?entity=ZHANG&limit=3', { token: await token('auditor') });
    expect(audit.body.items.map((i: { action: string; channel: string }) => [i.action, i.channel])).toEqual([
      ['sms.opt-in', 'sms'],
      ['sms.points', 'sms'],
      ['sms.list', 'sms'],
    ]);
  });

  it('DH TIPS discloses; Y within the window buys one period; a second Y or a late Y buys nothing', async () => {
    await sms(ZHANG, 'DH TIPS');
    expect((await outbox(ZHANG)).at(-1)!.body).toContain('资费：100积分/30天');
    await sms(ZHANG, 'Y');
    expect((await outbox(ZHANG)).at(-1)!.body).toContain('兑换成功：「投资参考」');
    await sms(ZHANG, 'Y');
    expect((await outbox(ZHANG)).at(-1)!.body).toContain('没有待确认的操作');
    expect((await view('ZHANG')).points.balance).toBe(150);

    await sms(ZHANG, 'DH TIPS');
    await new Promise((r) => setTimeout(r, 2_200)); // the window is 2 s in this run
    await sms(ZHANG, 'Y');
    expect((await outbox(ZHANG)).at(-1)!.body).toContain('没有待确认的操作');
    expect((await view('ZHANG')).points.balance).toBe(150);
    const tips = (await view('ZHANG')).subscriptions.find((s: { productCode: string }) => s.productCode === 'TIPS');
    expect(tips).toMatchObject({ status: 'active', source: 'points' });
  });

  it('with too few points the reply says how many are missing, and the balance stays', async () => {
    await sms(LI, 'DH TIPS');
    expect((await outbox(LI)).at(-1)!.body).toBe('【XX证券】积分不足：兑换「投资参考」需100积分，您现有30积分，还差70积分。');
    expect((await view('LI')).points.balance).toBe(30);
  });

  it('the same inbound message delivered three times changes state once and replies once', async () => {
    const before = (await outbox(LI)).length;
    await sms(LI, 'DY IPO', 'sns-redelivered-1');
    await sms(LI, 'DY IPO', 'sns-redelivered-1');
    await sms(LI, 'DY IPO', 'sns-redelivered-1');
    expect((await outbox(LI)).length).toBe(before + 1);
    expect((await api('GET', '/admin/products/IPO/stats', { token: agent })).body.subscribes).toBe(6);
  });

  it('tells an unknown number to register', async () => {
    await sms('+8613700137000', 'DY IPO');
    expect((await outbox('+8613700137000')).map((r) => r.body)).toEqual([
      '【XX证券】您好，本号码尚未在我司登记为客户号码。请联系客户经理或拨打客服热线登记后再使用短信服务。',
    ]);
  });

  it('TD: a later broadcast to the product skips the number; START restores delivery of still-active subscriptions', async () => {
    const pm = await token('product-manager');
    await sms(ZHANG, 'TD');
    const zhangBefore = (await outbox(ZHANG)).length;
    const liBefore = (await outbox(LI)).length;
    const published = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'IPO', body: '明日新股申购：示例科技（688999）' } });
    expect(published.status).toBe(202);
    expect(published.body.estimate).toEqual({ recipients: 2, segments: 1 });
    expect(await outbox(ZHANG)).toHaveLength(zhangBefore);
    expect((await outbox(LI)).slice(liBefore)).toEqual([
      expect.objectContaining({ body: '【XX证券】明日新股申购：示例科技（688999）回TD退订', smsType: 'Promotional' }),
    ]);
    const status = await api('GET', `/admin/messages/${published.body.messageId}`, { token: pm });
    expect(status.body).toMatchObject({ status: 'sent', counts: { recipients: 2, sent: 1, failed: 0, skipped: 1, skippedByReason: { 'opted-out': 1 } } });

    await sms(ZHANG, 'START');
    const afterStart = (await outbox(ZHANG)).length;
    await api('POST', '/admin/messages', { token: pm, body: { productCode: 'IPO', body: '上市提醒：示例科技今日上市' } });
    expect((await outbox(ZHANG)).slice(afterStart).map((m) => m.body)).toEqual(['【XX证券】上市提醒：示例科技今日上市回TD退订']);
  });

  it('answers each of 1,000 random texts with exactly one SMS, changing nothing unless it is a valid command', async () => {
    const parse = createKeywordParser();
    const stateless = new Set(['unknown', 'help', 'list', 'points', 'confirm']);
    // Four clients texting at once, 250 texts each: each number's texts in order, as a phone sends them.
    const texter = async (n: number) => {
      const customerId = `FUZZ${n}`;
      const from = `+861360013600${n}`;
      await api('PUT', `/admin/customers/${customerId}`, { token: agent, body: { phone: from, assetsFen: 0, riskTolerance: 'C5' } });
      let replies = (await outbox(from)).length;
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 30 }), async (text) => {
          const command = parse(text);
          const before = stateless.has(command.kind) ? JSON.stringify(await view(customerId)) : undefined;
          await sms(from, text);
          const now = (await outbox(from)).length;
          expect(now).toBe(replies + 1);
          replies = now;
          if (before) expect(JSON.stringify(await view(customerId))).toBe(before);
          if (command.kind === 'opt-out') {
            await sms(from, 'START');
            replies++;
          }
        }),
        { numRuns: 250 },
      );
    };
    await Promise.all([0, 1, 2, 3].map(texter));
  }, 120_000);

  it('refuses a malformed inbound request with 400', async () => {
    expect((await api('POST', '/local/sms/inbound', { body: { text: 'DY IPO' } })).status).toBe(400);
  });
});

describe('scheduled messages through the running platform', () => {
  it('sends a scheduled message when the scheduler reaches sendAt, and a cancelled one never', async () => {
    const pm = await token('product-manager');
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'IPO', body: '定时提醒', sendAt: inAnHour } });
    expect(scheduled.status).toBe(202);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', sendAt: inAnHour });
    const cancelled = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'IPO', body: '取消的提醒', sendAt: inAnHour } });
    expect((await api('DELETE', `/admin/messages/${cancelled.body.messageId}`, { token: pm })).status).toBe(204);
    expect((await api('GET', `/admin/messages/${cancelled.body.messageId}`, { token: pm })).body.status).toBe('cancelled');

    const before = (await outbox(LI)).length;
    await api('POST', '/local/scheduler/tick', { body: { now: new Date(Date.now() + 2 * 3_600_000).toISOString() } });
    const bodies = (await outbox(LI)).slice(before).map((m) => m.body);
    expect(bodies).toEqual(['【XX证券】定时提醒回TD退订']);
    const sent = await api('GET', `/admin/messages/${scheduled.body.messageId}`, { token: pm });
    expect(sent.body.status).toBe('sent');
    const late = await api('DELETE', `/admin/messages/${scheduled.body.messageId}`, { token: pm });
    expect(late.status).toBe(409);
    expect(late.body.reason).toBe('sending-began');
  });
});

describe('account alerts through the running platform', () => {
  it('sends one alert per eventId to an account-alerts subscriber, however often the event arrives', async () => {
    const pm = await token('product-manager');
    await api('POST', '/admin/products', { token: pm, body: { code: 'ALERTS', name: '账户提醒', kind: 'account-alerts', riskLevel: 'R1', pricing: null } });
    await sms(LI, 'DY ALERTS');
    const before = (await outbox(LI)).length;
    const event = {
      source: 'trading',
      'detail-type': 'AccountEvent',
      detail: { customerId: 'LI', eventId: 'AE-1', type: 'trade-filled', data: { stockCode: '600519', side: 'buy', quantity: 100 }, at: '2026-11-25T06:30:59Z' },
    };
    for (let i = 0; i < 3; i++) expect((await api('POST', '/local/events', { body: event })).body).toEqual({ matchedRules: ['AccountEvent'], failures: [] });
    expect((await outbox(LI)).slice(before)).toEqual([
      expect.objectContaining({ body: '【XX证券】您的委托已成交：600519 买入100股。', smsType: 'Transactional' }),
    ]);
  });
});
