import { describe, expect, it } from 'vitest';
import { localDate, addCalendarDays, zonedTime } from '../../packages/core/index.ts';
import { loadAudience, type Audience } from '../support/audience.ts';
import { platformClient } from '../support/client.ts';
import { useInProcessPlatform } from '../support/in-process-platform.ts';
import { zoneWhereItIs } from '../support/time-zones.ts';

/** The local runtime, in this process (to load a large audience straight into its table), driven over HTTP. */
const local = useInProcessPlatform({ tableName: 'fan-out-e2e', env: { TRADING_HOLIDAYS: '2027-04-01' /* a Thursday */ } });
const platform = { get url() { return local.platform().url; } };
const { outbox, text } = local;
const { api, token } = platformClient(() => platform);

/** A product, a customer, and the customer subscribed to it by SMS (`DY <CODE>`). */
async function subscriber(product: { code: string; name: string; kind: string; smsType: string }, customerId: string, phone: string, timezone?: string) {
  await api('POST', '/admin/products', { token: await token('product-manager'), body: { ...product, riskLevel: 'R1', pricing: null } });
  await api('PUT', `/admin/customers/${customerId}`, { token: await token('service-agent'), body: { phone, assetsFen: 0, riskTolerance: 'C3', ...(timezone && { timezone }) } });
  await text(phone, `DY ${product.code}`);
}

describe('quiet hours in the local runtime', () => {

  it('holds a promotional message published at 22:00 client time until 08:00, while an account alert at 22:00 goes at once', async () => {
    const zone = zoneWhereItIs(22);
    const pm = await token('product-manager');
    const phone = '+8613712345678';
    await subscriber({ code: 'EVENING', name: '晚间资讯', kind: 'general', smsType: 'Promotional' }, 'NIGHT', phone, zone);
    await api('POST', '/admin/products', { token: pm, body: { code: 'ACCT', name: '账户提醒', kind: 'account-alerts', riskLevel: 'R1', pricing: null, smsType: 'Transactional' } });
    await text(phone, 'DY ACCT');
    const before = (await outbox(phone)).length;

    const published = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'EVENING', body: '明日关注：新能源板块' } });
    expect((await outbox(phone)).length).toBe(before);
    expect((await api('GET', `/admin/messages/${published.body.messageId}`, { token: pm })).body.counts).toMatchObject({ recipients: 1, sent: 0, deferred: 1 });

    const alert = await fetch(`${platform.url}/local/events`, {
      method: 'POST',
      body: JSON.stringify({ source: 'trading', 'detail-type': 'AccountEvent', detail: { customerId: 'NIGHT', eventId: 'night-1', type: 'trade-filled', data: { stockCode: '600519', side: 'buy', quantity: 100 }, at: new Date().toISOString() } }),
    });
    expect(alert.status).toBe(202);
    expect((await outbox(phone)).slice(before).map((m) => m.smsType)).toEqual(['Transactional']);

    // 08:00 the next morning in the client's zone: the scheduler fires the release.
    const eight = zonedTime(addCalendarDays(localDate(new Date(), zone), 1), 8, 0, zone);
    await api('POST', '/local/scheduler/tick', { body: { now: new Date(eight.getTime() - 60_000).toISOString() } });
    expect((await outbox(phone)).length).toBe(before + 1);
    await api('POST', '/local/scheduler/tick', { body: { now: eight.toISOString() } });
    expect((await outbox(phone)).slice(before + 1)).toEqual([expect.objectContaining({ body: '【XX证券】明日关注：新能源板块回TD退订', smsType: 'Promotional' })]);
    expect((await api('GET', `/admin/messages/${published.body.messageId}`, { token: pm })).body).toMatchObject({ status: 'sent', counts: { recipients: 1, sent: 1, deferred: 0 } });
  }, 60_000);

});

describe('IPO reminders in the local runtime', () => {
  it('reminds ipo-reminders subscribers at 08:30 on the subscription and listing days; a re-sent or updated event replaces the schedules', async () => {
    const phone = '+8613799990000';
    await subscriber({ code: 'XGTX', name: '新股提醒', kind: 'ipo-reminders', smsType: 'Transactional' }, 'IPOFAN', phone);
    const before = (await outbox(phone)).length;
    const event = (detail: Record<string, unknown>) =>
      fetch(`${platform.url}/local/events`, { method: 'POST', body: JSON.stringify({ source: 'market', 'detail-type': 'IpoScheduled', detail }) });

    const ipo = { ipoId: 'IPO-688001', stockCode: '688001', stockName: '示例芯片' };
    expect((await event({ ...ipo, subscriptionDate: '2027-03-01', listingDate: '2027-03-10' })).status).toBe(202);
    // Announced again, then moved: the subscription day is now 03-02 and the listing date is not known yet.
    await event({ ...ipo, subscriptionDate: '2027-03-01', listingDate: '2027-03-10' });
    await event({ ...ipo, subscriptionDate: '2027-03-02' });

    const tick = (now: string) => api('POST', '/local/scheduler/tick', { body: { now } });
    await tick('2027-03-01T00:30:00.000Z'); // 08:30 in Shanghai on the old date: nothing any more
    expect((await outbox(phone)).length).toBe(before);
    await tick('2027-03-02T00:30:00.000Z');
    expect((await outbox(phone)).slice(before).map((m) => m.body)).toEqual(['【XX证券】新股申购提醒：示例芯片（688001）今日开放申购。']);
    await tick('2027-03-20T00:00:00.000Z'); // no listing reminder was left behind
    expect((await outbox(phone)).length).toBe(before + 1);

    // The listing date becomes known: one listing reminder, and the subscription reminder is not sent again.
    await event({ ...ipo, subscriptionDate: '2027-03-02', listingDate: '2027-03-25' });
    await tick('2027-03-25T00:30:00.000Z');
    expect((await outbox(phone)).slice(before).map((m) => m.body)).toEqual([
      '【XX证券】新股申购提醒：示例芯片（688001）今日开放申购。',
      '【XX证券】新股上市提醒：示例芯片（688001）今日上市交易。',
    ]);
  }, 60_000);
});

