import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { LambdaDispatchTrigger } from '../../packages/aws/index.ts';
import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createHttpHandler, createPlatformServices, loadConfig, platformConfigSchema } from '../../packages/lambda/index.ts';
import { adminRoutes } from './routes.ts';

/** Read once at cold start; a missing variable fails here, by name. */
const config = loadConfig(platformConfigSchema.extend({ DISPATCHER_FUNCTION: z.string().min(1) }));
const store = createDynamoStore(config.TABLE_NAME);
const services = createPlatformServices(config, store);

export const handler = createHttpHandler(
  adminRoutes({
    ...services,
    messages: services.messages({ trigger: new LambdaDispatchTrigger(new LambdaClient({}), config.DISPATCHER_FUNCTION) }),
  }),
);
