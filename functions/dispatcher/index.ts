import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { SqsDeliveryQueue } from '../../packages/aws/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createPlatformServices, fieldErrors, loadConfig, logger, platformConfigSchema } from '../../packages/lambda/index.ts';

const config = loadConfig(platformConfigSchema.extend({ DELIVERY_QUEUE_URL: z.string().min(1) }));
const messages = createPlatformServices(config, createDynamoStore(config.TABLE_NAME)).messages({
  queue: new SqsDeliveryQueue(new SQSClient({}), config.DELIVERY_QUEUE_URL),
});

/** `{ messageId }` from the admin API or a message's schedule; `releaseAt` from a quiet-hours release schedule. */
const dispatchRequestSchema = z.strictObject({ messageId: z.string().min(1), releaseAt: z.iso.datetime().optional() });

/** Invoked asynchronously: pages the audience (or the recipients held until releaseAt) into recipient batches on the delivery queue. */
export const handler = middy(async (event: unknown) => {
  const parsed = dispatchRequestSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Expected { messageId, releaseAt? }', fieldErrors(parsed.error));
  const result = await messages.dispatch(parsed.data.messageId, parsed.data.releaseAt);
  logger.info('message dispatched', { ...parsed.data, ...result });
  return result;
}).use(injectLambdaContext(logger));
