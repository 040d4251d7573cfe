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

/** Invoked asynchronously with `{ messageId }`: pages the audience into recipient batches on the delivery queue. */
export const handler = middy(async (event: unknown) => {
  const parsed = z.object({ messageId: z.string().min(1) }).safeParse(event);
  if (!parsed.success) throw new ValidationError('Expected { messageId }', fieldErrors(parsed.error));
  const result = await messages.dispatch(parsed.data.messageId);
  logger.info('message dispatched', { messageId: parsed.data.messageId, ...result });
  return result;
}).use(injectLambdaContext(logger));
