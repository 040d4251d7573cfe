import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { createLocalAuth } from './dev-token.ts';
import { LOCAL_AWS_ENV, ensureTable, startDynamoDbLocal } from './dynamodb-local.ts';
import { LocalEventBus } from './event-bus.ts';
import { LocalOutbox } from './outbox.ts';
import { LocalScheduler } from './scheduler.ts';
import { createLocalServer } from './server.ts';

export interface LocalPlatformOptions {
  port: number;
  host?: string;
  /** Keep DynamoDB Local's data in this folder; in memory when absent. */
  dataDir?: string;
  tableName?: string;
}

export interface LocalPlatform {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

/**
 * The embedded platform: DynamoDB Local with the deployed table definition, the same Lambda
 * handlers, and local stand-ins (outbox, event bus, scheduler) behind the same ports.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const tableName = options.tableName ?? 'sms-platform-local';
  const dynamo = await startDynamoDbLocal(options.dataDir ? { dataDir: options.dataDir } : {});
  try {
    await ensureTable(dynamo.client, tableName);

    // The handlers read their configuration at import, exactly as a Lambda cold start does.
    Object.assign(process.env, LOCAL_AWS_ENV, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      TABLE_NAME: tableName,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    const { handler: adminHandler } = await import('../../functions/admin-api/index.ts');

    const server = createLocalServer({
      adminHandler,
      auth: createLocalAuth(),
      outbox: new LocalOutbox(),
      bus: new LocalEventBus(),
      scheduler: new LocalScheduler(),
      isReady: async () => {
        const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));
        return Table?.TableStatus === 'ACTIVE';
      },
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://${host}:${port}`,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      stop: async () => {
        await new Promise((r) => server.close(r));
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}
