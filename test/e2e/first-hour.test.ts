import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, localDate, zonedTime } from '../../packages/core/index.ts';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

/** What a new user meets in the first hour of `npm start`: one clock, readable ids, honest counts, forgiving filters. */
let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startPlatformProcess();
}, 90_000);
afterAll(async () => platform?.stop());

const { api, token } = platformClient(() => platform);
const raw = (path: string) => fetch(`${platform.url}${path}`).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const text = (from: string, body: string) => fetch(`${platform.url}/local/sms/inbound`, { method: 'POST', body: JSON.stringify({ from, text: body }) });
const SH = 'Asia/Shanghai';
const PHONE = '+8613800138001';

/** The next instant, after the platform's clock, at which it is hh:mm in Shanghai. */
async function nextShanghai(hour: number, minute = 0): Promise<Date> {
  const now = new Date((await raw('/local/clock')).body.now);
  for (let day = localDate(now, SH); ; day = addCalendarDays(day, 1)) {
    const at = zonedTime(day, hour, minute, SH);
    if (at > now) return at;
  }
}

describe('the first hour', () => {
  let pm = '';
  beforeAll(async () => {
    pm = await token('product-manager');
    const agent = await token('service-agent');
    await api('POST', '/admin/products', { token: pm, body: { code: 'NEWS', name: '资讯', kind: 'general', riskLevel: 'R1', pricing: null, smsType: 'Promotional' } });
    await api('POST', '/admin/products', { token: pm, body: { code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', riskLevel: 'R1', pricing: null } });
    await api('PUT', '/admin/customers/FIRST', { token: agent, body: { phone: '13800138001', assetsFen: 0, riskTolerance: 'C3' } });
    await text('13800138001', 'DY NEWS');
    await text('13800138001', 'DY IPO');
  });

  it('has one clock: tick to 23:00 Shanghai, a promotional broadcast is held and says until when; tick to 08:00 and it is delivered, no second tick needed', async () => {
    const eleven = await nextShanghai(23);
    const tick = await api('POST', '/local/scheduler/tick', { body: { now: eleven.toISOString() } });
    expect(tick.status).toBe(200);
    expect(Date.parse((await raw('/local/clock')).body.now)).toBeGreaterThanOrEqual(eleven.getTime());
    const before = (await raw(`/local/sms/outbox?to=${encodeURIComponent(PHONE)}`)).body.items.length;
    const published = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'NEWS', body: '夜间资讯' } });
    const eight = zonedTime(addCalendarDays(localDate(eleven, SH), 1), 8, 0, SH);
    expect(published.body).toMatchObject({ status: 'sending', counts: { deferred: 1, heldUntil: eight.toISOString() } });
    const held = await api('POST', '/local/scheduler/tick', { body: { now: new Date(eleven.getTime() + 60_000).toISOString() } });
    expect(held.body.held).toEqual([{ messageId: published.body.messageId, until: eight.toISOString() }]);
    const morning = await api('POST', '/local/scheduler/tick', { body: { now: eight.toISOString() } });
    expect(morning.body.fired).toContain(`release-${published.body.messageId}-${eight.toISOString().slice(0, 16).replace(/[-:]/g, '')}`);
    const outbox = (await raw(`/local/sms/outbox?to=${encodeURIComponent(PHONE)}`)).body.items;
    expect(outbox.slice(before).map((i: { body: string }) => i.body)).toEqual(['【XX证券】夜间资讯回TD退订']);
    expect((await api('GET', `/admin/messages/${published.body.messageId}`, { token: pm })).body).toMatchObject({ status: 'sent', counts: { sent: 1, deferred: 0 } });
  });

  it('never moves the clock back: an earlier tick is 409', async () => {
    const res = await api('POST', '/local/scheduler/tick', { body: { now: '2020-01-01T00:00:00Z' } });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:sms-platform:problem:clock-backwards');
  });

  it('filters the outbox by a number in any format inbound SMS accepts, and refuses one that is no number', async () => {
    const all = (await raw(`/local/sms/outbox?to=${encodeURIComponent(PHONE)}`)).body.items;
    expect(all.length).toBeGreaterThan(0);
    for (const to of ['13800138001', '+8613800138001', '%2B8613800138001', '%2B86%20138%200013%208001', '138-0013-8001']) {
      expect((await raw(`/local/sms/outbox?to=${to}`)).body.items, to).toEqual(all);
    }
    expect((await raw('/local/sms/outbox?to=hello')).status).toBe(400);
  });

  it("reads an IPO reminder by its derived id on every message route, and lists it with its kind", async () => {
    const subscription = await nextShanghai(8, 30);
    const day = localDate(subscription, SH);
    await api('POST', '/local/events', { body: { source: 'market', 'detail-type': 'IpoScheduled', detail: { ipoId: 'IPO-FIRST', stockCode: '688999', stockName: '示例科技', subscriptionDate: day } } });
    await api('POST', '/local/scheduler/tick', { body: { now: subscription.toISOString() } });
    const reminders = (await api('GET', '/admin/messages?productCode=IPO', { token: pm })).body.items;
    expect(reminders).toEqual([expect.objectContaining({ kind: 'reminder', body: expect.stringContaining('示例科技') })]);
    const id = reminders[0].messageId as string;
    expect(id).toMatch(/^IPO[0-9A-Z]+$/);
    expect((await api('GET', `/admin/messages/${id}`, { token: pm })).status).toBe(200);
    expect((await api('GET', `/admin/messages/${id}/recipients`, { token: pm })).body.items).toEqual([expect.objectContaining({ customerId: 'FIRST', status: 'delivered' })]);
    expect((await api('DELETE', `/admin/messages/${id}`, { token: pm })).body).toMatchObject({ status: 409, reason: 'sending-began' });
    expect((await api('PATCH', `/admin/messages/${id}`, { token: pm, body: { body: 'x' } })).body).toMatchObject({ status: 409, reason: 'sending-began' });
    const compliance = await token('compliance');
    expect((await api('POST', `/admin/messages/${id}/reviews`, { token: compliance, body: { decision: 'approve' } })).body).toMatchObject({ status: 409, reason: 'not-pending-review' });
  });

  it('reads an account alert as a message of kind alert by its derived id on every message route', async () => {
    await api('POST', '/admin/products', { token: pm, body: { code: 'ALERTS', name: '账户提醒', kind: 'account-alerts', riskLevel: 'R1', pricing: null } });
    await text('13800138001', 'DY ALERTS');
    const event = { customerId: 'FIRST', eventId: 'trade/2026#1', type: 'trade-filled', data: { stockCode: '600519', side: 'buy', quantity: 100 }, at: new Date().toISOString() };
    expect((await api('POST', '/local/events', { body: { source: 'trading', 'detail-type': 'AccountEvent', detail: event } })).status).toBe(202);
    const alerts = (await api('GET', '/admin/messages?productCode=ALERTS', { token: pm })).body.items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'alert', productCode: 'ALERTS', status: 'sent', text: '【XX证券】您的委托已成交：600519 买入100股。' })]);
    const id = alerts[0].messageId as string;
    expect(id).toMatch(/^ALERT[0-9A-F]{32}$/);
    expect((await api('GET', `/admin/messages/${id}`, { token: pm })).body).toMatchObject({ kind: 'alert', counts: { recipients: 1, sent: 1, delivered: 1 } });
    expect((await api('GET', `/admin/messages/${id}/recipients`, { token: pm })).body.items).toEqual([expect.objectContaining({ customerId: 'FIRST', status: 'delivered' })]);
    expect((await api('DELETE', `/admin/messages/${id}`, { token: pm })).body).toMatchObject({ status: 409, reason: 'sending-began' });
    expect((await api('PATCH', `/admin/messages/${id}`, { token: pm, body: { body: 'x' } })).body).toMatchObject({ status: 409, reason: 'sending-began' });
    const compliance = await token('compliance');
    expect((await api('POST', `/admin/messages/${id}/reviews`, { token: compliance, body: { decision: 'approve' } })).body).toMatchObject({ status: 409, reason: 'not-pending-review' });
  });

  it('counts a cancelled message as reaching nobody: recipients 0, the estimate apart', async () => {
    const sendAt = new Date(Date.parse((await raw('/local/clock')).body.now) + 3_600_000).toISOString();
    const scheduled = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'NEWS', body: '取消我', sendAt } });
    expect(scheduled.body.counts.recipients).toBe(1);
    expect((await api('DELETE', `/admin/messages/${scheduled.body.messageId}`, { token: pm })).status).toBe(204);
    const view = (await api('GET', `/admin/messages/${scheduled.body.messageId}`, { token: pm })).body;
    expect(view).toMatchObject({ status: 'cancelled', estimate: { recipients: 1 }, counts: { recipients: 0, sent: 0, failed: 0, skipped: 0, deferred: 0 } });
  });
});
