/**
 * Cold-start reference: the least a function of the platform does at module level, create the
 * DynamoDB DocumentClient. `npm run bench -- coldstart` bundles it as the CDK construct bundles
 * the functions and reports each function's import time relative to this one.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (): Promise<{ ok: true }> => ({ ok: true });
