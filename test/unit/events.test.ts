import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumedEvents, detailSchemaFor, eventEnvelopeSchema, inboundSmsSchema, recipientBatchSchema, snsEventSchema, sqsEventSchema } from '../../events/index.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../events/samples');

describe('events/', () => {
  const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json') && !f.startsWith('sns.') && !f.startsWith('sqs.') && !f.startsWith('logs.'));

  it('has a sample for every consumed event', () => {
    const expected = Object.entries(consumedEvents).flatMap(([source, types]) => Object.keys(types).map((t) => `${source}.${t}.json`));
    expect(files.sort()).toEqual(expected.sort());
  });

  it.each(files)('%s is valid against its schema', (file) => {
    const event = eventEnvelopeSchema.parse(JSON.parse(readFileSync(path.join(SAMPLES, file), 'utf8')));
    const schema = detailSchemaFor(event.source, event['detail-type']);
    expect(schema).toBeDefined();
    expect(schema!.safeParse(event.detail).success).toBe(true);
  });

  it('rejects a CommissionCharged detail with a fractional commission', () => {
    const schema = detailSchemaFor('trading', 'CommissionCharged')!;
    expect(schema.safeParse({ customerId: 'C', tradeId: 'T', commissionFen: 1.5, at: '2026-11-25T00:00:00Z' }).success).toBe(false);
  });
});

describe('events/samples/sns.InboundSms.json', () => {
  it('is an SNS event whose message is an inbound SMS of two-way SMS', () => {
    const event = snsEventSchema.parse(JSON.parse(readFileSync(path.join(SAMPLES, 'sns.InboundSms.json'), 'utf8')));
    const message = inboundSmsSchema.parse(JSON.parse(event.Records[0]!.Sns.Message));
    expect(message).toMatchObject({ originationNumber: '+8613800138000', messageBody: 'DY IPO' });
  });
});

describe('events/samples/sqs.RecipientBatch.json', () => {
  it('is an SQS event whose body is a recipient batch', () => {
    const event = sqsEventSchema.parse(JSON.parse(readFileSync(path.join(SAMPLES, 'sqs.RecipientBatch.json'), 'utf8')));
    const batch = recipientBatchSchema.parse(JSON.parse(event.Records[0]!.body));
    expect(batch).toMatchObject({ productCode: 'IPO', smsType: 'Promotional', customerIds: ['C001', 'C002'] });
  });

  it('rejects a batch of more than 100 recipients', () => {
    const customerIds = Array.from({ length: 101 }, (_, i) => `C${i}`);
    expect(recipientBatchSchema.safeParse({ messageId: 'M', batchId: '0-0', customerIds, productCode: 'IPO', smsType: 'Promotional', text: 'x' }).success).toBe(false);
  });
});

describe('event bounds', () => {
  const fieldsOf = (schema: { safeParse(v: unknown): { error?: { issues: Array<{ path: PropertyKey[] }> } } }, value: unknown) =>
    schema.safeParse(value).error?.issues.map((i) => i.path.join('.')) ?? [];
  const big = 'x'.repeat(100_000);
  const at = '2026-11-25T02:00:00Z';

  it('refuses ids, names and codes longer than their bounds, naming the field', () => {
    expect(fieldsOf(consumedEvents.trading.CommissionCharged, { customerId: 'C1', tradeId: big, commissionFen: 100, at })).toEqual(['tradeId']);
    expect(fieldsOf(consumedEvents.trading.AccountEvent, { customerId: 'C1', eventId: big, type: 'trade-filled', data: {}, at })).toEqual(['eventId']);
    expect(fieldsOf(consumedEvents.crm.CustomerReferred, { referrerId: 'C1', referredId: big, at })).toEqual(['referredId']);
    expect(fieldsOf(consumedEvents.market.IpoScheduled, { ipoId: 'I1', stockCode: '688001', stockName: big, subscriptionDate: '2027-01-05' })).toEqual(['stockName']);
  });

  it('refuses an implausible commission and an alert type or value that could carry text to a phone', () => {
    expect(fieldsOf(consumedEvents.trading.CommissionCharged, { customerId: 'C1', tradeId: 'T1', commissionFen: 9007199254740991, at })).toEqual(['commissionFen']);
    expect(fieldsOf(consumedEvents.trading.AccountEvent, { customerId: 'C1', eventId: 'E1', type: big, data: {}, at })).toEqual(['type']);
    expect(fieldsOf(consumedEvents.trading.AccountEvent, { customerId: 'C1', eventId: 'E1', type: 'trade-filled', data: { stockCode: 'a\u0000b' }, at })).toEqual(['data.stockCode']);
    expect(fieldsOf(consumedEvents.trading.AccountEvent, { customerId: 'C1', eventId: 'E1', type: 'trade-filled', data: { note: big }, at })).toEqual(['data.note']);
  });
});
