import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';
import { daytimeZone } from '../support/time-zones.ts';

/** Delivery receipts through `npm start`: the carrier stand-in's outcomes come back as receipts before each request answers. */
let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startPlatformProcess();
}, 90_000);
afterAll(async () => platform?.stop());

const { api, token, text, outbox } = platformClient(() => platform);
const post = (path: string, body: unknown) => fetch(`${platform.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
const GOOD = '+8613822220001';
const DEAD = '+8613822220002';
const AWAY = '+8613822220003';

describe('delivery receipts in the running platform', () => {
  let pm = '';
  let agent = '';

  beforeAll(async () => {
    pm = await token('product-manager');
    agent = await token('service-agent');
    const admin = await token('admin');
    expect((await api('POST', '/admin/products', { token: pm, body: { code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', riskLevel: 'R1', pricing: null } })).status).toBe(201);
    for (const [id, phone] of [['G1', GOOD], ['D1', DEAD], ['A1', AWAY]] as const) {
      await api('PUT', `/admin/customers/${id}`, { token: admin, body: { phone, assetsFen: 0, riskTolerance: 'C3', timezone: daytimeZone() } });
      await text(phone, 'DY IPO');
    }
  });

  it('gives every SMS an SNS MessageId and, by the time the request answers, its receipt (delivered by default)', async () => {
    const [reply] = await outbox(GOOD);
    expect(reply).toMatchObject({ to: GOOD, snsMessageId: expect.any(String), receipt: 'delivered' });
  });

  it('refuses an unknown carrier outcome or a bad number with 400', async () => {
    expect((await post('/local/sms/carrier', { phone: DEAD, outcome: 'lost-at-sea' })).status).toBe(400);
    expect((await post('/local/sms/carrier', { phone: 'nobody', outcome: 'blocked' })).status).toBe(400);
  });

  it('counts delivered and undelivered per message, lists recipients by status, and stops SMS to a number reported invalid twice in a row', async () => {
    expect((await post('/local/sms/carrier', { phone: DEAD, outcome: 'invalid-number' })).status).toBe(204);
    expect((await post('/local/sms/carrier', { phone: AWAY, outcome: 'unreachable' })).status).toBe(204);
    const first = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'IPO', body: '明日新股申购：回执科技' } });
    const id = first.body.messageId as string;
    const view = await api('GET', `/admin/messages/${id}`, { token: pm });
    expect(view.body.counts).toMatchObject({ recipients: 3, sent: 3, delivered: 1, undelivered: 2, undeliveredByReason: { 'invalid-number': 1, unreachable: 1 } });
    expect(view.body.counts.priceUsd).toBeGreaterThan(0);
    const undelivered = await api('GET', `/admin/messages/${id}/recipients?status=undelivered`, { token: pm });
    expect(undelivered.body.items.map((r: { customerId: string; reason: string }) => [r.customerId, r.reason]).sort()).toEqual([
      ['A1', 'unreachable'],
      ['D1', 'invalid-number'],
    ]);
    expect((await outbox(DEAD)).at(-1)).toMatchObject({ body: '【XX证券】明日新股申购：回执科技回TD退订', receipt: 'undelivered' });
    expect((await api('GET', '/admin/customers/D1', { token: agent })).body.phoneStatus).toBe('ok');

    await api('POST', '/admin/messages', { token: pm, body: { productCode: 'IPO', body: '上市提醒：回执科技' } });
    expect((await api('GET', '/admin/customers/D1', { token: agent })).body.phoneStatus).toBe('undeliverable');
    expect((await api('GET', '/admin/customers/A1', { token: agent })).body.phoneStatus).toBe('ok'); // unreachable never suppresses

    const before = (await outbox(DEAD)).length;
    const third = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'IPO', body: '中签提醒' } });
    expect((await outbox(DEAD)).length).toBe(before);
    expect((await api('GET', `/admin/messages/${third.body.messageId}`, { token: pm })).body.counts.skippedByReason).toEqual({ undeliverable: 1 });

    // The client texts from the number: the reply still goes, and the number is tried again.
    await post('/local/sms/carrier', { phone: DEAD, outcome: 'delivered' });
    await text(DEAD, 'CX');
    expect((await outbox(DEAD)).length).toBe(before + 1);
    expect((await api('GET', '/admin/customers/D1', { token: agent })).body.phoneStatus).toBe('ok');
  });

  it("shows an agent every SMS sent to a client, newest first, with its kind and status; product managers may not read it", async () => {
    const history = await api('GET', '/admin/customers/D1/messages', { token: agent });
    expect(history.status).toBe(200);
    expect(history.body.items.map((s: { kind: string; status: string }) => `${s.kind}:${s.status}`)).toEqual(['reply:delivered', 'broadcast:undelivered', 'broadcast:undelivered', 'reply:delivered']);
    expect(history.body.items[1]).toMatchObject({ productCode: 'IPO', body: '【XX证券】上市提醒：回执科技回TD退订', reason: 'invalid-number' });
    expect((await api('GET', '/admin/customers/D1/messages', { token: pm })).status).toBe(403);
    expect((await api('GET', '/admin/customers/D1/messages', { token: await token('compliance') })).status).toBe(200);
  });
});