describe('product slots in the local runtime', () => {
  it('sends what was queued for the morning slot at the next weekday 08:45 Shanghai time that is a trading day', async () => {
    const pm = await token('product-manager');
    const phone = '+8613788880000';
    await subscriber({ code: 'ZAOBAO', name: '早报', kind: 'general', smsType: 'Transactional' }, 'EARLY', phone);
    const tick = (now: string) => api('POST', '/local/scheduler/tick', { body: { now } });
    await tick('2027-03-31T12:00:00.000Z'); // Wednesday evening: earlier slots have passed
    const before = (await outbox(phone)).length;

    const queued = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'ZAOBAO', body: '早报：隔夜外盘综述', slot: 'morning' } });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'queued', slot: 'morning' });
    await tick('2027-04-01T00:45:00.000Z'); // Thursday 08:45: a holiday (TRADING_HOLIDAYS)
    expect((await outbox(phone)).length).toBe(before);
    await tick('2027-04-02T00:45:00.000Z'); // Friday 08:45
    expect((await outbox(phone)).slice(before).map((m) => m.body)).toEqual(['【XX证券】早报：隔夜外盘综述']);
    expect((await api('GET', `/admin/messages/${queued.body.messageId}`, { token: pm })).body).toMatchObject({ status: 'sent', counts: { recipients: 1, sent: 1 } });
    const unknown = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'ZAOBAO', body: 'x', slot: 'midnight' } });
    expect(unknown.status).toBe(400);
  }, 60_000);
});

describe('fan-out in the local runtime', () => {
  let audience: Audience;

  it('reaches each of 10,000 active subscribers exactly once, skips the opted-out and expired with their reason, and the counts add up', async () => {
    const pm = await token('product-manager');
    const created = await api('POST', '/admin/products', {
      token: pm,
      body: { code: 'TENK', name: '万人资讯', kind: 'general', riskLevel: 'R1', pricing: { periodDays: 30, pointsPrice: 10 }, smsType: 'Promotional' },
    });
    expect(created.status).toBe(201);
    // Noon by the platform's clock, which the ticks above moved ahead of the real one (one clock locally).
    const { now } = (await api('GET', '/local/clock')).body as { now: string };
    audience = await loadAudience(local.platform().dynamoEndpoint, local.platform().tableName, {
      productCode: 'TENK',
      prefix: 'TK',
      firstNumber: 10_000_000,
      active: 9_700,
      optedOut: 200,
      expired: 100,
      timezone: zoneWhereItIs(12, new Date(now)),
    });

    const published = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'TENK', body: '万人早报：今日市场概览' } });
    expect(published.status).toBe(202);
    expect(published.body.estimate).toEqual({ recipients: 10_000, segments: 1 });

    const sent = (await outbox()).filter((m) => m.body === '【XX证券】万人早报：今日市场概览回TD退订');
    const perNumber = new Map<string, number>();
    for (const m of sent) perNumber.set(m.to, (perNumber.get(m.to) ?? 0) + 1);
    expect(perNumber.size).toBe(9_700);
    expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
    expect(audience.active.every((phone) => perNumber.has(phone))).toBe(true);
    expect([...audience.optedOut, ...audience.expired].some((phone) => perNumber.has(phone))).toBe(false);
    expect(sent.every((m) => m.smsType === 'Promotional')).toBe(true);

    const status = await api('GET', `/admin/messages/${published.body.messageId}`, { token: pm });
    expect(status.body).toMatchObject({
      status: 'sent',
      counts: { recipients: 10_000, sent: 9_700, failed: 0, skipped: 300, deferred: 0, skippedByReason: { 'opted-out': 200, expired: 100 } },
    });
    const { recipients, sent: s, failed, skipped, deferred } = status.body.counts;
    expect(s + failed + skipped + deferred).toBe(recipients);
  }, 180_000);
});
