import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import * as z from 'zod';
import { EventBridgeMessageScheduler, LambdaDispatchTrigger } from '../../packages/aws/index.ts';
import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createHttpHandler, createPlatformServices, loadConfig, platformConfigSchema, schedulerEnvSchema } from '../../packages/lambda/index.ts';
import { adminRoutes } from './routes.ts';

/** Read once at cold start; a missing variable fails here, by name. */
const config = loadConfig(
  platformConfigSchema.extend({
    DISPATCHER_FUNCTION: z.string().min(1),
    DISPATCHER_ARN: z.string().min(1),
    ...schedulerEnvSchema,
  }),
);
const store = createDynamoStore(config.TABLE_NAME);
const services = createPlatformServices(config, store);

export const handler = createHttpHandler(
  adminRoutes({
    ...services,
    messages: services.messages({
      trigger: new LambdaDispatchTrigger(new LambdaClient({}), config.DISPATCHER_FUNCTION),
      scheduler: new EventBridgeMessageScheduler(new SchedulerClient({}), {
        groupName: config.SCHEDULE_GROUP,
        dispatcherArn: config.DISPATCHER_ARN,
        roleArn: config.SCHEDULER_ROLE_ARN,
        ...(config.SCHEDULER_DLQ_ARN && { deadLetterArn: config.SCHEDULER_DLQ_ARN }),
      }),
    }),
  }),
);
