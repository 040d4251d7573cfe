import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryReceipt, SentSms, UndeliveredReason } from '../../packages/core/index.ts';
import { messagePipeline } from '../support/messages.ts';
import { agent, pm, servicesOnTestTable } from '../support/services.ts';

let p: Awaited<ReturnType<typeof servicesOnTestTable>>;
let n = 0;
const phoneOf = (i: number) => `+8613600${String(136000 + i).padStart(6, '0')}`;
const text = (from: string, body: string) => p.sms().handleInbound({ from, text: body, inboundMessageId: `r-${n++}` });

/** The SMS recorded for a message, by recipient phone (what a receipt names: its SNS MessageId). */
async function sentFor(messageId: string): Promise<Map<string, SentSms>> {
  const page = await p.repos.smsLog.listForMessage(messageId, { limit: 1000 });
  return new Map(page.items.map((s) => [s.phone, s]));
}

/** The receipt the carrier would send for an SMS, at `at` (default: a minute after it was sent). */
function receipt(sms: Pick<SentSms, 'smsId' | 'phone' | 'sentAt'>, outcome: 'delivered' | UndeliveredReason, at?: string): DeliveryReceipt {
  return {
    smsId: sms.smsId,
    status: outcome === 'delivered' ? 'delivered' : 'undelivered',
    ...(outcome !== 'delivered' && { reason: outcome }),
    providerResponse: outcome === 'delivered' ? 'Message has been accepted by phone carrier' : `carrier said ${outcome}`,
    priceUsd: 0.00645,
    destination: sms.phone,
    at: at ?? new Date(Date.parse(sms.sentAt) + 60_000).toISOString(),
  };
}

/** A broadcast to the IPO subscribers, sent; the SMS recorded for it by phone. */
async function broadcast(body: string) {
  const { service, drain } = messagePipeline(p, { sender: p.sender });
  const published = await service.publish({ productCode: 'IPO', body }, pm);
  await drain();
  return { messageId: published.messageId, service, sms: await sentFor(published.messageId) };
}

