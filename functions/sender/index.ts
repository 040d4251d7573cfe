import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSBatchResponse } from 'aws-lambda';
import { recipientBatchSchema, sqsEventSchema } from '../../events/index.ts';
import { EventBridgeMessageScheduler } from '../../packages/aws/index.ts';
import { ValidationError, type BatchSender, type SmsSender } from '../../packages/core/index.ts';
import { createSendBudget, tableRepositories } from '../../packages/dynamo/index.ts';
import {
  batchSenderEnv,
  batchSenderFromEnv,
  dispatcherScheduleEnv,
  fieldErrors,
  loadConfig,
  logger,
  schedulerTargetFromEnv,
  smsChannelEnv,
  smsChannelFromEnv,
  system,
} from '../../packages/lambda/index.ts';

// Quiet-hours releases are one-time schedules that invoke the dispatcher.
const config = loadConfig(batchSenderEnv.extend(smsChannelEnv.shape).extend(dispatcherScheduleEnv.shape));
const repositories = tableRepositories(config.TABLE_NAME);
const releases = new EventBridgeMessageScheduler(new SchedulerClient({}), schedulerTargetFromEnv(config, config.DISPATCHER_ARN));
const budget = config.SMS_MPS_BUDGET ? createSendBudget(config.TABLE_NAME, config.SMS_MPS_BUDGET) : undefined;

/**
 * The handler over an SMS channel: SNS in Lambda; the local runtime passes its SMS stand-in (the
 * outbox behind the account's quota) in process, which keeps a 100,000-recipient fan-out from
 * spending its time on HTTP to itself. Everything else is the same code and configuration.
 */
export function createSenderHandler(channel: SmsSender) {
  const sender = batchSenderFromEnv(config, repositories, { sender: channel, releases, budget }, system);
  return middy(async (event: unknown): Promise<SQSBatchResponse> => sendBatches(sender, event)).use(injectLambdaContext(logger));
}

export const handler = createSenderHandler(smsChannelFromEnv(config));

/**
 * SQS event source: each record is one recipient batch. A batch that fails is reported back
 * (partial batch failure) and retried by SQS; after maxReceiveCount it lands in the DLQ.
 */
async function sendBatches(sender: BatchSender, event: unknown): Promise<SQSBatchResponse> {
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Not an SQS event', fieldErrors(parsed.error));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of parsed.data.Records) {
    try {
      const outcome = await sender.sendBatch(recipientBatchSchema.parse(JSON.parse(record.body)));
      logger.info('batch sent', { sqsMessageId: record.messageId, ...outcome });
    } catch (error) {
      logger.error('batch failed', { sqsMessageId: record.messageId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
