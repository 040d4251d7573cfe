import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { eventBridgeEvent, ipoReminderInputSchema, ipoScheduledSchema } from '../../events/index.ts';
import { EventBridgeReminderScheduler, LambdaDispatchTrigger } from '../../packages/aws/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createPlatformServices, fieldErrors, loadConfig, logger, platformConfigSchema, schedulerEnvSchema } from '../../packages/lambda/index.ts';

const config = loadConfig(
  platformConfigSchema.extend({
    DISPATCHER_FUNCTION: z.string().min(1),
    ...schedulerEnvSchema,
  }),
);
const services = createPlatformServices(config, createDynamoStore(config.TABLE_NAME));
const schedulerClient = new SchedulerClient({});
const trigger = new LambdaDispatchTrigger(new LambdaClient({}), config.DISPATCHER_FUNCTION);
const inputSchema = z.union([eventBridgeEvent('market', 'IpoScheduled', ipoScheduledSchema), ipoReminderInputSchema]);

/**
 * Two inputs: market/IpoScheduled from EventBridge (create or replace the reminder schedules),
 * and `{ reminder }` from one of those schedules (publish the reminder). The schedules target
 * this function, by the ARN it was invoked with.
 */
export const handler = middy(async (event: unknown, context: Context) => {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Expected market/IpoScheduled or { reminder }', fieldErrors(parsed.error));
  const reminders = services.ipoReminders({
    trigger,
    scheduler: new EventBridgeReminderScheduler(schedulerClient, {
      groupName: config.SCHEDULE_GROUP,
      functionArn: context.invokedFunctionArn,
      roleArn: config.SCHEDULER_ROLE_ARN,
      ...(config.SCHEDULER_DLQ_ARN && { deadLetterArn: config.SCHEDULER_DLQ_ARN }),
    }),
  });
  if ('reminder' in parsed.data) {
    const messageIds = await reminders.remind(parsed.data.reminder);
    logger.info('IPO reminder published', { ...parsed.data.reminder, messageIds });
    return { messageIds };
  }
  const schedules = await reminders.schedule(parsed.data.detail);
  logger.info('IPO reminders scheduled', { ipoId: parsed.data.detail.ipoId, schedules });
  return { schedules };
}).use(injectLambdaContext(logger));
