import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { dynamoRepositories, type DynamoRepositories } from '../../packages/dynamo/index.ts';
import { LOCAL_AWS_ENV, ensureTable } from '../../packages/local/index.ts';
import { httpEvent, parse } from './http.ts';

/**
 * The DynamoDB Local endpoint of this run. Refuses anything that is not on this machine,
 * so an integration test can never touch a real table.
 */
export function localDynamoEndpoint(): string {
  const endpoint = inject('dynamoEndpoint');
  const host = endpoint ? new URL(endpoint).hostname : '';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`Integration tests run only against DynamoDB Local on this machine, not "${endpoint}"`);
  }
  return endpoint;
}

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  repos: DynamoRepositories;
  /** Every item in the table (a Scan: for assertions only, never in platform code). */
  items(): Promise<Array<Record<string, unknown>>>;
  drop(): Promise<void>;
}

let counter = 0;

/** A fresh table with the deployed definition, on the run's DynamoDB Local. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = localDynamoEndpoint();
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = `test-${process.pid}-${Date.now()}-${counter++}`;
  await ensureTable(client, tableName);
  return {
    tableName,
    client,
    doc,
    repos: dynamoRepositories(doc, tableName),
    items: async () => {
      const all: Array<Record<string, unknown>> = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey, ConsistentRead: true }));
        all.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return all;
    },
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

/** Points the Lambda handlers (which read process.env at import) at a test table. */
export function useTableForHandlers(table: TestTable): void {
  Object.assign(process.env, LOCAL_AWS_ENV, {
    AWS_ENDPOINT_URL_DYNAMODB: localDynamoEndpoint(),
    TABLE_NAME: table.tableName,
    CURSOR_SECRET: 'test-cursor-secret-of-at-least-32-characters',
    DISPATCHER_FUNCTION: 'dispatcher-not-invoked-in-these-tests',
    DISPATCHER_ARN: 'arn:aws:lambda:local:000000000000:function:dispatcher-not-invoked',
    SUPERVISION_ARN: 'arn:aws:lambda:local:000000000000:function:supervision-not-invoked',
    SCHEDULE_GROUP: 'not-used-in-these-tests',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/not-used',
  });
}

/**
 * For a test file: a fresh table, and the admin-API Lambda handler (imported after its env
 * points at that table) called with API Gateway v2 events.
 */
export function adminApiOnTestTable() {
  const ctx = {} as {
    table: TestTable;
    call: (...args: Parameters<typeof httpEvent>) => Promise<ReturnType<typeof parse>>;
  };
  beforeAll(async () => {
    ctx.table = await createTestTable();
    useTableForHandlers(ctx.table);
    const { handler } = await import('../../functions/admin-api/index.ts');
    ctx.call = async (...args) => parse(await handler(httpEvent(...args), {} as never));
  });
  afterAll(async () => ctx.table?.drop());
  return ctx;
}
