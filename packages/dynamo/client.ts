import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoRepositories, type DynamoRepositories } from './repositories.ts';
import { DynamoSendBudget } from './send-budget.ts';

let client: DynamoDBDocumentClient | undefined;

/**
 * The one DynamoDB client of the process, created on first use (at module level in a handler):
 * the endpoint comes from the environment (AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local).
 */
function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  return client;
}

/** The repositories of the table, over the process's one client; `cursorSecret` seals the page cursors handed to callers. */
export function tableRepositories(tableName: string, cursorSecret?: string): DynamoRepositories {
  return dynamoRepositories(documentClient(), tableName, { ...(cursorSecret && { cursorSecret }) });
}

/** The account's SMS send budget, kept in the table (shared by every concurrent sender). */
export function createSendBudget(tableName: string, perSecond: number): DynamoSendBudget {
  return new DynamoSendBudget(documentClient(), tableName, perSecond);
}
