import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from '../../../packages/lambda/index.ts';
import { parse } from '../../support/http.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const fixture = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../../events/admin-api/post-product.json'), 'utf8'),
) as HttpEvent;

let handler: (typeof import('../../../functions/admin-api/index.ts'))['handler'];

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'unit-table');
  vi.stubEnv('AWS_REGION', 'cn-north-1');
  vi.stubEnv('DISPATCHER_FUNCTION', 'dispatcher');
  vi.stubEnv('DISPATCHER_ARN', 'arn:aws-cn:lambda:cn-north-1:111122223333:function:dispatcher');
  vi.stubEnv('SUPERVISION_ARN', 'arn:aws-cn:lambda:cn-north-1:111122223333:function:supervision');
  vi.stubEnv('SCHEDULE_GROUP', 'sms-platform');
  vi.stubEnv('SCHEDULER_ROLE_ARN', 'arn:aws-cn:iam::111122223333:role/scheduler');
  vi.stubEnv('CURSOR_SECRET', 'unit-test-cursor-secret-of-at-least-32-chars');
  ({ handler } = await import('../../../functions/admin-api/index.ts'));
});

afterEach(() => {
  ddb.reset();
});

describe('admin-api handler', () => {
  it('creates the product of a real HTTP API event, with its audit record, in one conditional transaction', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    const res = parse(await handler(fixture, {} as never));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'TIPS', listed: true, eligibleTiers: ['normal', 'silver', 'gold', 'platinum'] });

    const [write] = ddb.commandCalls(TransactWriteCommand);
    const items = write!.args[0].input.TransactItems!;
    expect(items).toHaveLength(2);
    expect(items[0]!.Put).toMatchObject({
      TableName: 'unit-table',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'PRODUCT#TIPS', sk: 'PRODUCT', code: 'TIPS' },
    });
    expect(items[1]!.Put!.Item).toMatchObject({
      pk: 'AUDIT#TIPS',
      action: 'product.created',
      actor: 'pm.wang',
      role: 'product-manager',
      channel: 'admin-api',
    });
  });

  it('turns a failed create condition into 409 product-exists', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const res = parse(await handler(fixture, {} as never));
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('product-exists');
  });

  it('answers 500 without internals when DynamoDB fails unexpectedly', async () => {
    ddb.on(GetCommand).rejects(new Error('ProvisionedThroughputExceeded on arn:aws:dynamodb:table/unit-table'));
    const res = parse(await handler(fixture, {} as never));
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('unit-table');
  });
});
