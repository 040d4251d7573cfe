import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { eventBridgeEvent, ipoReminderInputSchema, ipoScheduledSchema } from '../../events/index.ts';
import { EventBridgeReminderScheduler } from '../../packages/aws/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import {
  dispatchTriggerEnv,
  dispatchTriggerFromEnv,
  fieldErrors,
  ipoReminderServiceFromEnv,
  ipoRemindersEnv,
  loadConfig,
  logger,
  platformPublisherFromEnv,
  schedulerEnv,
  schedulerTargetFromEnv,
  system,
} from '../../packages/lambda/index.ts';

const config = loadConfig(ipoRemindersEnv.extend(dispatchTriggerEnv.shape).extend(schedulerEnv.shape));
const repositories = tableRepositories(config.TABLE_NAME);
const publisher = platformPublisherFromEnv(config, repositories, dispatchTriggerFromEnv(config), system);
const schedulerClient = new SchedulerClient({});
const inputSchema = z.union([eventBridgeEvent('market', 'IpoScheduled', ipoScheduledSchema), ipoReminderInputSchema]);

/**
 * Two inputs: market/IpoScheduled from EventBridge (create or replace the reminder schedules),
 * and `{ reminder }` from one of those schedules (publish the reminder). The schedules target
 * this function, by the ARN it was invoked with.
 */
export const handler = middy(async (event: unknown, context: Context) => {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Expected market/IpoScheduled or { reminder }', fieldErrors(parsed.error));
  const scheduler = new EventBridgeReminderScheduler(schedulerClient, schedulerTargetFromEnv(config, context.invokedFunctionArn));
  const reminders = ipoReminderServiceFromEnv(config, repositories, { publisher, scheduler }, system);
  if ('reminder' in parsed.data) {
    const messageIds = await reminders.remind(parsed.data.reminder);
    logger.info('IPO reminder published', { ...parsed.data.reminder, messageIds });
    return { messageIds };
  }
  const schedules = await reminders.schedule(parsed.data.detail);
  logger.info('IPO reminders scheduled', { ipoId: parsed.data.detail.ipoId, schedules });
  return { schedules };
}).use(injectLambdaContext(logger));
