import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { SnsSmsSender } from '../../packages/aws/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createPlatformServices, fieldErrors, loadConfig, logger, platformConfigSchema, systemClock, ulidGenerator } from '../../packages/lambda/index.ts';

const config = loadConfig(platformConfigSchema);
const sender = new SnsSmsSender(new SNSClient({}), {
  ...(config.SMS_SENDER_ID && { senderId: config.SMS_SENDER_ID }),
  ...(config.SMS_ORIGINATION_NUMBER && { originationNumber: config.SMS_ORIGINATION_NUMBER }),
});
const messages = createPlatformServices(config, createDynamoStore(config.TABLE_NAME), systemClock, ulidGenerator, sender).messages();

const sqsEventSchema = z.object({ Records: z.array(z.object({ messageId: z.string(), body: z.string() })) });
const batchSchema = z.object({ messageId: z.string().min(1), batchId: z.string().min(1), customerIds: z.array(z.string()).min(1).max(100) });

/**
 * SQS event source: each record is one recipient batch. A batch that fails is reported back
 * (partial batch failure) and retried by SQS; after maxReceiveCount it lands in the DLQ.
 */
export const handler = middy(async (event: unknown): Promise<SQSBatchResponse> => {
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Not an SQS event', fieldErrors(parsed.error));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of parsed.data.Records) {
    try {
      const outcome = await messages.sendBatch(batchSchema.parse(JSON.parse(record.body)));
      logger.info('batch sent', { sqsMessageId: record.messageId, ...outcome });
    } catch (error) {
      logger.error('batch failed', { sqsMessageId: record.messageId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}).use(injectLambdaContext(logger));