beforeAll(async () => {
  p = await servicesOnTestTable('2026-11-25T02:00:00.000Z');
  await p.product({ code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', pricing: null });
  await p.product({ code: 'ALERTS', name: '账户提醒', kind: 'account-alerts', pricing: null });
  for (let i = 0; i < 6; i++) {
    await p.customers.putCustomer(`R${i}`, { phone: phoneOf(i), assetsFen: 0, riskTolerance: 'C3' }, agent);
    await text(phoneOf(i), 'DY IPO');
  }
});
afterAll(async () => p.table.drop());

describe('delivery receipts (ReceiptService on DynamoDB Local)', () => {
  it('counts what the carrier reported: delivered + undelivered + awaiting = sent, by reason, with the cost; lists recipients by status', async () => {
    const { messageId, service, sms } = await broadcast('明日新股申购：回执科技');
    expect(sms.size).toBe(6);
    const outcome = await p.receipts.handleReceipts([
      receipt(sms.get(phoneOf(0))!, 'delivered'),
      receipt(sms.get(phoneOf(1))!, 'delivered'),
      receipt(sms.get(phoneOf(2))!, 'delivered'),
      receipt(sms.get(phoneOf(3))!, 'unreachable'),
    ]);
    expect(outcome).toEqual({ applied: 4, duplicates: 0, parked: 0, unknown: 0 });
    const counts = (await service.view(messageId)).counts;
    expect(counts).toMatchObject({ sent: 6, delivered: 3, undelivered: 1, undeliveredByReason: { unreachable: 1 }, awaitingReceipt: 2, receiptsOverdue: 0 });
    expect(counts.delivered + counts.undelivered + counts.awaitingReceipt).toBe(counts.sent);
    expect(counts.priceUsd).toBeCloseTo(4 * 0.00645, 8);

    const awaiting = await service.recipients(messageId, { status: 'sent' });
    expect(awaiting.items.map((r) => r.customerId).sort()).toEqual(['R4', 'R5']);
    const undelivered = await service.recipients(messageId, { status: 'undelivered' });
    expect(undelivered.items).toEqual([{ customerId: 'R3', status: 'undelivered', reason: 'unreachable', at: expect.any(String) }]);
    // Every recipient once, whatever their status, a page at a time.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.recipients(messageId, { limit: 2, ...(cursor && { cursor }) });
      seen.push(...page.items.map((r) => r.customerId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['R0', 'R1', 'R2', 'R3', 'R4', 'R5']);

    // After the wait (72 hours from the last batch), those still without a receipt are overdue.
    p.clock.set('2026-11-28T03:00:00.000Z');
    expect((await service.view(messageId)).counts).toMatchObject({ awaitingReceipt: 2, receiptsOverdue: 2 });
    p.clock.set('2026-11-25T02:00:00.000Z');
    const stats = await p.catalog.getStatistics('IPO');
    expect(stats).toMatchObject({ delivered: 3 });
    expect(stats.priceUsd).toBeCloseTo(4 * 0.00645, 8);
  });

  it('counts a receipt once however often it comes: twice in one payload, again in a later one, or in two calls at once', async () => {
    const { messageId, service, sms } = await broadcast('重复回执');
    const r0 = receipt(sms.get(phoneOf(0))!, 'delivered');
    expect(await p.receipts.handleReceipts([r0, r0])).toMatchObject({ applied: 1, duplicates: 1 });
    expect(await p.receipts.handleReceipts([r0])).toMatchObject({ applied: 0, duplicates: 1 });
    const r1 = receipt(sms.get(phoneOf(1))!, 'delivered');
    const both = await Promise.all([p.receipts.handleReceipts([r1]), p.receipts.handleReceipts([r1])]);
    expect(both.map((o) => o.applied).sort()).toEqual([0, 1]);
    // A later receipt for an SMS already final (delivered, then a stray failure) changes nothing.
    await p.receipts.handleReceipts([receipt(sms.get(phoneOf(0))!, 'invalid-number')]);
    expect((await service.view(messageId)).counts).toMatchObject({ delivered: 2, undelivered: 0, awaitingReceipt: 4 });
  });

  it('parks a receipt that comes before its SMS is recorded and counts it once the SMS is; drops one for an SMS never sent after the wait, counted', async () => {
    const early = { smsId: 'sns-early-1', phone: phoneOf(5), sentAt: '2026-11-25T02:00:00.000Z' };
    expect(await p.receipts.handleReceipts([receipt(early, 'delivered'), receipt({ ...early, smsId: 'never-ours' }, 'delivered')])).toMatchObject({ parked: 2, applied: 0 });
    expect(await p.receipts.retryParked()).toMatchObject({ applied: 0, parked: 2, unknown: 0 });
    // The sender's record arrives late.
    await p.repos.smsLog.record([{ ...early, kind: 'reply', customerId: 'R5', body: '【XX证券】迟到的记录', status: 'sent' }]);
    expect(await p.receipts.retryParked()).toMatchObject({ applied: 1, parked: 1, unknown: 0 });
    const [late] = (await p.customers.listMessagesSent('R5', {})).items.filter((s) => s.body === '【XX证券】迟到的记录');
    expect(late).toMatchObject({ kind: 'reply', status: 'delivered' });
    // 73 hours later the other one is known never to have been ours.
    p.clock.set('2026-11-28T03:00:00.000Z');
    expect(await p.receipts.retryParked()).toMatchObject({ applied: 0, parked: 0, unknown: 1 });
    expect(await p.receipts.retryParked()).toEqual({ applied: 0, duplicates: 0, parked: 0, unknown: 0 });
    p.clock.set('2026-11-25T02:00:00.000Z');
  });

  it('makes a number undeliverable after two invalid-number receipts in a row: broadcasts and alerts skip it, replies to its texts still go, an inbound SMS clears it', async () => {
    await text(phoneOf(4), 'DY ALERTS');
    const first = await broadcast('第一条');
    await p.receipts.handleReceipts([receipt(first.sms.get(phoneOf(4))!, 'invalid-number')]);
    expect((await p.customers.getCustomerView('R4')).phoneStatus).toBe('ok');
    const second = await broadcast('第二条');
    await p.receipts.handleReceipts([receipt(second.sms.get(phoneOf(4))!, 'invalid-number')]);
    expect((await p.customers.getCustomerView('R4')).phoneStatus).toBe('undeliverable');

    p.sender.sent.length = 0;
    const third = await broadcast('第三条');
    expect(p.sender.sent.map((s) => s.to)).not.toContain(phoneOf(4)); // no SNS call
    expect((await third.service.view(third.messageId)).counts.skippedByReason).toMatchObject({ undeliverable: 1 });
    const alert = { customerId: 'R4', eventId: 'E-undeliverable', type: 'trade-filled', data: { stockCode: '600519', side: 'buy', quantity: 100 }, at: '2026-11-25T02:00:00Z' };
    expect(await p.alerts().sendAccountAlert(alert)).toBe('undeliverable');
    expect(p.sender.sent.map((s) => s.to)).not.toContain(phoneOf(4));

    // The client texts: the reply goes, and the number is tried again.
    await text(phoneOf(4), 'CX');
    expect(p.sender.sent.filter((s) => s.to === phoneOf(4))).toHaveLength(1);
    expect((await p.customers.getCustomerView('R4')).phoneStatus).toBe('ok');
    p.sender.sent.length = 0;
    await broadcast('第四条');
    expect(p.sender.sent.map((s) => s.to)).toContain(phoneOf(4));
  });

  it('opts a number with receipts on record out and back in by SMS, forgetting its receipts in the same write', async () => {
    const sent = await broadcast('有回执');
    await p.receipts.handleReceipts([receipt(sent.sms.get(phoneOf(5))!, 'invalid-number')]);
    p.sender.sent.length = 0;
    expect(await text(phoneOf(5), 'TD')).toMatchObject({ outcome: 'replied', command: 'opt-out' });
    expect(await text(phoneOf(5), 'START')).toMatchObject({ outcome: 'replied', command: 'opt-in' });
    expect(p.sender.sent.filter((s) => s.to === phoneOf(5))).toHaveLength(2);
    // The invalid-number receipt before the opt-out no longer counts towards suppression.
    const after = await broadcast('回来了');
    await p.receipts.handleReceipts([receipt(after.sms.get(phoneOf(5))!, 'invalid-number')]);
    expect((await p.customers.getCustomerView('R5')).phoneStatus).toBe('ok');
  });

  it('reads receipts in the carrier’s time order, whatever order they come in: a delivered one in between starts the count again', async () => {
    const sms = [await broadcast('甲'), await broadcast('乙'), await broadcast('丙')].map((b) => b.sms.get(phoneOf(3))!);
    const at = (minute: number) => `2026-11-25T03:${String(minute).padStart(2, '0')}:00.000Z`;
    // invalid at 03:01, delivered at 03:02, invalid at 03:03, arriving 03:03, 03:01, then (late) 03:02.
    await p.receipts.handleReceipts([receipt(sms[2]!, 'invalid-number', at(3))]);
    await p.receipts.handleReceipts([receipt(sms[0]!, 'invalid-number', at(1))]);
    expect((await p.customers.getCustomerView('R3')).phoneStatus).toBe('undeliverable'); // as far as is known
    await p.receipts.handleReceipts([receipt(sms[1]!, 'delivered', at(2))]);
    expect((await p.customers.getCustomerView('R3')).phoneStatus).toBe('ok');
  });

  it('never suppresses for unreachable or blocked; a PUT with another phone clears an undeliverable number', async () => {
    const a = await broadcast('不可达一');
    const b = await broadcast('不可达二');
    await p.receipts.handleReceipts([receipt(a.sms.get(phoneOf(2))!, 'unreachable'), receipt(a.sms.get(phoneOf(1))!, 'blocked')]);
    await p.receipts.handleReceipts([receipt(b.sms.get(phoneOf(2))!, 'unreachable'), receipt(b.sms.get(phoneOf(1))!, 'blocked')]);
    expect((await p.customers.getCustomerView('R2')).phoneStatus).toBe('ok');
    expect((await p.customers.getCustomerView('R1')).phoneStatus).toBe('ok');

    // Two invalid-number receipts for R0 arriving in two calls at once: both count.
    const c = await broadcast('失效一');
    const d = await broadcast('失效二');
    await Promise.all([p.receipts.handleReceipts([receipt(c.sms.get(phoneOf(0))!, 'invalid-number')]), p.receipts.handleReceipts([receipt(d.sms.get(phoneOf(0))!, 'invalid-number')])]);
    expect((await p.customers.getCustomerView('R0')).phoneStatus).toBe('undeliverable');
    await p.customers.putCustomer('R0', { phone: '+8613600199999', assetsFen: 0, riskTolerance: 'C3' }, agent);
    expect((await p.customers.getCustomerView('R0')).phoneStatus).toBe('ok');
  });

  it("lists every SMS sent to a client, newest first, with its kind, the text as sent and its status, a page at a time", async () => {
    await p.customers.putCustomer('HIST', { phone: '+8613600177777', assetsFen: 0, riskTolerance: 'C3' }, agent);
    p.clock.set('2026-11-25T02:01:00.000Z');
    await text('+8613600177777', 'DY IPO'); // a reply
    p.clock.set('2026-11-25T02:02:00.000Z');
    await text('+8613600177777', 'DY ALERTS');
    p.clock.set('2026-11-25T02:03:00.000Z');
    const { messageId, sms } = await broadcast('历史记录');
    await p.receipts.handleReceipts([receipt(sms.get('+8613600177777')!, 'delivered')]);
    p.clock.set('2026-11-25T02:04:00.000Z');
    await p.alerts().sendAccountAlert({ customerId: 'HIST', eventId: 'E-hist', type: 'trade-filled', data: { stockCode: '600519', side: 'sell', quantity: 200 }, at: '2026-11-25T02:00:00Z' });

    const all: Awaited<ReturnType<typeof p.customers.listMessagesSent>>['items'] = [];
    let cursor: string | undefined;
    do {
      const page = await p.customers.listMessagesSent('HIST', { limit: 2, ...(cursor && { cursor }) });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    expect(all.map((s) => s.kind)).toEqual(['alert', 'broadcast', 'reply', 'reply']);
    expect(all[1]).toEqual({ at: expect.any(String), kind: 'broadcast', messageId, productCode: 'IPO', body: '【XX证券】历史记录回TD退订', status: 'delivered' });
    expect(all[0]).toMatchObject({ kind: 'alert', productCode: 'ALERTS', status: 'sent' });
    expect(all.map((s) => s.at)).toEqual([...all.map((s) => s.at)].sort().reverse());
    p.clock.set('2026-11-25T02:00:00.000Z');
  });
});
