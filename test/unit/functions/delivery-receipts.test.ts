import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const ddb = mockClient(DynamoDBDocumentClient);
const SAMPLES = path.resolve(import.meta.dirname, '../../../events/samples');
const sample = (file: string) => JSON.parse(readFileSync(path.join(SAMPLES, file), 'utf8')) as unknown;

let handler: (typeof import('../../../functions/delivery-receipts/index.ts'))['handler'];

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'unit-table');
  vi.stubEnv('AWS_REGION', 'cn-north-1');
  ({ handler } = await import('../../../functions/delivery-receipts/index.ts'));
});

afterEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

/** The EMF metric lines the handler printed, by metric name. */
function metrics(log: ReturnType<typeof vi.spyOn>): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [line] of log.mock.calls) {
    if (typeof line !== 'string' || !line.includes('CloudWatchMetrics')) continue;
    const emf = JSON.parse(line) as { _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> } } & Record<string, number>;
    for (const m of emf._aws.CloudWatchMetrics[0]!.Metrics) found[m.Name] = emf[m.Name]!;
  }
  return found;
}

describe('delivery-receipts handler', () => {
  it('parks the receipts of a real subscription payload whose SMS are not recorded yet, in one batched write', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'unit-table': [] } });
    ddb.on(BatchWriteCommand).resolves({});
    const result = await handler(sample('logs.SmsDeliveryStatus.json'), {} as never);
    expect(result).toEqual({ applied: 0, duplicates: 0, parked: 2, unknown: 0, malformed: 0 });
    const [write] = ddb.commandCalls(BatchWriteCommand);
    expect(write!.args[0].input.RequestItems!['unit-table']!.map((r) => r.PutRequest!.Item!.pk)).toEqual(['RECEIPT#34d9b400-c6dd-5444-820d-fbeb0f1f54cf', 'RECEIPT#8f4f7c1e-6b0a-5d0e-9a57-3c1f2b7d9e10']);
  });

  it('skips a malformed record, counting it in a metric, and still handles the rest of the batch', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'unit-table': [] } });
    ddb.on(BatchWriteCommand).resolves({});
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const good = { notification: { messageId: 'm-1', timestamp: '2026-11-25 00:45:02.113' }, delivery: { destination: '+8613800138000', providerResponse: 'Invalid phone number', priceInUSD: 0.01 }, status: 'FAILURE' };
    const data = gzipSync(
      JSON.stringify({
        messageType: 'DATA_MESSAGE',
        owner: '111122223333',
        logGroup: 'sns/cn-north-1/111122223333/DirectPublishToPhoneNumber/Failure',
        logStream: 's',
        subscriptionFilters: ['f'],
        logEvents: [
          { id: '1', timestamp: 1, message: '{"truncated":' },
          { id: '2', timestamp: 2, message: JSON.stringify(good) },
        ],
      }),
    ).toString('base64');
    const result = await handler({ awslogs: { data } }, {} as never);
    expect(result).toMatchObject({ parked: 1, malformed: 1 });
    expect(metrics(log)).toMatchObject({ ReceiptRecordsMalformed: 1 });
  });

  it('refuses an event that is neither a subscription payload nor the retry schedule’s input', async () => {
    await expect(handler({ hello: 'world' }, {} as never)).rejects.toThrow(/CloudWatch Logs subscription event/);
    expect(ddb.calls()).toHaveLength(0);
  });
});
