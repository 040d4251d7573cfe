import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { recipientBatchSchema, sqsEventSchema } from '../../events/index.ts';
import { EventBridgeMessageScheduler, SnsSmsSender } from '../../packages/aws/index.ts';
import { ValidationError, type MessageService, type SmsSender } from '../../packages/core/index.ts';
import { createDynamoStore, createSendBudget } from '../../packages/dynamo/index.ts';
import { createPlatformServices, fieldErrors, loadConfig, logger, platformConfigSchema, schedulerEnvSchema, systemClock, ulidGenerator } from '../../packages/lambda/index.ts';

const config = loadConfig(
  platformConfigSchema.extend({
    // Quiet-hours releases are one-time schedules that invoke the dispatcher.
    DISPATCHER_ARN: z.string().min(1),
    ...schedulerEnvSchema,
  }),
);
const store = createDynamoStore(config.TABLE_NAME);
const scheduler = new EventBridgeMessageScheduler(new SchedulerClient({}), {
  groupName: config.SCHEDULE_GROUP,
  dispatcherArn: config.DISPATCHER_ARN,
  roleArn: config.SCHEDULER_ROLE_ARN,
  ...(config.SCHEDULER_DLQ_ARN && { deadLetterArn: config.SCHEDULER_DLQ_ARN }),
});
const budget = config.SMS_MPS_BUDGET ? createSendBudget(config.TABLE_NAME, config.SMS_MPS_BUDGET) : undefined;

/**
 * The handler over an SmsSender: SNS in Lambda; the local runtime passes its SMS stand-in (the
 * outbox behind the account's quota) in process, which keeps a 100,000-recipient fan-out from
 * spending its time on HTTP to itself. Everything else is the same code and configuration.
 */
export function createSenderHandler(sender: SmsSender) {
  const messages = createPlatformServices(config, store, systemClock, ulidGenerator, sender).messages({ scheduler, ...(budget && { budget }) });
  return middy(async (event: unknown): Promise<SQSBatchResponse> => sendBatches(messages, event)).use(injectLambdaContext(logger));
}

export const handler = createSenderHandler(
  new SnsSmsSender(new SNSClient({}), {
    ...(config.SMS_SENDER_ID && { senderId: config.SMS_SENDER_ID }),
    ...(config.SMS_ORIGINATION_NUMBER && { originationNumber: config.SMS_ORIGINATION_NUMBER }),
  }),
);

/**
 * SQS event source: each record is one recipient batch. A batch that fails is reported back
 * (partial batch failure) and retried by SQS; after maxReceiveCount it lands in the DLQ.
 */
async function sendBatches(messages: MessageService, event: unknown): Promise<SQSBatchResponse> {
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Not an SQS event', fieldErrors(parsed.error));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of parsed.data.Records) {
    try {
      const outcome = await messages.sendBatch(recipientBatchSchema.parse(JSON.parse(record.body)));
      logger.info('batch sent', { sqsMessageId: record.messageId, ...outcome });
    } catch (error) {
      logger.error('batch failed', { sqsMessageId: record.messageId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
