import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { ValidationError } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { fieldErrors, loadConfig, logger, pointsEnv, pointsServiceFromEnv, system } from '../../packages/lambda/index.ts';

const config = loadConfig(pointsEnv);
const points = pointsServiceFromEnv(config, tableRepositories(config.TABLE_NAME), system);

/** The Scheduler target input: `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`. */
const inputSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }) });

/** Daily schedule: loyalty points for every account anniversary of the last days (once per year). */
export const handler = middy(async (event: unknown) => {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Invalid schedule input', fieldErrors(parsed.error));
  const result = await points.awardLoyalty(new Date(parsed.data.scheduledTime), { actor: 'loyalty-schedule', role: 'system', channel: 'schedule' });
  logger.info('loyalty run', { scheduledTime: parsed.data.scheduledTime, ...result });
  return result;
}).use(injectLambdaContext(logger));
