import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient, ThrottledException, type PublishCommandInput } from '@aws-sdk/client-sns';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../packages/aws/index.ts';
import type { OutboundSms, SmsSender } from '../../packages/core/index.ts';
import { messagePipeline } from '../support/messages.ts';
import { agent, pm, servicesOnTestTable } from '../support/services.ts';

let p: Awaited<ReturnType<typeof servicesOnTestTable>>;
let sms: ReturnType<typeof p.sms>;
let n = 0;
const text = (from: string, body: string) => sms.handleInbound({ from, text: body, inboundMessageId: `b-${n++}` });
const phoneOf = (i: number) => `+8613500${String(135000 + i).padStart(6, '0')}`;

/** The message roles with in-process stand-ins for the dispatch trigger and the queue (as the local runtime wires them). */
function messages(sender: SmsSender, options: { batchSize?: number } = {}) {
  return messagePipeline(p, { sender, batchSize: options.batchSize ?? 100 });
}

beforeAll(async () => {
  p = await servicesOnTestTable();
  sms = p.sms();
  await p.product({ code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', pricing: null });
  await p.product({ code: 'TIPS', name: '投资参考', pricing: { periodDays: 1, pointsPrice: 10 } });
  for (let i = 0; i < 5; i++) {
    await p.customers.putCustomer(`B${i}`, { phone: phoneOf(i), assetsFen: 0, riskTolerance: 'C3' }, agent);
    await text(phoneOf(i), 'DY IPO');
  }
});
afterAll(async () => p.table.drop());
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

describe('broadcast (MessageService on DynamoDB Local)', () => {
  it('skips a number that opted out with TD, reaches it again after START, and accounts for every recipient', async () => {
    await text(phoneOf(1), 'TD');
    await text(phoneOf(2), 'TD IPO');
    const sender = { sent: [] as OutboundSms[], send: async (s: OutboundSms) => (sender.sent.push(s), { messageId: randomUUID() }) };
    const { service, drain } = messages(sender);
    const published = await service.publish({ productCode: 'IPO', body: '明日新股申购：示例科技' }, pm);
    expect(published.estimate).toEqual({ recipients: 4, segments: 1 });
    await drain();
    expect(sender.sent.map((s) => s.to).sort()).toEqual([phoneOf(0), phoneOf(3), phoneOf(4)]);
    expect(sender.sent[0]).toMatchObject({ body: '【XX证券】明日新股申购：示例科技回TD退订', smsType: 'Promotional' });
    const counts = (await service.view(published.messageId)).counts;
    expect(counts).toEqual({
      recipients: 4,
      sent: 3,
      failed: 0,
      skipped: 1,
      deferred: 0,
      skippedByReason: { 'opted-out': 1 },
      // No receipt yet: all three sent are awaiting theirs.
      delivered: 0,
      undelivered: 0,
      undeliveredByReason: {},
      priceUsd: 0,
      awaitingReceipt: 3,
      receiptsOverdue: 0,
    });

    await text(phoneOf(1), 'START');
    sender.sent.length = 0;
    const again = await service.publish({ productCode: 'IPO', body: '上市提醒' }, pm);
    await drain();
    expect(sender.sent.map((s) => s.to).sort()).toEqual([phoneOf(0), phoneOf(1), phoneOf(3), phoneOf(4)]);
    expect((await service.view(again.messageId)).status).toBe('sent');
  });

  it('skips a subscription that expired after it entered the audience', async () => {
    await p.points.adjust('B0', { delta: 10, reason: 'gift' }, 'tips-fund', agent);
    await p.points.redeemWithPoints('B0', 'TIPS', 'tips-1', agent);
    p.clock.advanceDays(2);
    const sender = { sent: [] as OutboundSms[], send: async (s: OutboundSms) => (sender.sent.push(s), { messageId: randomUUID() }) };
    const { service, drain } = messages(sender);
    const message = await service.publish({ productCode: 'TIPS', body: 'tips' }, pm);
    await drain();
    expect(sender.sent).toEqual([]);
    expect((await service.view(message.messageId)).counts.skippedByReason).toEqual({ expired: 1 });
    p.clock.set('2026-11-25T02:00:00.000Z');
  });

  it('never sends twice: a redelivered batch and two senders racing for one batch each reach a recipient once', async () => {
    const sender = { sent: [] as OutboundSms[], send: async (s: OutboundSms) => (sender.sent.push(s), { messageId: randomUUID() }) };
    const { service, queued } = messages(sender, { batchSize: 2 });
    const message = await service.publish({ productCode: 'IPO', body: 'once' }, pm);
    const batches = [...queued];
    await Promise.all(batches.flatMap((b) => [service.sendBatch(b), service.sendBatch(b)]));
    for (const b of batches) await service.sendBatch(b);
    expect(sender.sent.map((s) => s.to).sort()).toEqual([phoneOf(0), phoneOf(1), phoneOf(3), phoneOf(4)]);
    const counts = (await service.view(message.messageId)).counts;
    expect(counts).toMatchObject({ recipients: 4, sent: 4, failed: 0, skipped: 0, deferred: 0, skippedByReason: {}, awaitingReceipt: 4 });
  });

  it('with 20% of SNS calls throttled (aws-sdk-client-mock), every recipient still gets exactly one SMS', async () => {
    let calls = 0;
    const delivered: string[] = [];
    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      calls++;
      if (calls % 5 === 1) throw new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
      delivered.push(input.PhoneNumber!);
      return { MessageId: String(calls) };
    });
    const { service, drain } = messages(new SnsSmsSender(new SNSClient({ region: 'cn-north-1' })));
    const message = await service.publish({ productCode: 'IPO', body: 'throttled' }, pm);
    await drain();
    expect(calls).toBe(5); // one in five throttled, then retried
    expect(delivered.sort()).toEqual([phoneOf(0), phoneOf(1), phoneOf(3), phoneOf(4)]);
    expect((await service.view(message.messageId)).counts).toMatchObject({ sent: 4, failed: 0 });
  });

  it('a sender that dies between SNS publishes and its outcome record resends to nobody when the batch comes again', async () => {
    const delivered: string[] = [];
    let crashAfter = 2;
    const crashing: SmsSender = {
      send: async (s) => {
        if (crashAfter-- <= 0) throw new Error('process killed');
        delivered.push(s.to);
        return { messageId: randomUUID() };
      },
    };
    const { service, queued } = messages(crashing);
    const message = await service.publish({ productCode: 'IPO', body: 'crash' }, pm);
    const [batch] = queued;
    // A crash is not a throttle: publishWithRetry reports a failure; simulate the process dying by
    // dropping this attempt's outcome record, then let SQS deliver the batch again.
    const first = await service.sendBatch(batch!);
    expect(first.sent).toBe(2);
    const records = (await p.table.items()).filter((i) => i.pk === `MESSAGE#${message.messageId}` && String(i.sk).startsWith('BATCH#'));
    for (const r of records) await p.table.doc.send(new DeleteCommand({ TableName: p.table.tableName, Key: { pk: r.pk, sk: r.sk } }));
    crashAfter = 100;
    const again = await service.sendBatch(batch!);
    expect(again).toEqual({ sent: 0, failed: 0, skipped: {}, deferred: 0 });
    expect(delivered).toHaveLength(2);
    expect(new Set(delivered).size).toBe(2);
    // The window (README): those recipients are claimed but no longer counted.
    const counts = (await service.view(message.messageId)).counts;
    expect(counts.sent + counts.failed + counts.skipped).toBeLessThan(counts.recipients);
  });
});
