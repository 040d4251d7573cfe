import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { SqsDeliveryQueue } from '../../packages/aws/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { fieldErrors, loadConfig, logger, messageDispatcherFromEnv, messagesEnv } from '../../packages/lambda/index.ts';

const config = loadConfig(messagesEnv.extend({ DELIVERY_QUEUE_URL: z.string().min(1) }));
const dispatcher = messageDispatcherFromEnv(config, tableRepositories(config.TABLE_NAME), new SqsDeliveryQueue(new SQSClient({}), config.DELIVERY_QUEUE_URL));

/** `{ messageId }` from the admin API or a message's schedule; `releaseAt` from a quiet-hours release schedule. */
const dispatchRequestSchema = z.strictObject({ messageId: z.string().min(1), releaseAt: z.iso.datetime().optional() });

/** Invoked asynchronously: pages the audience (or the recipients held until releaseAt) into recipient batches on the delivery queue. */
export const handler = middy(async (event: unknown) => {
  const parsed = dispatchRequestSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Expected { messageId, releaseAt? }', fieldErrors(parsed.error));
  const result = await dispatcher.dispatch(parsed.data.messageId, parsed.data.releaseAt);
  logger.info('message dispatched', { ...parsed.data, ...result });
  return result;
}).use(injectLambdaContext(logger));
