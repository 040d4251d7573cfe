import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cloudWatchLogsEventSchema, receiptFromDeliveryStatus } from '../../../events/index.ts';
import { decodeDeliveryLogs } from '../../../packages/lambda/index.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../events/samples');
const sample = (file: string) => cloudWatchLogsEventSchema.parse(JSON.parse(readFileSync(path.join(SAMPLES, file), 'utf8')));
const payload = (body: unknown) => gzipSync(JSON.stringify(body)).toString('base64');
const envelope = (logEvents: Array<{ id: string; timestamp: number; message: string }>, messageType = 'DATA_MESSAGE') =>
  payload({ messageType, owner: '111122223333', logGroup: 'sns/cn-north-1/111122223333/DirectPublishToPhoneNumber', logStream: 's', subscriptionFilters: ['f'], logEvents });

describe('decodeDeliveryLogs', () => {
  it('reads the SNS delivery-status records of a real subscription payload (success log group) as delivered receipts', () => {
    const { records, malformed } = decodeDeliveryLogs(sample('logs.SmsDeliveryStatus.json').awslogs.data);
    expect(malformed).toEqual([]);
    expect(records.map(receiptFromDeliveryStatus)).toEqual([
      {
        smsId: '34d9b400-c6dd-5444-820d-fbeb0f1f54cf',
        status: 'delivered',
        providerResponse: 'Message has been accepted by phone carrier',
        priceUsd: 0.00645,
        destination: '+1XXX5550100',
        at: '2016-06-28T00:40:34.558Z',
      },
      expect.objectContaining({ smsId: '8f4f7c1e-6b0a-5d0e-9a57-3c1f2b7d9e10', status: 'delivered', destination: '+8613800138000', priceUsd: 0.01854 }),
    ]);
  });

  it('reads the failure log group as undelivered receipts, with the reason from the carrier’s words and the raw text kept', () => {
    const receipts = decodeDeliveryLogs(sample('logs.SmsDeliveryStatusFailure.json').awslogs.data).records.map(receiptFromDeliveryStatus);
    expect(receipts).toEqual([
      expect.objectContaining({ smsId: '1077257a-92f3-5ca3-bc97-6a915b310625', status: 'undelivered', reason: 'unknown', providerResponse: 'Unknown error attempting to reach phone' }),
      expect.objectContaining({ smsId: 'c2b6a9f0-1d3e-5f47-8a2b-6e9d0c4f7a31', status: 'undelivered', reason: 'invalid-number', providerResponse: 'Invalid phone number' }),
    ]);
  });

  it('skips and names each bad record (not JSON, not a delivery status), keeping the good ones', () => {
    const good = JSON.parse(JSON.stringify(decodeDeliveryLogs(sample('logs.SmsDeliveryStatus.json').awslogs.data).records[0]));
    const { records, malformed } = decodeDeliveryLogs(
      envelope([
        { id: 'e1', timestamp: 1, message: 'START RequestId: not json' },
        { id: 'e2', timestamp: 2, message: JSON.stringify({ notification: {}, status: 'MAYBE' }) },
        { id: 'e3', timestamp: 3, message: JSON.stringify(good) },
      ]),
    );
    expect(records).toHaveLength(1);
    expect(malformed.map((m) => m.id)).toEqual(['e1', 'e2']);
    expect(malformed[1]!.why).toContain('status');
  });

  it('counts a payload that is not gzipped JSON, or not a subscription payload, as one bad record', () => {
    expect(decodeDeliveryLogs('bm90IGd6aXA=').malformed).toEqual([{ id: 'payload', why: expect.stringContaining('not a gzipped JSON payload') }]);
    expect(decodeDeliveryLogs(payload({ hello: 'world' })).malformed).toEqual([{ id: 'payload', why: 'not a CloudWatch Logs subscription payload' }]);
  });

  it('reads nothing, and nothing bad, in the control message CloudWatch Logs sends to check a destination', () => {
    expect(decodeDeliveryLogs(envelope([{ id: 'c', timestamp: 1, message: 'CWL CONTROL MESSAGE: Checking health of destination' }], 'CONTROL_MESSAGE'))).toEqual({ records: [], malformed: [] });
  });
});
