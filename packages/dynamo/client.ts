import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStore } from './store.ts';

/**
 * The store over a new DynamoDB client. Call once per process, at module level: the endpoint
 * comes from the environment (AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local).
 */
export function createDynamoStore(tableName: string): DynamoStore {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoStore(client, tableName);
}
