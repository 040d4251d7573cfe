import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { LambdaDispatchTrigger } from '../../packages/aws/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createPlatformServices, fieldErrors, loadConfig, logger, platformConfigSchema } from '../../packages/lambda/index.ts';

const config = loadConfig(platformConfigSchema.extend({ DISPATCHER_FUNCTION: z.string().min(1) }));
const messages = createPlatformServices(config, createDynamoStore(config.TABLE_NAME)).messages({
  trigger: new LambdaDispatchTrigger(new LambdaClient({}), config.DISPATCHER_FUNCTION),
});

/** The Scheduler target input: `{ "scheduledTime": "<aws.scheduler.scheduled-time>", "slot": "morning" }`. */
const inputSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }), slot: z.string().min(1) });

/** A product slot's recurring schedule: start every message queued for the slot (not on a non-trading day). */
export const handler = middy(async (event: unknown) => {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Invalid schedule input', fieldErrors(parsed.error));
  const result = await messages.releaseSlot(parsed.data.slot, new Date(parsed.data.scheduledTime));
  logger.info('product slot', { scheduledTime: parsed.data.scheduledTime, ...result });
  return result;
}).use(injectLambdaContext(logger));
