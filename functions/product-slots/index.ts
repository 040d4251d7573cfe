import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { ValidationError } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { dispatchTriggerEnv, dispatchTriggerFromEnv, fieldErrors, loadConfig, logger, slotReleaseEnv, slotReleaseFromEnv } from '../../packages/lambda/index.ts';

const config = loadConfig(slotReleaseEnv.extend(dispatchTriggerEnv.shape));
const slots = slotReleaseFromEnv(config, tableRepositories(config.TABLE_NAME), dispatchTriggerFromEnv(config));

/** The Scheduler target input: `{ "scheduledTime": "<aws.scheduler.scheduled-time>", "slot": "morning" }`. */
const inputSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }), slot: z.string().min(1) });

/** A product slot's recurring schedule: start every message queued for the slot (not on a non-trading day). */
export const handler = middy(async (event: unknown) => {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Invalid schedule input', fieldErrors(parsed.error));
  const result = await slots.releaseSlot(parsed.data.slot, new Date(parsed.data.scheduledTime));
  logger.info('product slot', { scheduledTime: parsed.data.scheduledTime, ...result });
  return result;
}).use(injectLambdaContext(logger));
