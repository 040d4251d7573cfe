import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumedEvents, detailSchemaFor, eventEnvelopeSchema, inboundSmsSchema, recipientBatchSchema, snsEventSchema, sqsEventSchema } from '../../events/index.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../events/samples');

describe('events/', () => {
  const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json') && !f.startsWith('sns.') && !f.startsWith('sqs.'));

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
