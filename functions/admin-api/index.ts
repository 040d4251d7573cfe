import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createHttpHandler, createPlatformServices, loadConfig, platformConfigSchema } from '../../packages/lambda/index.ts';
import { adminRoutes } from './routes.ts';

/** Read once at cold start; a missing variable fails here, by name. */
const config = loadConfig(platformConfigSchema);
const store = createDynamoStore(config.TABLE_NAME);

export const handler = createHttpHandler(adminRoutes(createPlatformServices(config, store)));
